// What the offline pages' service workers share (the scanner's and the program's): keep the
// page and its files for reloads with no network. forum/web.py serves each worker as three
// constants (SHELL, the URLs of the page and everything it loads; VERSION, a hash of their
// content; PAGE, the page's path), then this file, then the page's own worker file, which
// defines route(event, url): true when it answered the request itself (or left it to the
// network). A changed file is a changed worker, which caches the new files and drops the old.
/* global SHELL, VERSION, PAGE, route */

const PREFIX = `forum-${PAGE.slice(1)}-shell-`;
const CACHE = PREFIX + VERSION;
// The page itself comes from the server when it answers within this time, so an update is
// seen at the next reload; a slow or absent network gets the cached page instead.
const PAGE_DEADLINE_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Past the HTTP cache: a copy kept there could be older than this VERSION.
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
    // Take over at once: an entrance scanner's page stays open all day and a reload would
    // otherwise keep the old worker. The running page has loaded its modules already.
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
  } else if (route(event, url)) {
    // answered by the page's own worker
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
    // A server error (a proxy without its backend, say) is no better than no network.
    if (response.status >= 500) throw new Error(`page: ${response.status}`);
    return response;
  });
  const kept = network.then((response) => {
    if (!response.ok) return undefined;
    const copy = response.clone(); // before the page reads the body
    return caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
  }).catch(() => {});
  event.waitUntil(kept);
  event.respondWith((async () => {
    try {
      return await Promise.race([network, deadline(PAGE_DEADLINE_MS)]);
    } catch {
      const cached = await caches.open(CACHE).then((cache) => cache.match(PAGE));
      // Nothing cached (storage cleared): wait for the network after all, or fail with it.
      return cached || network;
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
