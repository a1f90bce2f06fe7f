// The Program section's sessions: the list by day on the event's clock with filters, and the
// form (three languages, local times in the event's time zone, speakers with roles). A save
// that breaks a conflict rule names the rule and the other session, with a way to open it.

import { call } from "/static/admin/api.js";
import {
  checkbox, dayLabel, input, localToIso, multilingual, pick, repeater, select, wallDate, wallLocal,
  wallTime,
} from "/static/admin/program-forms.js";
import { dataTable, h, problemText, showFieldErrors } from "/static/admin/ui.js";

export const KINDS = ["plenary", "keynote", "panel", "workshop", "pitch", "networking"];
export const STATUSES = ["draft", "published", "cancelled"];
const ROLES = ["speaker", "moderator", "panelist"];
const RULES = ["room_double_booked", "speaker_double_booked", "outside_event_days", "capacity_above_room"];

const filters = { event: null, day: "", room: "", track: "", status: "" }; // kept while on one event

export const roomName = (data, slug, locale) =>
  pick(data.rooms.find((r) => r.slug === slug)?.name, locale, slug || "");
export const trackOf = (data, slug) => data.tracks.find((x) => x.slug === slug);

export function swatch(colour) {
  // Set through the CSSOM: the panel's Content-Security-Policy refuses style attributes.
  const el = h("span", { class: "swatch", "aria-hidden": "true" });
  el.style.backgroundColor = colour || "transparent";
  return el;
}

/** "«Title» · 26 November 10:00–11:00 · Hall A": how the panel names a session. */
export function sessionLine(ctx, data, s) {
  const title = pick(s.title, ctx.locale, s.id);
  const when = `${dayLabel(wallDate(s.starts_at), ctx.locale)} ${wallTime(s.starts_at)}–${wallTime(s.ends_at)}`;
  return `«${title}» · ${when} · ${roomName(data, s.room, ctx.locale)}`;
}

/** The link that opens a session (by id) in the drawer. */
export function sessionLink(ctx, data, summary, text) {
  return h("button", { type: "button", class: "row-link open-session", "data-session": summary.id,
    onclick: () => openSession(ctx, data, summary.id) }, text ?? pick(summary.title, ctx.locale, summary.id));
}

/** A 409 of a conflict rule, readable: the rule, why, and the other session with its link. */
export function conflictBox(ctx, data, problem) {
  const { t } = ctx;
  const code = problem.code;
  const parts = [h("strong", { class: "rule" }, t(`program.rule.${code}`))];
  if (code === "room_double_booked" && problem.conflicting_session) {
    parts.push(h("p", {}, t("program.conflict.room", { room: roomName(data, problem.conflicting_session.room, ctx.locale) })));
  } else if (code === "speaker_double_booked") {
    const names = (problem.speakers || []).map((id) => data.speakers.find((s) => s.id === id)?.name || id);
    parts.push(h("p", {}, t("program.conflict.speaker", { names: names.join(", ") })));
  } else if (code === "outside_event_days") {
    if (problem.room_hours) {
      parts.push(h("p", {}, t("program.conflict.hours", { opens: problem.room_hours[0], closes: problem.room_hours[1] })));
    } else if (problem.event_days) {
      parts.push(h("p", {}, t("program.conflict.days", {
        first: dayLabel(problem.event_days[0], ctx.locale), last: dayLabel(problem.event_days[1], ctx.locale),
        zone: data.event.timezone })));
    }
  } else if (code === "capacity_above_room" && problem.room) {
    parts.push(h("p", {}, t("program.conflict.capacity", {
      room: roomName(data, problem.room.slug, ctx.locale), capacity: problem.room.capacity })));
  } else if (problem.detail) {
    parts.push(h("p", {}, problem.detail));
  }
  if (problem.conflicting_session) {
    parts.push(h("p", { class: "other" }, t("program.conflict.with"), " ",
      sessionLink(ctx, data, problem.conflicting_session, sessionLine(ctx, data, problem.conflicting_session))));
  }
  return h("div", { class: "alert conflict", role: "alert", "data-code": code }, parts);
}

export function isRule(code) {
  return RULES.includes(code);
}

// ---- the list --------------------------------------------------------------------------

