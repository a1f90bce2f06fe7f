// The entrance scanner: device setup, scans from a keyboard-wedge scanner, manual entry or the
// camera, answered by the server within 2 seconds or else decided here from the offline bundle
// and queued durably until the server acknowledges it.

import { Camera } from "./camera.js";
import { NetworkError, fetchBundle, sendScan, uuid } from "./client.js";
import {
  adopt, forget, hooks, keepInStep, restore, setOffline, state, storedToken, sync,
} from "./device.js";
import { initialLocale, onLocaleChange, renderLanguageSwitch, setLocale, t } from "./i18n.js";
import { play, unlockSound } from "./sound.js";
import * as store from "./store.js";
import { checkOffline, eventDay, isExpired, parseToken } from "./verify.js";
import { flash, renderDevice, renderResult, renderStatus, toneOf, zoneName } from "./view.js";

const CAMERA_REPEAT_MS = 2000;
const MAX_CODE = 512; // the API's limit; longer input is no badge
// A result goes back to "ready" after this many seconds (and at once on the next scan), so
// the next person never walks in under someone else's green. A setup link's ?clear=N (1-30)
// sets it for this device.
const CLEAR_KEY = "forum.scanner.clear_seconds";
const CLEAR_DEFAULT_S = 4;

const $ = (id) => document.getElementById(id);
const codeInput = $("code");

let chain = Promise.resolve();
let lastCamera = { code: "", at: 0 };
let clearTimer = 0;

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
  $("setup-error").dataset.vars = JSON.stringify(vars);
  $("setup-status").textContent = "";
  $("setup-token").focus();
}

function showScanner() {
  $("setup").hidden = true;
  $("lang-switch-setup").hidden = true;
  for (const id of ["scanner", "scan-form", "status", "menu-button", "gate-info"]) $(id).hidden = false;
  stopCamera();
  renderAll();
  armInput();
}

function resultOptions() {
  return {
    timeZone: state.bundle?.event.timezone, seq: state.seq, gateNames: state.bundle?.gates,
    zone: state.bundle ? zoneName(state.bundle.device) : "",
  };
}

function renderAll() {
  if (state.bundle) renderDevice(state.bundle, state.checkedAt);
  renderResult(state.result, resultOptions());
  renderStatus(state);
  const note = state.syncNote?.();
  $("sync-note").textContent = note || "";
  $("sync-note").hidden = !note;
  if (!$("reset-confirm").hidden) renderResetQuestion();
  const { key, vars } = $("setup-error").dataset;
  if (key) $("setup-error").textContent = t(key, JSON.parse(vars || "{}"));
}

// ---- device setup -----------------------------------------------------------------------

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
      await forgetDevice({ wipe: true });
      return showSetup("setup.invalid");
    }
    if (!answer.ok) return showSetup("setup.failed", { status: answer.status });
    await adopt(token, answer.data, answer.etag);
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
  try {
    return decodeURIComponent(match ? match[1] : text).trim();
  } catch {
    return text.trim(); // not percent-encoded after all
  }
}

async function forgetDevice({ wipe }) {
  stopCamera();
  await forget({ wipe });
}

async function deviceRejected() {
  // Revoked or unknown token (a lost phone, say): nothing of the event stays on the device,
  // neither the offline list nor the scans the server will not take from this token. The
  // queue is uploaded every few seconds while online, so at most the scans since the last
  // upload go with it.
  await forgetDevice({ wipe: true });
  showSetup("setup.revoked");
}

// ---- scanning ---------------------------------------------------------------------------

/** Seconds a result stays up: the setup link's ?clear=N, else the device's, else 4. */
function clearSeconds() {
  const valid = (value) => Number.isInteger(value) && value >= 1 && value <= 30;
  const asked = Number(new URLSearchParams(location.search).get("clear"));
  try {
    if (valid(asked)) localStorage.setItem(CLEAR_KEY, String(asked));
    const kept = Number(localStorage.getItem(CLEAR_KEY));
    if (valid(kept)) return kept;
  } catch {
    // Storage disabled: the link's value for this visit only.
  }
  return valid(asked) ? asked : CLEAR_DEFAULT_S;
}

/** Back to "ready": after the hold time, or at once when the next scan comes. */
function clearResult() {
  clearTimeout(clearTimer);
  if (!state.result) return;
  state.result = null;
  renderResult(null, resultOptions());
}

function submit(raw) {
  const code = String(raw).trim();
  if (!code || !state.bundle) return;
  clearResult();
  chain = chain.then(() => processScan(code)).catch((error) => {
    // A failure here (storage refused, say) must not stop the scans that follow.
    console.error(error);
    showResult({ status: "error" });
  });
}

function showResult(result) {
  clearTimeout(clearTimer);
  state.result = result;
  state.seq += 1;
  renderResult(result, resultOptions());
  clearTimer = setTimeout(clearResult, clearSeconds() * 1000);
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
        showResult({ ...answer.data, exit });
        return rememberAnswer(code, answer.data);
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
  if (isExpired(state.bundle, moment)) {
    return showResult({ status: "error", noteKey: "result.bundle_expired" });
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
    stopCamera();
    connect(tokenFromText(text));
    return;
  }
  // A badge held in front of the lens is read many times a second: one scan per showing.
  const now = Date.now();
  const repeat = text === lastCamera.code && now - lastCamera.at < CAMERA_REPEAT_MS;
  lastCamera = { code: text, at: now };
  if (!repeat) submit(text);
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

function stopCamera() {
  camera.stop();
  $("camera-box").hidden = true;
  renderCameraButton();
}

async function toggleCamera() {
  unlockSound();
  $("camera-error").hidden = true;
  $("camera-error").dataset.key = "";
  if (camera.running) {
    camera.stop();
    $("camera-box").hidden = true;
  } else {
    $("camera-box").hidden = false;
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
      codeInput.blur(); // the keyboard opens on focus
      codeInput.inputMode = "text";
      codeInput.focus();
    });
    codeInput.addEventListener("blur", () => { codeInput.inputMode = "none"; });
  }
  // The scan bar's buttons do not take the focus from the code field.
  for (const id of ["code-submit", "keyboard", "camera-toggle"]) {
    $(id).addEventListener("mousedown", (event) => event.preventDefault());
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
  hooks.changed = renderAll;
  hooks.rejected = deviceRejected;
  keepInStep();
}

/** A setup link (/scanner#token=…) sets the device up; the token leaves the address bar. */
function takeLinkToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (!token) return false;
  history.replaceState(null, "", location.pathname + location.search);
  connect(token.trim());
  return true;
}

/** Install the worker that lets this page load with no network (sw.js), once it has loaded. */
function registerWorker() {
  // Missing on plain-HTTP origins other than localhost: scanning works, a reload needs network.
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register("/scanner-sw.js", { scope: "/scanner" }).catch((error) => {
      console.warn("The page cannot be kept for offline reloads:", error);
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

async function start() {
  registerWorker();
  setLocale(initialLocale());
  wire();
  renderCameraButton();
  window.addEventListener("hashchange", () => { takeLinkToken(); });
  if (takeLinkToken()) return;
  if (!(await restore())) {
    const token = storedToken();
    return token ? connect(token) : showSetup();
  }
  showScanner();
  sync();
}

start();
