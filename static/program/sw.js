// The program page's service worker: the page, and the last program it showed, with no
// network (the hall's Wi-Fi gone). forum/web.py serves it at /program-sw.js (scope /program)
// after static/sw-shell.js, which keeps the page and its files. This worker also keeps public
// API answers (the event, the program, its sessions and speakers): network first, the last
// copy when the network fails, marked with X-Offline-Saved-At so the page can say how old it
// is. Personal calls are never kept.

const DATA = "forum-program-data";
const DATA_DEADLINE_MS = 5000;
const PUBLIC_API = /^\/api\/v1\/events\/[^/]+(\/program(\/sessions\/[^/]+)?|\/speakers(\/[^/]+)?)?$/;

/** The public program's answers, kept for offline reading; anything else goes on. */
function route(event, url) {
  if (!PUBLIC_API.test(url.pathname)) return false;
  data(event, url);
  return true;
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
