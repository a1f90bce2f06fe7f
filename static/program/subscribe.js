// Calendar subscriptions: the program's iCalendar feeds as webcal:// addresses, which phones
// and desktop calendars open as a subscription (kept up to date), not a one-off import.

/** The webcal:// form of an http(s) feed address (relative ones on this page's host). */
export function webcal(url) {
  const u = new URL(url, location.href);
  return `webcal://${u.host}${u.pathname}${u.search}`;
}

/** The public feed of the program in ``language``, whole or for one track, room or speaker. */
export function feedUrl(base, language, filter = {}) {
  const query = new URLSearchParams({ lang: language });
  for (const key of ["track", "room", "speaker"]) if (filter[key]) query.set(key, filter[key]);
  return webcal(`${base}/program.ics?${query}`);
}

/**
 * Fill the subscribe links under the controls: the whole program, and the chosen track or
 * room when one is chosen (a feed follows one of them; with both, the track's).
 */
export function renderSubscriptions({ base, language, filters, t, names }) {
  const all = document.getElementById("sub-all");
  all.href = feedUrl(base, language);
  const chosen = filters.track ? { track: filters.track } : filters.room ? { room: filters.room }
    : null;
  const one = document.getElementById("sub-filter");
  one.hidden = !chosen;
  if (!chosen) return;
  one.href = feedUrl(base, language, chosen);
  one.textContent = chosen.track ? t("subscribe.track", { name: names.track(chosen.track) })
    : t("subscribe.room", { name: names.room(chosen.room) });
}