export function renderSessions(pane, ctx, data) {
  const { t } = ctx;
  const days = eventDays(data.event);
  if (filters.event !== ctx.event.slug) Object.assign(filters, { event: ctx.event.slug, day: "", room: "", track: "", status: "" });
  const choose = (key, options) => h("label", {}, t(`program.filter.${key}`),
    h("select", { id: `filter-${key}`, onchange: (e) => { filters[key] = e.target.value; draw(); } },
      h("option", { value: "" }, t("common.all")),
      options.map(([v, text]) => h("option", { value: v, selected: filters[key] === v }, text))));
  const list = h("div", { id: "session-list" });
  pane.append(
    h("div", { class: "toolbar" },
      choose("day", days.map((d) => [d, dayLabel(d, ctx.locale)])),
      choose("room", data.rooms.map((r) => [r.slug, pick(r.name, ctx.locale, r.slug)])),
      choose("track", data.tracks.map((x) => [x.slug, pick(x.name, ctx.locale, x.slug)])),
      choose("status", STATUSES.map((s) => [s, t(`program.status.${s}`)])),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "primary", id: "session-new",
        disabled: !data.rooms.length, onclick: () => openSession(ctx, data, null) }, t("program.session.new"))),
    ...(data.rooms.length ? [] : [h("p", { class: "note" }, t("program.session.rooms_first"))]),
    list);

  function draw() {
    const shown = data.sessions.filter((s) => (!filters.day || wallDate(s.starts_at) === filters.day)
      && (!filters.room || s.room === filters.room) && (!filters.track || s.track === filters.track)
      && (!filters.status || s.status === filters.status));
    list.replaceChildren();
    if (!shown.length) {
      list.append(h("p", { class: "status" }, t(data.sessions.length ? "program.session.none_match" : "program.session.none")));
      return;
    }
    const byDay = new Map();
    for (const s of shown) {
      const day = wallDate(s.starts_at);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(s);
    }
    for (const [day, items] of byDay) {
      list.append(h("h2", { class: "day" }, dayLabel(day, ctx.locale), h("span", { class: "hint" }, ` · ${t("program.session.count", { n: items.length })}`)),
        dataTable(
          [t("program.session.time"), t("program.session.room"), t("program.session.title"), t("program.session.kind"), t("field.status")],
          items.map((s) => {
            const track = trackOf(data, s.track);
            return { class: s.status === "cancelled" ? "cancelled" : null, cells: [
              { text: `${wallTime(s.starts_at)}–${wallTime(s.ends_at)}`, class: "time" },
              roomName(data, s.room, ctx.locale),
              h("span", { class: "titled" }, track ? swatch(track.colour) : null,
                h("span", {}, sessionLink(ctx, data, s),
                  h("span", { class: "sub" }, [track ? pick(track.name, ctx.locale, track.slug) : null,
                    s.speakers.map((x) => x.name).join(", ")].filter(Boolean).join(" · ")))),
              t(`program.kind.${s.kind}`),
              h("span", { class: `pill ${s.status}` }, t(`program.status.${s.status}`)),
            ] };
          })));
    }
  }
  draw();
}

