// Durable scanner state in IndexedDB: the last bundle, the queue of scans not yet uploaded,
// and the badges admitted per zone and day (so a second offline scan is refused).

const DB_NAME = "forum-scanner";
const DB_VERSION = 1;
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  if (!opening) {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("meta");
      db.createObjectStore("queue", { keyPath: "nonce" }).createIndex("scanned_at", "scanned_at");
      db.createObjectStore("admitted", { keyPath: "key" }).createIndex("day", "day");
    };
    opening = promised(request);
    opening.catch(() => { opening = null; });
  }
  return opening;
}

/** Run ``fn(stores)`` in one transaction; resolves with its result once committed. */
async function tx(names, mode, fn) {
  const db = await open();
  const transaction = db.transaction(names, mode, { durability: "strict" });
  const stores = Object.fromEntries(names.map((n) => [n, transaction.objectStore(n)]));
  const result = fn(stores);
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
  });
  return result instanceof IDBRequest ? result.result : result;
}

export function getMeta(key) {
  return tx(["meta"], "readonly", (s) => s.meta.get(key));
}

export function putMeta(key, value) {
  return tx(["meta"], "readwrite", (s) => { s.meta.put(value, key); });
}

/** Keep a scan until the server acknowledges it (same nonce, original time). */
export function enqueue(scan) {
  return tx(["queue"], "readwrite", (s) => { s.queue.put(scan); });
}

/** The oldest ``limit`` queued scans, in scan-time order. */
export async function queued(limit) {
  const db = await open();
  const index = db.transaction("queue").objectStore("queue").index("scanned_at");
  return promised(index.getAll(null, limit));
}

export function queueCount() {
  return tx(["queue"], "readonly", (s) => s.queue.count());
}

export function dequeue(nonces) {
  return tx(["queue"], "readwrite", (s) => { nonces.forEach((n) => s.queue.delete(n)); });
}

/**
 * Move scans the server will never take (their time is outside its window) out of the queue,
 * into a list kept on the device for the organizers (a reset or a revocation clears it too).
 */
export function setAside(scans) {
  return tx(["meta", "queue"], "readwrite", (s) => {
    s.meta.get("refused").onsuccess = (e) => {
      s.meta.put([...(e.target.result || []), ...scans], "refused");
    };
    scans.forEach((scan) => s.queue.delete(scan.nonce));
  });
}

const admittedKey = (zone, day, serial) => `${zone}|${day}|${serial}`;

export function getAdmitted(zone, day, serial) {
  return tx(["admitted"], "readonly", (s) => s.admitted.get(admittedKey(zone, day, serial)));
}

/** Remember an admission (the first one wins) and forget other days' ones. */
export function putAdmitted({ zone, day, serial, at, gate }) {
  const key = admittedKey(zone, day, serial);
  return tx(["admitted"], "readwrite", (s) => {
    s.admitted.get(key).onsuccess = (e) => {
      if (!e.target.result) s.admitted.put({ key, zone, day, serial, at, gate });
    };
    const range = IDBKeyRange.upperBound(day, true);
    s.admitted.index("day").openCursor(range).onsuccess = (e) => {
      const cursor = e.target.result;
      if (cursor) {
        cursor.delete();
        cursor.continue();
      }
    };
  });
}

export function deleteAdmitted(zone, day, serial) {
  return tx(["admitted"], "readwrite", (s) => { s.admitted.delete(admittedKey(zone, day, serial)); });
}

/** Forget everything this device holds (reset). */
export function clearAll() {
  return tx(["meta", "queue", "admitted"], "readwrite", (s) => {
    s.meta.clear();
    s.queue.clear();
    s.admitted.clear();
  });
}
