// The program page's service worker: the page, and the last program it showed, with no
// network (the hall's Wi-Fi gone). forum/web.py serves this file at /program-sw.js (scope
// /program) preceded by SHELL, the URLs of the page and everything it loads, and VERSION, a
// hash of their content; a changed file is a changed worker, as for the scanner.
// Unlike the scanner's, this worker keeps public API answers (the event, the program, its
// sessions and speakers): network first, the last copy when the network fails, marked with
// X-Offline-Saved-At so the page can say how old it is. Personal calls are never kept.
/* global SHELL, VERSION */

const PREFIX = "forum-program-shell-";
const CACHE = PREFIX + VERSION;
const DATA = "forum-program-data";
const PAGE = "/program";
const PAGE_DEADLINE_MS = 3000;
const DATA_DEADLINE_MS = 5000;
const PUBLIC_API = /^\/api\/v1\/events\/[^/]+(\/program(\/sessions\/[^/]+)?|\/speakers(\/[^/]+)?)?$/;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    page(event);
  } else if (PUBLIC_API.test(url.pathname)) {
    data(event, url);
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(asset(request, url.pathname));
  }
});

function deadline(ms) {
  return new Promise((_resolve, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
}

/** Network first (a fresh page is kept for later), the cached page when the network fails. */
function page(event) {
  const network = fetch(event.request).then((response) => {
    if (response.status >= 500) throw new Error(`page: ${response.status}`);
    return response;
  });
  const kept = network.then((response) => {
    if (!response.ok) return undefined;
    const copy = response.clone();
    return caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
  }).catch(() => {});
  event.waitUntil(kept);
  event.respondWith((async () => {
    try {
      return await Promise.race([network, deadline(PAGE_DEADLINE_MS)]);
    } catch {
      const cached = await caches.open(CACHE).then((cache) => cache.match(PAGE));
      return cached || network;
    }
  })());
}

/** Network first; every good answer is kept (by its full URL, language included). */
function data(event, url) {
  const key = url.pathname + url.search;
  // Revalidated every time (a 304 is cheap): a copy the HTTP cache still held would hide
  // that the network is gone, and the page would not say how old its program is.
  const network = fetch(event.request, { cache: "no-cache" }).then((response) => {
    if (response.status >= 500) throw new Error(`api: ${response.status}`);
    return response;
  });
  const kept = network.then(async (response) => {
    if (response.status !== 200) return;
    const headers = new Headers(response.headers);
    headers.set("X-Saved-At", new Date().toISOString());
    const body = await response.clone().arrayBuffer();
    const cache = await caches.open(DATA);
    await cache.put(key, new Response(body, { status: 200, headers }));
  }).catch(() => {});
  event.waitUntil(kept);
  event.respondWith((async () => {
    try {
      return await Promise.race([network, deadline(DATA_DEADLINE_MS)]);
    } catch {
      const cached = await caches.open(DATA).then((cache) => cache.match(key));
      if (!cached) return network;
      const headers = new Headers(cached.headers);
      headers.set("X-Offline-Saved-At", cached.headers.get("X-Saved-At") || "");
      return new Response(await cached.arrayBuffer(), { status: 200, headers });
    }
  })());
}

/** Cache first: the files are those of this VERSION; one missing from the cache is fetched. */
async function asset(request, path) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(path, response.clone());
  return response;
}