export function eventDays(event) {
  const out = [];
  if (!event?.starts_on) return out;
  for (let d = new Date(`${event.starts_on}T00:00:00Z`); d <= new Date(`${event.ends_on}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

// ---- the form --------------------------------------------------------------------------

export async function openSession(ctx, data, id) {
  const { t } = ctx;
  let item = null;
  if (id) {
    const r = await ctx.run(() => call("GET", `${ctx.base}/sessions/${encodeURIComponent(id)}`));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    item = r.data;
  }
  const title = item ? pick(item.title, ctx.locale, item.id) : t("program.session.new");
  ctx.drawer(title, sessionForm(ctx, data, item));
}

function sessionForm(ctx, data, item) {
  const { t } = ctx;
  const s = item || { title: {}, description: {}, kind: "panel", language: ctx.locale, status: "draft",
    room: data.rooms[0]?.slug, track: null, bookable: false, capacity: null, speakers: [] };
  const days = eventDays(data.event);
  const range = days.length ? { min: `${days[0]}T00:00`, max: `${days[days.length - 1]}T23:59` } : {};
  const alert = h("div", { class: "alert", role: "alert", tabindex: "-1", id: "session-alert" });
  const f = {
    title: multilingual(t, "s-title", t("program.session.title"), s.title, { required: true }),
    description: multilingual(t, "s-description", t("program.session.description"), s.description, { long: true }),
    kind: select("s-kind", t("program.session.kind"), KINDS.map((k) => [k, t(`program.kind.${k}`)]), s.kind),
    language: select("s-language", t("program.session.language"), ["kk", "ru", "en"].map((l) => [l, t(`program.lang.${l}`)]), s.language),
    status: select("s-status", t("field.status"), STATUSES.map((x) => [x, t(`program.status.${x}`)]), s.status,
      t("program.session.status_hint")),
    starts_at: input("s-starts_at", t("program.session.starts"), { type: "datetime-local", value: wallLocal(s.starts_at), required: true, ...range },
      t("program.session.zone_hint", { zone: data.event.timezone })),
    ends_at: input("s-ends_at", t("program.session.ends"), { type: "datetime-local", value: wallLocal(s.ends_at), required: true, ...range }),
    room: select("s-room", t("program.session.room"), data.rooms.map((r) => [r.slug, `${pick(r.name, ctx.locale, r.slug)} (${r.capacity})`]), s.room),
    track: select("s-track", t("program.session.track"), [["", t("program.session.no_track")],
      ...data.tracks.map((x) => [x.slug, pick(x.name, ctx.locale, x.slug)])], s.track || ""),
    capacity: input("s-capacity", t("program.session.capacity"), { type: "number", min: 1, inputmode: "numeric", value: s.capacity ?? "" },
      t("program.session.capacity_hint")),
    bookable: checkbox("s-bookable", t("program.session.bookable"), s.bookable),
    speakers: repeater(t, "s-speakers", t("program.session.speakers"), s.speakers, (v) => {
      const who = h("select", { "aria-label": t("program.speaker.one") },
        h("option", { value: "" }, t("program.session.pick_speaker")),
        data.speakers.map((x) => h("option", { value: x.id, selected: x.id === v.speaker }, x.name)));
      const role = h("select", { "aria-label": t("program.session.role") },
        ROLES.map((r) => h("option", { value: r, selected: r === (v.role || "speaker") }, t(`program.role.${r}`))));
      return { node: h("div", { class: "pair" }, who, role), read: () => (who.value ? { speaker: who.value, role: role.value } : null) };
    }, t("program.session.add_speaker")),
  };
  f.starts_at.control.addEventListener("change", () => {
    // A new session's end follows its start by an hour until the end is chosen.
    if (!f.ends_at.control.value && f.starts_at.control.value) {
      const d = new Date(`${f.starts_at.control.value}:00Z`);
      d.setUTCHours(d.getUTCHours() + 1);
      f.ends_at.control.value = d.toISOString().slice(0, 16);
    }
  });

  const form = h("form", { class: "program-form", id: "session-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = {
      title: f.title.value(), description: f.description.value(), kind: f.kind.read(),
      language: f.language.read(), status: f.status.read(),
      starts_at: localToIso(f.starts_at.read(), data.event.timezone),
      ends_at: localToIso(f.ends_at.read(), data.event.timezone),
      room: f.room.read(), track: f.track.read() || null, capacity: f.capacity.read(),
      bookable: f.bookable.read(), speakers: f.speakers.value(),
    };
    const r = await ctx.run(() => (item
      ? call("PATCH", `${ctx.base}/sessions/${encodeURIComponent(item.id)}`, { body })
      : call("POST", `${ctx.base}/sessions`, { body })));
    if (!r) return;
    showFieldErrors(form, { data: {} }, () => null);
    if (r.ok) {
      ctx.closeDrawer();
      ctx.setAlert(t(item ? "program.session.saved" : "program.session.created", { title: pick(r.data.title, ctx.locale) }), true);
      await data.reload("sessions");
      return;
    }
    if (r.status === 409 && isRule(r.data?.code)) {
      alert.replaceChildren(conflictBox(ctx, data, r.data));
    } else if (r.status === 422) {
      const rest = showFieldErrors(form, r, (key) => `s-${key.split(".")[0]}`);
      alert.textContent = [t("program.fix_fields"), ...rest].join(" ");
    } else {
      alert.textContent = problemText(r, t);
    }
    alert.scrollIntoView({ block: "nearest" });
  } },
  alert,
  f.title,
  h("div", { class: "form-grid" }, f.kind, f.language, f.starts_at, f.ends_at, f.room, f.track, f.capacity, f.status),
  f.bookable,
  f.speakers,
  f.description,
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary", id: "session-save" }, t("common.save")),
    item ? h("button", { type: "button", class: "danger", onclick: async () => {
      if (!window.confirm(t("program.session.delete_confirm"))) return;
      const r = await ctx.run(() => call("DELETE", `${ctx.base}/sessions/${encodeURIComponent(item.id)}`));
      if (!r) return;
      if (!r.ok) { alert.textContent = problemText(r, t); return; }
      ctx.closeDrawer();
      await data.reload("sessions");
    } }, t("program.delete")) : null));
  return form;
}
