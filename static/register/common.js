// Shared by the registration and manage pages: language, texts, API calls, inline errors.

import { KK_MONTHS, LANGUAGES, TEXTS } from "./i18n.js";

const LOCALE_KEY = "forum.locale";
const CODES = LANGUAGES.map((l) => l.code);
const listeners = [];
let current = "en";

// ---- language ---------------------------------------------------------------------------

function storedLocale() {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return CODES.includes(value) ? value : null;
  } catch {
    return null; // storage disabled (private mode): fall back to the browser language
  }
}

export function hasStoredLocale() {
  return storedLocale() !== null;
}

/** The remembered choice, else the first browser language we have texts for, else English. */
export function initialLocale() {
  const stored = storedLocale();
  if (stored) return stored;
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    if (CODES.includes(base)) return base;
  }
  return "en";
}

export function locale() {
  return current;
}

export function t(key, vars = {}) {
  const text = TEXTS[current]?.[key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name) => String(vars[name] ?? ""));
}

export function hasText(key) {
  return key in TEXTS.en;
}

export function onLocaleChange(fn) {
  listeners.push(fn);
}

/** Switch the page language; ``remember`` stores an explicit choice for later visits. */
export function setLocale(code, { remember = false } = {}) {
  if (!CODES.includes(code)) return;
  current = code;
  if (remember) {
    try {
      localStorage.setItem(LOCALE_KEY, code);
    } catch {
      // Not remembered across visits; the page still switches.
    }
  }
  document.documentElement.lang = code;
  applyTexts(document);
  document.querySelectorAll("#lang-switch button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.locale === code));
  });
  listeners.forEach((fn) => fn(code));
}

/** Fill every ``data-i18n`` element with its text in the current language. */
export function applyTexts(root) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  });
}

/** Buttons for kk/ru/en, each labelled in its own language. */
export function renderLanguageSwitch(container) {
  container.replaceChildren(
    ...LANGUAGES.map(({ code, name, short }) => {
      const button = document.createElement("button");
      button.type = "button";
      button.lang = code;
      button.dataset.locale = code;
      button.textContent = short;
      button.setAttribute("aria-label", name);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => setLocale(code, { remember: true }));
      return button;
    }),
  );
}

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
  if (current === "kk") {
    // Kazakh date data is missing from many browsers, so it is written out here.
    if (a.y !== b.y) return `${kkDate(a)} – ${kkDate(b)}`;
    if (a.m !== b.m) return `${a.y} жылғы ${kkDate(a, false)} – ${kkDate(b, false)}`;
    if (a.d !== b.d) return `${a.y} жылғы ${a.d}–${b.d} ${KK_MONTHS[a.m - 1]}`;
    return kkDate(a);
  }
  const fmt = new Intl.DateTimeFormat(current, {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
  if (a.date.getTime() === b.date.getTime()) return fmt.format(a.date);
  return fmt.formatRange ? fmt.formatRange(a.date, b.date)
    : `${fmt.format(a.date)} – ${fmt.format(b.date)}`;
}

// ---- API --------------------------------------------------------------------------------

export class NetworkError extends Error {}

/** A random UUID (v4), also where ``crypto.randomUUID`` is missing (plain-HTTP origins). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Call the JSON API. Resolves with {ok, status, data} for every HTTP answer (problem+json
 * included); rejects with NetworkError when no complete answer arrived.
 */
export async function api(method, url, { body, headers = {}, timeoutMs = 20000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const sent = { Accept: "application/json, application/problem+json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  try {
    const response = await fetch(url, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
    });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null; // a proxy's HTML error page: handled by the status code
    }
    return { ok: response.ok, status: response.status, data };
  } catch (error) {
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
}

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
    if (current !== "en" && hasText(`invalid.${field}`)) return t(`invalid.${field}`);
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
