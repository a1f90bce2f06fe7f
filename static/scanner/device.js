// The device's state and its keeping in step with the server: the token, the offline bundle
// (refreshed with its ETag), and the upload of queued offline scans.

import { NetworkError, fetchBundle, sendBatch } from "./client.js";
import { t } from "./i18n.js";
import * as store from "./store.js";
import { canVerify, isExpired } from "./verify.js";
import { formatTime, gateName } from "./view.js";

const TOKEN_KEY = "forum.scanner.token";
const BATCH_SIZE = 200;
const SYNC_MS = 5000;
const BUNDLE_MS = 60000;

export const state = {
  token: null,
  bundle: null,
  etag: null,
  checkedAt: 0,
  canVerify: false,
  offline: false,
  queue: 0,
  stuck: false, // the server refused an upload: scans go to it live, not into the queue
  result: null,
  seq: 0,
  syncNote: null, // () => text, so a language switch re-renders it
};

// Set by the page: redraw after a change; the server no longer knows the token.
export const hooks = { changed: () => {}, rejected: () => {} };

let syncing = null;

export function storedToken() {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled
  }
}

export async function adoptBundle(data, etag) {
  state.bundle = data;
  state.etag = etag;
  state.checkedAt = Date.now();
  state.canVerify = await canVerify(data);
  await store.putMeta("bundle", { data, etag });
  await store.putMeta("checkedAt", state.checkedAt);
}

/** Keep a token the server accepted, with its bundle. */
export async function adopt(token, data, etag) {
  state.token = token;
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the device works until the page is closed.
  }
  await adoptBundle(data, etag);
  state.queue = await store.queueCount();
}

/** Start from the stored token and bundle, so a reload without network keeps scanning. */
export async function restore() {
  const token = storedToken();
  const saved = token && await store.getMeta("bundle");
  if (!saved) return false;
  if (isExpired(saved.data, new Date())) {
    // Past the event (or an older format without an expiry): not kept, fetched anew.
    await store.putMeta("bundle", null);
    return false;
  }
  Object.assign(state, {
    token, bundle: saved.data, etag: saved.etag,
    checkedAt: (await store.getMeta("checkedAt")) || 0,
    canVerify: await canVerify(saved.data),
    queue: await store.queueCount(),
    offline: navigator.onLine === false,
  });
  return true;
}

/** Forget the token (and, with ``wipe``, everything else this device holds). */
export async function forget({ wipe }) {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
  if (wipe) await store.clearAll();
  Object.assign(state, {
    token: null, bundle: null, etag: null, result: null, syncNote: null, stuck: false,
    queue: wipe ? 0 : state.queue, offline: false,
  });
}

export function setOffline(offline) {
  state.offline = offline;
  hooks.changed();
}

async function refreshBundle() {
  const answer = await fetchBundle(state.token, state.etag);
  if (answer.status === 401) return hooks.rejected();
  if (answer.status === 304) {
    state.checkedAt = Date.now();
    await store.putMeta("checkedAt", state.checkedAt);
  } else if (answer.ok) {
    await adoptBundle(answer.data, answer.etag);
  } else if (answer.status >= 500) {
    throw new NetworkError(`bundle: ${answer.status}`);
  }
  return hooks.changed();
}

function conflictNote(uploaded, conflicts, timeZone) {
  const gateNames = state.bundle?.gates || {};
  return () => [t("sync.uploaded", { count: uploaded }), ...conflicts.map((c) =>
    t("sync.conflict", {
      name: c.participant?.display_name || "?",
      gate: gateName(gateNames[c.first_checkin?.gate], c.first_checkin?.gate),
      time: formatTime(c.first_checkin?.at, timeZone),
    }))].join(" ");
}

/** The scans of a batch the server refused for their time (422 scan_time_out_of_window). */
function refusedForTime(answer, scans) {
  if (answer.status !== 422 || answer.data?.code !== "scan_time_out_of_window") return [];
  return Object.keys(answer.data.errors || {})
    .map((field) => scans[Number(/^scans\.(\d+)\./.exec(field)?.[1])])
    .filter(Boolean);
}

/** Upload the queue in chunks; only what the server acknowledged leaves it. */
async function uploadQueue() {
  let uploaded = 0;
  let aside = 0; // refused for their time, kept on the device
  const conflicts = [];
  for (;;) {
    const scans = await store.queued(BATCH_SIZE);
    if (!scans.length) break;
    const answer = await sendBatch(state.token, scans);
    if (answer.status === 401) return hooks.rejected();
    if (answer.status >= 500 || answer.status === 429) throw new NetworkError(`batch: ${answer.status}`);
    const outOfWindow = refusedForTime(answer, scans);
    if (outOfWindow.length) {
      // Never taken (a clock far off, or a scan days old): kept aside, the rest goes on.
      await store.setAside(outOfWindow);
      aside += outOfWindow.length;
      continue;
    }
    if (!answer.ok) {
      state.stuck = true;
      const status = answer.data?.code || answer.status;
      state.syncNote = () => t("sync.refused", { status });
      break;
    }
    const sent = new Set(scans.map((s) => s.nonce));
    const acked = answer.data.results.map((r) => r.nonce).filter((n) => sent.has(n));
    await store.dequeue(acked);
    uploaded += acked.length;
    conflicts.push(...answer.data.results.filter((r) => r.conflict));
    state.stuck = false;
    if (!acked.length) break;
  }
  state.queue = await store.queueCount();
  if (uploaded) state.syncNote = conflictNote(uploaded, conflicts, state.bundle.event.timezone);
  if (aside) {
    const before = uploaded ? state.syncNote : null;
    state.syncNote = () => [before?.(), t("sync.set_aside", { count: aside })]
      .filter(Boolean).join(" ");
  }
  return hooks.changed();
}

/** Refresh the bundle when due and upload the queue; a network failure means offline. */
export function sync() {
  if (!syncing) {
    syncing = (async () => {
      try {
        if (state.offline || Date.now() - state.checkedAt > BUNDLE_MS) await refreshBundle();
        if (state.token && state.queue) await uploadQueue();
        if (state.token) setOffline(false);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        setOffline(true);
      } finally {
        syncing = null;
      }
    })();
  }
  return syncing;
}

/** Retry while offline or with a queue, refresh the bundle when due, and follow the network. */
export function keepInStep() {
  const ready = () => state.token && state.bundle;
  setInterval(() => {
    if (!ready() || navigator.onLine === false) return;
    if (state.offline || state.queue || Date.now() - state.checkedAt > BUNDLE_MS) sync();
  }, SYNC_MS);
  window.addEventListener("offline", () => setOffline(true));
  window.addEventListener("online", () => { if (ready()) sync(); });
}
