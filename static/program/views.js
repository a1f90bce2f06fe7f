// The three ways of reading the program (by time, by room as a grid, by track) and the
// personal agenda. Each draws into the program container from already filtered sessions.
// ``ctx``: {t, locale, tz, agenda, days} — the page's language, zone and personal agenda.

import { dayKey, dayLabel, minuteOfDay, timeLabel, timeRange } from "./format.js";

const SLOT_MINUTES = 5; // one grid row
const HEAD_ROWS = 6;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function trackStyle(node, session) {
  if (session.track?.colour) node.style.setProperty("--track", session.track.colour);
}

function speakerNames(session) {
  return session.speakers.map((s) => s.name).join(", ");
}

/** The star of a session (only for a visitor with a personal agenda). */
export function starButton(session, ctx) {
  const on = ctx.agenda.has(session.id);
  const star = el("button", "star", on ? "★" : "☆");
  star.type = "button";
  star.dataset.star = session.id;
  star.setAttribute("aria-pressed", String(on));
  star.setAttribute("aria-label", ctx.t(on ? "agenda.star_remove" : "agenda.star_add",
    { title: session.title }));
  return star;
}

function openButton(session) {
  const open = el("button", "open", session.title);
  open.type = "button";
  open.dataset.open = session.id;
  return open;
}

/** One session as a card of the list views. */
function card(session, ctx, { showRoom = true } = {}) {
  const item = el("li", "session");
  item.dataset.session = session.id;
  item.dataset.track = session.track?.slug || "";
  if (session.status === "cancelled") item.classList.add("is-cancelled");
  trackStyle(item, session);
  const when = [timeRange(session.starts_at, session.ends_at, ctx.locale, ctx.tz)];
  if (showRoom) when.push(session.room.name);
  item.append(el("p", "when", when.join(" · ")), openButton(session));
  const meta = el("p", "meta");
  meta.append(el("span", "chip", ctx.t(`kind.${session.kind}`)), " ");
  const lang = el("span", "chip lang", session.language);
  lang.title = ctx.t(`talk.${session.language}`);
  meta.append(lang);
  if (session.track) {
    const track = el("span", "track-name");
    track.append(el("span", "swatch"), ` ${session.track.name}`);
    meta.append(" ", track);
  }
  if (session.status === "cancelled") {
    meta.append(" ", el("span", "chip cancelled", ctx.t("status.cancelled")));
  }
  if (session.bookable && typeof session.seats_left === "number") {
    const seats = el("span", "chip seats", session.seats_left > 0
      ? ctx.t("detail.seats_left", { n: session.seats_left }) : ctx.t("book.full"));
    seats.dataset.full = String(session.seats_left <= 0);
    meta.append(" ", seats);
  }
  const booking = ctx.agenda.bookings.get(session.id);
  if (booking) {
    meta.append(" ", el("span", "chip booked", ctx.t(`chip.${booking}`)));
  }
  item.append(meta);
  if (session.speakers.length) item.append(el("p", "who", speakerNames(session)));
  if (ctx.agenda.member) item.append(starButton(session, ctx));
  return item;
}

function list(sessions, ctx, options) {
  const ul = el("ul", "sessions");
  ul.append(...sessions.map((s) => card(s, ctx, options)));
  return ul;
}

function empty(text) {
  return el("p", "empty", text);
}

