// Shared by the registration and manage pages: language, texts, API calls, inline errors.

import { createI18n, pick } from "../common/i18n.js";
import { KK_MONTHS, TEXTS } from "./i18n.js";

import { NetworkError, fetchJson, uuid } from "../common/http.js";

export { NetworkError, fetchJson, pick, uuid };

// ---- language ---------------------------------------------------------------------------

export const {
  hasStoredLocale, hasText, initialLocale, locale, onLocaleChange, renderLanguageSwitch,
  setLocale, t,
} = createI18n({ texts: TEXTS });

// ---- formatting -------------------------------------------------------------------------

function parseDate(iso) {
  const [y, m, d] = String(iso).split("-").map(Number);
  return { y, m, d, date: new Date(Date.UTC(y, m - 1, d)) };
}

function kkDate({ y, m, d }, withYear = true) {
  return `${withYear ? `${y} жылғы ` : ""}${d} ${KK_MONTHS[m - 1]}`;
}

/** "26–27 November 2026" in the page language (event dates are calendar dates, no zone). */
export function formatDateRange(startIso, endIso) {
  if (!startIso) return "";
  const a = parseDate(startIso);
  const b = parseDate(endIso || startIso);
  if (locale() === "kk") {
    // Kazakh date data is missing from many browsers, so it is written out here.
    if (a.y !== b.y) return `${kkDate(a)} – ${kkDate(b)}`;
    if (a.m !== b.m) return `${a.y} жылғы ${kkDate(a, false)} – ${kkDate(b, false)}`;
    if (a.d !== b.d) return `${a.y} жылғы ${a.d}–${b.d} ${KK_MONTHS[a.m - 1]}`;
    return kkDate(a);
  }
  const fmt = new Intl.DateTimeFormat(locale(), {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
  if (a.date.getTime() === b.date.getTime()) return fmt.format(a.date);
  return fmt.formatRange ? fmt.formatRange(a.date, b.date)
    : `${fmt.format(a.date)} – ${fmt.format(b.date)}`;
}

// ---- API --------------------------------------------------------------------------------

/** The problem+json of a failed answer, with a code even when the body was not ours. */
export function problemOf(result) {
  const data = result.data && typeof result.data === "object" ? result.data : {};
  const fallback = result.status === 429 ? "rate_limited"
    : result.status >= 500 ? "internal_error" : "bad_request";
  return { ...data, status: result.status, code: data.code || fallback };
}

/** The message for a problem: ours for known codes, else the server's detail. */
export function problemMessage(problem) {
  const key = `code.${problem.code}`;
  if (hasText(key)) return t(key);
  return problem.detail || problem.title || t("code.internal_error");
}

// ---- inline errors ----------------------------------------------------------------------

const REQUIRED_TEXT = "Missing data for required field.";

/** Errors shown under form fields; kept as data so a language switch re-renders them. */
export class FieldErrors {
  constructor(form) {
    this.form = form;
    this.errors = new Map(); // field → [{key} | {text}]
  }

  has(field) {
    return Boolean(this.form.querySelector(`#${CSS.escape(field)}`));
  }

  set(field, messages) {
    this.errors.set(field, messages);
  }

  get size() {
    return this.errors.size;
  }

  clear() {
    for (const field of this.errors.keys()) this.#show(field, "");
    this.errors.clear();
  }

  render() {
    for (const [field, messages] of this.errors) {
      this.#show(field, messages.map((m) => this.#message(field, m)).join(" "));
    }
  }

  /** The first invalid field in document order. */
  first() {
    const fields = [...this.errors.keys()].map((f) => this.form.querySelector(`#${CSS.escape(f)}`));
    return fields.filter(Boolean).sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)[0] || null;
  }

  #message(field, message) {
    if (message.key) return t(message.key);
    // Server texts are English: other languages get our wording for the field.
    if (message.text === REQUIRED_TEXT) return t("error.required");
    if (locale() !== "en" && hasText(`invalid.${field}`)) return t(`invalid.${field}`);
    return message.text;
  }

  #show(field, text) {
    const input = this.form.querySelector(`#${CSS.escape(field)}`);
    const box = this.form.querySelector(`#${CSS.escape(field)}-error`);
    if (!input || !box) return;
    box.textContent = text;
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter((id) => id && id !== box.id);
    if (text) {
      input.setAttribute("aria-invalid", "true");
      ids.push(box.id);
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

/** Put server field errors under their fields; returns the messages for fields not on the form. */
export function applyServerErrors(fieldErrors, errors) {
  const other = [];
  for (const [field, messages] of Object.entries(errors || {})) {
    const list = (Array.isArray(messages) ? messages : [String(messages)]).map((text) => ({ text }));
    if (fieldErrors.has(field)) fieldErrors.set(field, list);
    else other.push(...list.map((m) => m.text));
  }
  fieldErrors.render();
  return other;
}

/**
 * A message region that is always in the page (so screen readers announce changes); the
 * message is kept as a function so a language switch re-renders it.
 */
export class Alert {
  constructor(region) {
    this.region = region;
    this.message = null;
  }

  show(message, { focus = false } = {}) {
    this.message = message;
    this.render();
    if (message && focus) this.region.focus();
  }

  clear() {
    this.show(null);
  }

  render() {
    const text = this.message ? this.message() : "";
    this.region.textContent = text;
    this.region.classList.toggle("is-visible", Boolean(text));
  }
}

/**
 * The event of a form page, or null once ``pageAlert`` says why not (no network, an unknown
 * event); ``status`` shows "loading" meanwhile.
 */
export async function loadEventOf(eventUrl, { status, pageAlert }) {
  status.textContent = t("event.loading");
  let result;
  try {
    result = await fetchJson("GET", eventUrl);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    pageAlert.show(() => t("event.load_failed"));
    return null;
  } finally {
    status.textContent = "";
  }
  if (!result.ok) {
    const problem = problemOf(result);
    pageAlert.show(() => problemMessage(problem));
    return null;
  }
  return result.data;
}
