// Language handling shared by the registration, manage and scanner pages: each page brings its
// own texts, and all of them remember the visitor's choice under one storage key.

export const LANGUAGES = [
  { code: "kk", name: "Қазақша", short: "ҚАЗ" },
  { code: "ru", name: "Русский", short: "РУС" },
  { code: "en", name: "English", short: "ENG" },
];

const CODES = LANGUAGES.map((l) => l.code);
// After the language asked for, as on the server (forum/i18n.py FALLBACK).
const FALLBACK = ["en", "ru", "kk"];

/** A multilingual text ({kk?, ru?, en?}) in ``locale``, else the first of the fallback order
 * that is given, else ``fallback``. A plain string (an old cached answer) is itself. */
export function pick(texts, locale, fallback = "") {
  if (typeof texts === "string") return texts || fallback;
  if (!texts) return fallback;
  for (const code of [locale, ...FALLBACK]) if (texts[code]) return texts[code];
  return fallback;
}

/** Fill ``data-i18n`` (text), ``data-i18n-label`` and ``data-i18n-placeholder`` elements. */
export function applyTexts(root, t) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  });
}

/**
 * The language state of one page over its ``texts`` ({code: {key: text}}, English complete).
 * ``apply(code)`` writes the texts into the page on a switch; by default every marked element
 * of the document is filled.
 */
export function createI18n({ texts, storageKey = "forum.locale", apply }) {
  const listeners = [];
  const switches = [];
  let current = "en";

  function storedLocale() {
    try {
      const value = localStorage.getItem(storageKey);
      return CODES.includes(value) ? value : null;
    } catch {
      return null; // storage disabled (private mode): fall back to the browser language
    }
  }

  /** The remembered choice, else the first browser language we have texts for, else English. */
  function initialLocale() {
    const stored = storedLocale();
    if (stored) return stored;
    for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
      const base = String(tag || "").toLowerCase().split("-")[0];
      if (CODES.includes(base)) return base;
    }
    return "en";
  }

  function t(key, vars = {}) {
    const text = texts[current]?.[key] ?? texts.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_m, name) => String(vars[name] ?? ""));
  }

  /** Switch the page language; ``remember`` stores an explicit choice for later visits. */
  function setLocale(code, { remember = false } = {}) {
    if (!CODES.includes(code)) return;
    current = code;
    if (remember) {
      try {
        localStorage.setItem(storageKey, code);
      } catch {
        // Not remembered across visits; the page still switches.
      }
    }
    document.documentElement.lang = code;
    if (apply) apply(code);
    else applyTexts(document, t);
    for (const container of switches) {
      container.querySelectorAll("button[data-locale]").forEach((button) => {
        button.setAttribute("aria-pressed", String(button.dataset.locale === code));
      });
    }
    listeners.forEach((fn) => fn(code));
  }

  /** Buttons for kk/ru/en, each labelled in its own language. */
  function renderLanguageSwitch(container) {
    if (!switches.includes(container)) switches.push(container);
    container.replaceChildren(
      ...LANGUAGES.map(({ code, name, short }) => {
        const button = document.createElement("button");
        button.type = "button";
        button.lang = code;
        button.dataset.locale = code;
        button.textContent = short;
        button.setAttribute("aria-label", name);
        button.setAttribute("aria-pressed", String(code === current));
        button.addEventListener("click", () => setLocale(code, { remember: true }));
        return button;
      }),
    );
  }

  return {
    initialLocale,
    hasStoredLocale: () => storedLocale() !== null,
    locale: () => current,
    t,
    hasText: (key) => key in texts.en,
    onLocaleChange: (fn) => listeners.push(fn),
    setLocale,
    renderLanguageSwitch,
  };
}