/** By time: the day's sessions grouped by their start. */
export function byTime(container, sessions, ctx) {
  if (!sessions.length) return container.replaceChildren(empty(ctx.t("empty")));
  const groups = new Map();
  for (const s of sessions) {
    const key = timeLabel(s.starts_at, ctx.locale, ctx.tz);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  const out = [];
  for (const [label, items] of groups) {
    out.push(el("h2", "group-heading", label), list(items, ctx));
  }
  return container.replaceChildren(...out);
}

/** By track: one group per track, in the program's order, sessions by time. */
export function byTrack(container, sessions, ctx) {
  if (!sessions.length) return container.replaceChildren(empty(ctx.t("empty")));
  const groups = new Map();
  for (const s of sessions) {
    const key = s.track?.slug || "";
    if (!groups.has(key)) groups.set(key, { track: s.track, items: [] });
    groups.get(key).items.push(s);
  }
  const ordered = [...groups.values()].sort((a, b) => (a.track ? 1 : 0) - (b.track ? 1 : 0));
  const out = [];
  for (const { track, items } of ordered) {
    const heading = el("h2", "group-heading");
    const swatch = el("span", "swatch");
    if (track?.colour) swatch.style.setProperty("--track", track.colour);
    heading.append(swatch, track ? track.name : ctx.t("track.none"));
    out.push(heading, list(items, ctx));
  }
  return container.replaceChildren(...out);
}

/** The personal agenda: starred sessions of every day, by day and time. */
export function mine(container, sessions, ctx) {
  const starred = sessions.filter((s) => ctx.agenda.has(s.id));
  if (!starred.length) return container.replaceChildren(empty(ctx.t("mine.empty")));
  const out = [];
  let day = null;
  for (const s of starred) {
    const key = dayKey(s.starts_at, ctx.tz);
    if (key !== day) {
      day = key;
      out.push(el("h2", "day-heading", dayLabel(key, ctx.locale)));
    }
    out.push(list([s], ctx));
  }
  return container.replaceChildren(...out);
}

/**
 * By room: rooms as columns and time down, one grid row per five minutes. The header and
 * the time column stay in place while the grid scrolls (sideways on a phone).
 */
export function byRoom(container, sessions, ctx, rooms) {
  if (!sessions.length) return container.replaceChildren(empty(ctx.t("empty")));
  const used = rooms.filter((r) => sessions.some((s) => s.room.slug === r.slug));
  const column = new Map(used.map((r, i) => [r.slug, i + 2]));
  const span = sessions.map((s) => [minuteOfDay(s.starts_at, ctx.tz),
    Math.max(minuteOfDay(s.ends_at, ctx.tz) || 24 * 60, minuteOfDay(s.starts_at, ctx.tz) + 15)]);
  const first = Math.floor(Math.min(...span.map(([a]) => a)) / 60) * 60;
  const last = Math.ceil(Math.max(...span.map(([, b]) => b)) / 60) * 60;
  const row = (minute) => HEAD_ROWS + 1 + Math.round((minute - first) / SLOT_MINUTES);

  const grid = el("div", "grid");
  grid.style.setProperty("--rooms", String(used.length));
  grid.setAttribute("role", "region");
  grid.setAttribute("aria-label", ctx.t("view.room"));
  const corner = el("div", "corner", ctx.t("grid.time"));
  corner.style.gridColumn = "1";
  grid.append(corner);
  for (const room of used) {
    const head = el("div", "room-head", room.name);
    if (room.location) head.append(el("small", "", room.location));
    head.style.gridColumn = String(column.get(room.slug));
    head.dataset.room = room.slug;
    grid.append(head);
  }
  for (let minute = first; minute < last; minute += 60) {
    const hour = el("div", "hour", timeLabel(hourIso(sessions[0].starts_at, minute, ctx.tz),
      ctx.locale, ctx.tz));
    hour.style.gridColumn = "1";
    hour.style.gridRow = `${row(minute)} / span ${60 / SLOT_MINUTES}`;
    const line = el("div", "line");
    line.style.gridRow = `${row(minute)} / span ${60 / SLOT_MINUTES}`;
    grid.append(line, hour);
  }
  sessions.forEach((s, i) => {
    const cell = el("div", "cell");
    cell.dataset.session = s.id;
    cell.dataset.track = s.track?.slug || "";
    if (ctx.agenda.has(s.id)) cell.classList.add("is-mine");
    trackStyle(cell, s);
    cell.style.gridColumn = String(column.get(s.room.slug));
    cell.style.gridRow = `${row(span[i][0])} / ${row(span[i][1])}`;
    cell.append(el("span", "when", timeRange(s.starts_at, s.ends_at, ctx.locale, ctx.tz)),
      openButton(s));
    grid.append(cell);
  });
  const wrap = el("div", "grid-wrap");
  wrap.append(grid);
  const hint = el("p", "grid-hint", ctx.t("grid.scroll_hint"));
  container.replaceChildren(hint, wrap);
  // Said only when some rooms are out of sight.
  hint.hidden = wrap.scrollWidth <= wrap.clientWidth;
  return undefined;
}

/** An instant ``minute`` minutes after the local midnight of ``sampleIso``'s day. */
function hourIso(sampleIso, minute, tz) {
  const base = new Date(sampleIso).getTime() - minuteOfDay(sampleIso, tz) * 60000;
  return new Date(base + minute * 60000).toISOString();
}
