// Country names for the pages, from the server (GET /api/v1/countries: CLDR names in kk, ru
// or en, in that language's order), so no page carries a table of its own. The page's
// language decides, not the browser's: a Russian phone on the Kazakh page gets Kazakh names.

const loaded = new Map(); // locale → [{code, name, dial}]
const pending = new Map(); // locale → Promise
const STORE = "forum.countries.";

function remembered(locale) {
  if (loaded.has(locale)) return loaded.get(locale);
  try {
    // Kept from an earlier visit: pages that work offline still name countries.
    const list = JSON.parse(localStorage.getItem(STORE + locale) || "null");
    if (Array.isArray(list)) loaded.set(locale, list);
  } catch {
    // Storage disabled or spoiled: ask the server.
  }
  return loaded.get(locale) || null;
}

/** The countries of ``locale`` in its order; fetched once per page (and cached a day). */
export function loadCountries(locale) {
  if (pending.has(locale)) return pending.get(locale);
  const request = fetch(`/api/v1/countries?locale=${encodeURIComponent(locale)}`, {
    headers: { Accept: "application/json" }, credentials: "omit",
  }).then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((list) => {
      loaded.set(locale, list);
      try {
        localStorage.setItem(STORE + locale, JSON.stringify(list));
      } catch {
        // Full or disabled storage: the page still has the list.
      }
      return list;
    })
    .catch(() => {
      pending.delete(locale); // try again on the next call
      return remembered(locale) || [];
    });
  pending.set(locale, request);
  return request;
}

function regionNames(locale) {
  try {
    return new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
  } catch {
    return null;
  }
}

/**
 * A function naming a country code in ``locale``: from the server's list once loaded (a page
 * that never asked starts loading it here, for its next drawing), else from the browser.
 */
export function countryNamer(locale) {
  const list = remembered(locale);
  if (!list) loadCountries(locale);
  const names = new Map((list || []).map((c) => [c.code, c.name]));
  let own = regionNames(locale);
  // Chromium has no Kazakh region names (it answers the bare code): Russian ones are read by
  // nearly every Kazakh speaker, until the server's list arrives.
  if (locale === "kk" && own?.of("KZ") === "KZ") own = regionNames("ru");
  return (code) => names.get(code) || own?.of(code) || code;
}

/** The calling code of a country (+7), from the loaded list of any language. */
export function dialCode(code) {
  for (const list of loaded.values()) {
    const found = list.find((c) => c.code === code);
    if (found) return found.dial || "";
  }
  return "";
}

/** [{code, name, dial}] in the server's order for ``locale``, ``first`` (the host) on top. */
export async function countryChoices(locale, first = "KZ") {
  const list = await loadCountries(locale);
  const top = list.filter((c) => c.code === first);
  return [...top, ...list.filter((c) => c.code !== first)];
}
