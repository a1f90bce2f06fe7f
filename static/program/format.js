// Dates and times of the program in the event's time zone, worded per language.

import { KK_MONTHS, KK_WEEKDAYS } from "./i18n.js";

const formats = new Map();

function format(locale, options) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formats.set(key, found);
  }
  return found;
}

function parts(iso, timeZone) {
  const out = {};
  const fmt = format("en-US", {
    timeZone, year: "numeric", month: "numeric", day: "numeric", weekday: "short",
    hour: "numeric", minute: "numeric", hourCycle: "h23",
  });
  for (const { type, value } of fmt.formatToParts(new Date(iso))) out[type] = value;
  return out;
}

/** "2026-11-26": the calendar day of a moment in the event's zone. */
export function dayKey(iso, timeZone) {
  const p = parts(iso, timeZone);
  return `${p.year}-${p.month.padStart(2, "0")}-${p.day.padStart(2, "0")}`;
}

/** Minutes since the local midnight of the moment's day (for the room grid). */
export function minuteOfDay(iso, timeZone) {
  const p = parts(iso, timeZone);
  return (Number(p.hour) % 24) * 60 + Number(p.minute);
}

/** "Thursday, 26 November" for a day key, in the page language. */
export function dayLabel(key, locale, { short = false } = {}) {
  const [y, m, d] = key.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  if (locale === "kk") {
    const weekday = KK_WEEKDAYS[date.getUTCDay()];
    const day = `${d} ${KK_MONTHS[m - 1]}`;
    return `${day}, ${weekday}`;
  }
  return format(locale, {
    timeZone: "UTC", weekday: short ? "short" : "long", day: "numeric",
    month: short ? "short" : "long",
  }).format(date);
}

function timeFormat(locale, timeZone) {
  // Kazakh writes times as Russian does (24 hours, two digits), with or without kk data.
  return format(locale === "kk" ? "ru" : locale, {
    timeZone, hour: "numeric", minute: "2-digit",
    ...(locale === "en" ? {} : { hourCycle: "h23", hour: "2-digit" }),
  });
}

/** "09:00" (or "9:00 AM") in the event's zone. */
export function timeLabel(iso, locale, timeZone) {
  return timeFormat(locale, timeZone).format(new Date(iso));
}

/** "09:00–09:45" (or "9:00 – 9:45 AM"). */
export function timeRange(startIso, endIso, locale, timeZone) {
  const fmt = timeFormat(locale, timeZone);
  if (fmt.formatRange) return fmt.formatRange(new Date(startIso), new Date(endIso));
  return `${fmt.format(new Date(startIso))}–${fmt.format(new Date(endIso))}`;
}

/** Day and time of a moment ("26 November, 10:15"), as for "last updated". */
export function momentLabel(iso, locale, timeZone) {
  const day = dayLabel(dayKey(iso, timeZone), locale);
  return `${day}, ${timeLabel(iso, locale, timeZone)}`;
}
