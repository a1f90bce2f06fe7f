// Drawing the scanner page: the result panel, the status bar and the device facts.

import { pick } from "../common/i18n.js";
import { countryNamer } from "../register/countries.js";
import { hasText, locale, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

const TONES = { ok: "ok", already_checked_in: "warn" };
const SYMBOLS = { ok: "✓", warn: "!", deny: "✕", idle: "" };

/** ok → green, already checked in → orange, everything else → red. */
export function toneOf(status) {
  return TONES[status] || "deny";
}

export function formatTime(iso, timeZone) {
  if (!iso) return "";
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  try {
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat("en", options).format(new Date(iso));
  }
}

function show(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}

function categoryName(person) {
  if (!person?.category) return "";
  const key = `cat.${person.category}`;
  return hasText(key) ? t(key) : person.category_name || person.category;
}

// Why a red screen is red ("reason.<status>"), and what the guard does about it.
const NEXT_STEP = { error: "next.retry" };

/**
 * The big result. ``result``: {status, participant, first_checkin, offline, exit, noteKey,
 * noteVars, unknownPerson}; null draws the ready state. ``zone``: the zone's name, for the
 * reasons that name it.
 */
export function renderResult(result, { timeZone, seq, gateNames = {}, zone = "" }) {
  const panel = $("result");
  const tone = result ? toneOf(result.status) : "idle";
  panel.dataset.tone = tone;
  panel.dataset.outcome = result ? result.status : "idle";
  panel.dataset.offline = String(Boolean(result?.offline));
  panel.dataset.seq = String(seq);
  $("r-symbol").textContent = SYMBOLS[tone];
  if (!result) {
    $("r-word").textContent = t("ready");
    ["r-name", "r-org"].forEach((id) => show($(id), ""));
    ["r-category", "r-first", "r-reason", "r-next", "r-note"].forEach((id) => show($(id), ""));
    return;
  }
  const word = result.status === "ok" && result.exit ? "outcome.ok_exit" : `outcome.${result.status}`;
  $("r-word").textContent = t(hasText(word) ? word : "outcome.error");
  const person = result.participant;
  const name = person?.display_name || (result.unknownPerson ? t("result.unknown_person") : "");
  show($("r-name"), name);
  // Long words (double-barrelled surnames) get a smaller size rather than a break mid-word.
  $("r-name").dataset.long = String(Math.max(0, ...name.split(/[\s-]+/).map((w) => w.length)) > 12);
  show($("r-category"), categoryName(person));
  const country = person?.country ? countryNamer(locale())(person.country) : "";
  show($("r-org"), [person?.organization, country].filter(Boolean).join(" · "));
  const first = result.first_checkin;
  show($("r-first"), first
    ? t("result.first", {
      time: formatTime(first.at, timeZone), gate: gateName(gateNames[first.gate], first.gate),
    }) : "");
  const denied = tone === "deny";
  const reason = `reason.${result.status}`;
  show($("r-reason"), denied ? t(hasText(reason) ? reason : "reason.error", { zone }) : "");
  show($("r-next"), denied ? t(NEXT_STEP[result.status] || "next.desk") : "");
  const notes = [];
  if (result.offline) notes.push(t("result.offline"));
  if (result.noteKey) notes.push(t(result.noteKey, result.noteVars));
  show($("r-note"), notes.join(" "));
}

/** Restart the flash so two results in a row are told apart. */
export function flash() {
  const panel = $("result");
  panel.classList.remove("flash");
  void panel.offsetWidth; // restart the CSS animation
  panel.classList.add("flash");
}

export function renderStatus({ offline, queue }) {
  const net = $("net");
  net.dataset.state = offline ? "offline" : "online";
  $("net-text").textContent = t(offline ? "net.offline" : "net.online");
  $("queue-count").textContent = String(queue);
  $("queue").hidden = queue === 0 && !offline;
}

/** The zone's name in the page language, else in the fallback order, else its slug. */
export function zoneName(device) {
  return pick(device.zone_names, locale(), device.zone);
}

/** A gate's name in the page language: ``names`` is {locale → name}, or a plain name in a
 * bundle stored before gates had names per language. */
export function gateName(names, slug) {
  return pick(names, locale(), slug || "?");
}

export function renderDevice(bundle, checkedAt) {
  const { device } = bundle;
  const direction = t(device.direction === "exit" ? "dir.exit" : "dir.entry");
  // A bundle stored before gate and zone names were sent shows the slugs until refreshed.
  const gate = gateName(device.gate_names || device.gate_name, device.gate);
  const zone = zoneName(device);
  $("gate-name").textContent = gate;
  $("gate-detail").textContent = `${t("device.zone")}: ${zone} · ${direction}`;
  $("device-name").textContent = device.name;
  $("menu-gate").textContent = `${gate} (${direction})`;
  $("menu-zone").textContent = zone;
  $("bundle-info").textContent = t("menu.bundle", {
    count: Object.keys(bundle.participants).length,
    time: formatTime(new Date(checkedAt).toISOString(), bundle.event.timezone),
  });
}
