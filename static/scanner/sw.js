// The scanner page's service worker: the page reloads, and keeps scanning, with no network.
// forum/web.py serves it at /scanner-sw.js (scope /scanner) after static/sw-shell.js, which
// keeps the page and its files. The API is never answered from here: scans and the bundle go
// to the server or fail, and the page keeps its own offline state (the bundle and the queue)
// in IndexedDB.

/** Straight to the network, never cached: every API call. */
function route(_event, url) {
  return url.pathname.startsWith("/api/");
}
