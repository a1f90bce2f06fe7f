// The entrance scanner: device setup, scans from a keyboard-wedge scanner, manual entry or the
// camera, answered by the server within 2 seconds or else decided here from the offline bundle
// and queued durably until the server acknowledges it.

import { Camera } from "./camera.js";
import { NetworkError, fetchBundle, sendBatch, sendScan, uuid } from "./client.js";
import { initialLocale, onLocaleChange, renderLanguageSwitch, setLocale, t } from "./i18n.js";
import { play, unlockSound } from "./sound.js";
import * as store from "./store.js";
import { canVerify, checkOffline, eventDay, parseToken } from "./verify.js";
import { flash, formatTime, renderDevice, renderResult, renderStatus, toneOf } from "./view.js";

const TOKEN_KEY = "forum.scanner.token";
const BATCH_SIZE = 200;
const SYNC_MS = 5000;
const BUNDLE_MS = 60000;
const CAMERA_REPEAT_MS = 2000;
const MAX_CODE = 512; // the API's limit; longer input is no badge

const $ = (id) => document.getElementById(id);
const codeInput = $("code");

const state = {
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
let chain = Promise.resolve();
let syncing = null;
let lastCamera = { code: "", at: 0 };

const camera = new Camera($("camera-video"), onCameraCode);

// ---- screens ----------------------------------------------------------------------------

function onScanner() {
  return !$("scanner").hidden;
}

function showSetup(errorKey = "", vars = {}) {
  for (const id of ["scanner", "scan-form", "status", "menu-button", "gate-info", "menu"]) $(id).hidden = true;
  $("setup").hidden = false;
  $("lang-switch-setup").hidden = false;
  $("setup-error").textContent = errorKey ? t(errorKey, vars) : "";
  $("setup-error").dataset.key = errorKey;
  $("setup-status").textContent = "";
  $("setup-token").focus();
}

function showScanner() {
  $("setup").hidden = true;
  $("lang-switch-setup").hidden = true;
  for (const id of ["scanner", "scan-form", "status", "menu-button", "gate-info"]) $(id).hidden = false;
  if (camera.running) camera.stop();
  renderAll();
  armInput();
}

function renderAll() {
  if (state.bundle) renderDevice(state.bundle, state.checkedAt);
  renderResult(state.result, { timeZone: state.bundle?.event.timezone, seq: state.seq });
  renderStatus(state);
  const note = state.syncNote?.();
  $("sync-note").textContent = note || "";
  $("sync-note").hidden = !note;
  if (!$("reset-confirm").hidden) renderResetQuestion();
  const key = $("setup-error").dataset.key;
  if (key) $("setup-error").textContent = t(key);
}

// ---- device setup -----------------------------------------------------------------------

async function adoptBundle(data, etag) {
  state.bundle = data;
  state.etag = etag;
  state.checkedAt = Date.now();
  state.canVerify = await canVerify(data);
  await store.putMeta("bundle", { data, etag });
  await store.putMeta("checkedAt", state.checkedAt);
}

/** Check a token against the server; on success keep it and switch to scanning. */
async function connect(token) {
  $("setup-error").textContent = "";
  $("setup-error").dataset.key = "";
  if (!token) return showSetup("setup.required");
  $("setup-status").textContent = t("setup.connecting");
  $("setup-submit").disabled = true;
  try {
    const answer = await fetchBundle(token, null);
    if (answer.status === 401) {
      await forgetDevice({ wipe: false });
      return showSetup("setup.invalid");
    }
    if (!answer.ok) return showSetup("setup.failed", { status: answer.status });
    state.token = token;
    try {
      localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Storage disabled: the device works until the page is closed.
    }
    await adoptBundle(answer.data, answer.etag);
    state.queue = await store.queueCount();
    $("setup-token").value = "";
    showScanner();
    if (state.queue) sync();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    showSetup("setup.network");
    $("setup-token").value = token;
  } finally {
    $("setup-submit").disabled = false;
  }
}

/** A setup QR holds the token itself, or a link to this page with #token=…. */
function tokenFromText(text) {
  const match = /[#&]token=([^&\s]+)/.exec(text);
  return decodeURIComponent(match ? match[1] : text).trim();
}

/** Forget the token (and, with ``wipe``, everything else this device holds). */
async function forgetDevice({ wipe }) {
  camera.stop();
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

async function deviceRejected() {
  // Revoked or unknown token: unsent scans stay queued for the next token at this gate.
  await forgetDevice({ wipe: false });
  showSetup("setup.invalid");
}

// ---- scanning ---------------------------------------------------------------------------

function submit(raw) {
  const code = String(raw).trim();
  if (!code || !state.bundle) return;
  chain = chain.then(() => processScan(code));
}

function showResult(result) {
  state.result = result;
  state.seq += 1;
  renderResult(result, { timeZone: state.bundle.event.timezone, seq: state.seq });
  flash();
  play(result.status === "ok" && result.exit ? "exit" : toneOf(result.status));
}

async function processScan(code) {
  if (!state.bundle) return; // the device was reset or rejected meanwhile
  const moment = new Date();
  const { device } = state.bundle;
  const exit = device.direction === "exit";
  const scan = { code, gate: device.gate, nonce: uuid(), scanned_at: moment.toISOString() };
  if (code.length > MAX_CODE) return showResult({ status: "invalid" });
  // While queued scans drain, new ones join the queue, so the server applies them in order.
  if (!state.offline && (state.queue === 0 || state.stuck)) {
    try {
      const answer = await sendScan(state.token, scan);
      if (answer.ok) {
        await rememberAnswer(code, answer.data);
        return showResult({ ...answer.data, exit });
      }
      if (answer.status === 401) return deviceRejected();
      if (answer.status < 500 && answer.status !== 429) {
        const problem = answer.data?.code || String(answer.status);
        return showResult({ status: "error", noteKey: "result.refused", noteVars: { code: problem } });
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    }
    setOffline(true);
  }
  await decideHere(scan, moment, exit);
}

/** Keep the local admitted-set in step with the server's answers. */
async function rememberAnswer(code, data) {
  const claims = parseToken(code);
  if (!claims || !data.checkin) return;
  const { zone, gate, scanned_at: at } = data.checkin;
  const day = eventDay(new Date(at), state.bundle.event.timezone);
  if (data.status === "ok" && data.checkin.direction === "exit") {
    await store.deleteAdmitted(zone, day, claims.serial);
  } else if (data.status === "ok") {
    await store.putAdmitted({ zone, day, serial: claims.serial, at, gate });
  } else if (data.status === "already_checked_in" && data.first_checkin) {
    await store.putAdmitted({ zone, day, serial: claims.serial, ...data.first_checkin });
  }
}

/** Decide with the bundle, remember the admission, and queue the scan for upload. */
async function decideHere(scan, moment, exit) {
  if (!state.canVerify) {
    return showResult({ status: "error", noteKey: "result.no_offline_check" });
  }
  const local = await checkOffline(scan.code, state.bundle, moment);
  let { status } = local;
  let first = null;
  if (status === "ok" && exit) {
    await store.deleteAdmitted(local.zone, local.day, local.serial);
  } else if (status === "ok" && !local.allowsReentry) {
    const held = await store.getAdmitted(local.zone, local.day, local.serial);
    if (held) {
      status = "already_checked_in";
      first = { at: held.at, gate: held.gate };
    } else {
      await store.putAdmitted({
        zone: local.zone, day: local.day, serial: local.serial, at: scan.scanned_at, gate: scan.gate,
      });
    }
  }
  await store.enqueue({ ...scan, local_status: status });
  state.queue = await store.queueCount();
  renderStatus(state);
  showResult({
    status, participant: local.person, first_checkin: first, offline: true, exit,
    unknownPerson: Boolean(local.serial && !local.person),
  });
}

function onCameraCode(text) {
  if (!onScanner()) {
    camera.stop();
    $("camera-box").hidden = true;
    renderCameraButton();
    connect(tokenFromText(text));
    return;
  }
  // A badge held in front of the lens is read many times a second: one scan per showing.
  const now = Date.now();
  const repeat = text === lastCamera.code && now - lastCamera.at < CAMERA_REPEAT_MS;
  lastCamera = { code: text, at: now };
  if (!repeat) submit(text);
}

// ---- sync -------------------------------------------------------------------------------

function setOffline(offline) {
  state.offline = offline;
  renderStatus(state);
}

async function refreshBundle() {
  const answer = await fetchBundle(state.token, state.etag);
  if (answer.status === 401) return deviceRejected();
  if (answer.status === 304) {
    state.checkedAt = Date.now();
    await store.putMeta("checkedAt", state.checkedAt);
  } else if (answer.ok) {
    await adoptBundle(answer.data, answer.etag);
  } else if (answer.status >= 500) {
    throw new NetworkError(`bundle: ${answer.status}`);
  }
  renderDevice(state.bundle, state.checkedAt);
}

/** Upload the queue in chunks; only what the server acknowledged leaves it. */
async function uploadQueue() {
  let uploaded = 0;
  const conflicts = [];
  for (;;) {
    const scans = await store.queued(BATCH_SIZE);
    if (!scans.length) break;
    const answer = await sendBatch(state.token, scans);
    if (answer.status === 401) return deviceRejected();
    if (answer.status >= 500 || answer.status === 429) throw new NetworkError(`batch: ${answer.status}`);
    if (!answer.ok) {
      state.stuck = true;
      state.syncNote = () => t("sync.refused", { status: answer.data?.code || answer.status });
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
  if (uploaded) {
    const tz = state.bundle.event.timezone;
    state.syncNote = () => [t("sync.uploaded", { count: uploaded }), ...conflicts.map((c) =>
      t("sync.conflict", {
        name: c.participant?.display_name || "?", gate: c.first_checkin?.gate || "?",
        time: formatTime(c.first_checkin?.at, tz),
      }))].join(" ");
  }
  renderAll();
}

/** Refresh the bundle when due and upload the queue; a network failure means offline. */
function sync() {
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

function tick() {
  if (!state.token || !state.bundle || navigator.onLine === false) return;
  if (state.offline || state.queue || Date.now() - state.checkedAt > BUNDLE_MS) sync();
}

// ---- input focus, menu, camera ------------------------------------------------------------

/** Keep the code field focused so a keyboard-wedge scanner always types into it. */
function armInput() {
  if (onScanner() && $("menu").hidden && document.activeElement !== codeInput) {
    codeInput.focus({ preventScroll: true });
  }
}

function setMenu(open) {
  $("menu").hidden = !open;
  $("menu-button").setAttribute("aria-expanded", String(open));
  $("reset-confirm").hidden = true;
  $("reset-start").hidden = false;
  if (open) $("menu-close").focus();
  else armInput();
}

function renderResetQuestion() {
  const unsent = state.queue ? ` ${t("reset.unsent", { count: state.queue })}` : "";
  $("reset-question").textContent = t("reset.question") + unsent;
}

function renderCameraButton() {
  $("camera-toggle").textContent = t(camera.running ? "camera.stop" : "camera.start");
  $("camera-toggle").setAttribute("aria-pressed", String(camera.running));
}

async function toggleCamera() {
  unlockSound();
  const box = $("camera-box");
  $("camera-error").hidden = true;
  if (camera.running) {
    camera.stop();
    box.hidden = true;
  } else {
    box.hidden = false;
    try {
      await camera.start();
    } catch (error) {
      camera.stop();
      $("camera-video").hidden = true;
      $("camera-error").dataset.key = error.name === "NotAllowedError" ? "camera.denied" : "camera.unavailable";
      $("camera-error").textContent = t($("camera-error").dataset.key);
      $("camera-error").hidden = false;
      return;
    }
    $("camera-video").hidden = false;
  }
  renderCameraButton();
  armInput();
}

function wire() {
  ["lang-switch", "lang-switch-setup"].forEach((id) => renderLanguageSwitch($(id)));
  onLocaleChange(() => {
    renderAll();
    renderCameraButton();
    const cameraError = $("camera-error");
    if (cameraError.dataset.key) cameraError.textContent = t(cameraError.dataset.key);
  });
  document.addEventListener("keydown", unlockSound, { capture: true });
  document.addEventListener("pointerdown", unlockSound, { capture: true });
  // Characters typed while focus is elsewhere on the scanner screen belong to a scan.
  document.addEventListener("keydown", (event) => {
    if (!onScanner() || event.target === codeInput || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.length === 1) {
      if (!$("menu").hidden) setMenu(false);
      codeInput.focus({ preventScroll: true });
    }
  }, { capture: true });
  codeInput.addEventListener("blur", () => setTimeout(armInput, 0));
  if (matchMedia("(pointer: coarse)").matches) {
    // Phones: no on-screen keyboard over the result unless asked for (a Bluetooth scanner
    // still types into the field).
    codeInput.inputMode = "none";
    $("keyboard").hidden = false;
    $("keyboard").addEventListener("click", () => {
      codeInput.inputMode = "text";
      codeInput.focus();
    });
    codeInput.addEventListener("blur", () => { codeInput.inputMode = "none"; });
  }
  $("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = codeInput.value;
    codeInput.value = ""; // ready for the next scan at once
    submit(value);
    armInput();
  });
  $("setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    connect(tokenFromText($("setup-token").value));
  });
  $("setup-camera").addEventListener("click", toggleCamera);
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("menu-button").addEventListener("click", () => setMenu($("menu").hidden));
  $("menu-close").addEventListener("click", () => setMenu(false));
  const fullscreen = $("fullscreen");
  fullscreen.hidden = !document.fullscreenEnabled;
  fullscreen.addEventListener("click", () => {
    const action = document.fullscreenElement ? document.exitFullscreen()
      : document.documentElement.requestFullscreen();
    action.catch(() => {});
  });
  $("reset-start").addEventListener("click", () => {
    renderResetQuestion();
    $("reset-start").hidden = true;
    $("reset-confirm").hidden = false;
    $("reset-question").focus();
  });
  $("reset-no").addEventListener("click", () => setMenu(false));
  $("reset-yes").addEventListener("click", async () => {
    await forgetDevice({ wipe: true });
    setMenu(false);
    showSetup();
  });
  window.addEventListener("offline", () => setOffline(true));
  window.addEventListener("online", () => { if (state.token && state.bundle) sync(); });
  setInterval(tick, SYNC_MS);
}

/** A setup link (/scanner#token=…) sets the device up; the token leaves the address bar. */
function takeLinkToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (!token) return false;
  history.replaceState(null, "", location.pathname + location.search);
  connect(token.trim());
  return true;
}

async function start() {
  setLocale(initialLocale());
  wire();
  renderCameraButton();
  window.addEventListener("hashchange", () => { takeLinkToken(); });
  if (takeLinkToken()) return;
  let token = null;
  try {
    token = localStorage.getItem(TOKEN_KEY);
  } catch {
    token = null;
  }
  const saved = token && await store.getMeta("bundle");
  if (!token || !saved) return token ? connect(token) : showSetup();
  // Start from the stored bundle, so a reload without network keeps scanning.
  state.token = token;
  state.bundle = saved.data;
  state.etag = saved.etag;
  state.checkedAt = (await store.getMeta("checkedAt")) || 0;
  state.canVerify = await canVerify(saved.data);
  state.queue = await store.queueCount();
  state.offline = navigator.onLine === false;
  showScanner();
  sync();
}

start();
