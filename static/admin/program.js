// The Program section, for program managers (and organizers): sessions by day, rooms, tracks,
// speakers, the current conflicts, and publishing a version with its changelog.

import { call } from "/static/admin/api.js";
import {
  checkbox, dayLabel, input, multilingual, pick, repeater, wallDate, wallTime,
} from "/static/admin/program-forms.js";
import {
  conflictBox, isRule, renderSessions, roomName, sessionLine, sessionLink, swatch,
} from "/static/admin/program-sessions.js";
import { speakerExtras } from "/static/admin/program-speaker.js";
import { dataTable, formatDateTime, h, problemText, showFieldErrors } from "/static/admin/ui.js";

const TABS = ["sessions", "rooms", "tracks", "speakers", "conflicts", "publish"];
let current = "sessions"; // kept across re-renders (a language switch)

export async function renderProgram(view, ctx) {
  const { t } = ctx;
  const data = { event: null, rooms: [], tracks: [], speakers: [], sessions: [], warnings: [] };
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": t("nav.program") });
  const pane = h("div", { class: "tab-pane", id: "program-pane", role: "tabpanel" });
  view.append(h("h1", {}, t("nav.program")), tabs, pane);

  const lists = {
    rooms: () => call("GET", `${ctx.base}/rooms`),
    tracks: () => call("GET", `${ctx.base}/tracks`),
    speakers: () => call("GET", `${ctx.base}/program/speakers`),
    sessions: () => call("GET", `${ctx.base}/sessions`),
    warnings: () => call("GET", `${ctx.base}/program/warnings`),
  };

  async function fetchLists(names) {
    const results = await ctx.run(() => Promise.all(names.map((n) => lists[n]())));
    if (!results) return false;
    const failed = results.find((r) => !r.ok);
    if (failed) { ctx.setAlert(problemText(failed, t)); return false; }
    names.forEach((n, i) => { data[n] = results[i].data; });
    return true;
  }

  /** After a save: the changed list and the warnings again, then the open tab redrawn. */
  data.reload = async (...names) => {
    if (await fetchLists([...new Set([...names, "warnings"])])) draw();
  };

  function draw() {
    tabs.replaceChildren(...TABS.map((id) => h("button", {
      type: "button", role: "tab", id: `tab-${id}`, "aria-selected": String(id === current),
      onclick: () => { current = id; ctx.setAlert(""); draw(); },
    }, t(`program.tab.${id}`), id === "conflicts" && countConflicts(data)
      ? h("span", { class: "count" }, String(countConflicts(data))) : null)));
    pane.replaceChildren();
    pane.setAttribute("aria-labelledby", `tab-${current}`);
    ({ sessions: renderSessions, rooms: renderRooms, tracks: renderTracks, speakers: renderSpeakers,
      conflicts: renderConflicts, publish: renderPublish })[current](pane, ctx, data);
  }

  const eventInfo = await ctx.run(() => call("GET", ctx.base));
  if (!eventInfo) return;
  data.event = eventInfo.ok ? eventInfo.data : { timezone: ctx.event.timezone };
  if (await fetchLists(Object.keys(lists))) draw();
}

const countConflicts = (data) => data.warnings.filter((w) => isRule(w.code)).length;

// ---- shared: a drawer form that creates or edits one thing -------------------------------

/** The drawer form of a room, track or speaker: ``fields`` are rows with .read()/.value();
 * ``body()`` gathers them; 422 errors go beside the fields (ids ``prefix-<field>``). */
function entityForm(ctx, data, { prefix, fields, body, url, item, list, deleted, saved }) {
  const { t } = ctx;
  const alert = h("div", { class: "alert", role: "alert", tabindex: "-1", id: `${prefix}-alert` });
  const form = h("form", { class: "program-form", id: `${prefix}-form`, novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const r = await ctx.run(() => call(item ? "PATCH" : "POST", url, { body: body() }));
    if (!r) return;
    showFieldErrors(form, { data: {} }, () => null);
    alert.replaceChildren();
    if (r.ok) {
      ctx.closeDrawer();
      ctx.setAlert(t(saved), true);
      await data.reload(list);
      return;
    }
    if (r.status === 422) {
      const rest = showFieldErrors(form, r, (key) => `${prefix}-${key.split(".")[0]}`);
      alert.textContent = [t("program.fix_fields"), ...rest].join(" ");
    } else if (r.status === 409 && isRule(r.data?.code)) {
      alert.append(conflictBox(ctx, data, r.data)); // a room change that a session no longer fits
      if (r.data.session) alert.append(h("p", {}, t("program.conflict.affected"), " ", sessionLink(ctx, data, r.data.session, sessionLine(ctx, data, r.data.session))));
    } else {
      alert.textContent = codeText(t, r);
    }
    alert.focus();
  } }, alert, fields,
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "primary", id: `${prefix}-save` }, t("common.save")),
    item ? h("button", { type: "button", class: "danger", id: `${prefix}-delete`, onclick: async () => {
      if (!window.confirm(t("program.delete_confirm"))) return;
      const r = await ctx.run(() => call("DELETE", url));
      if (!r) return;
      if (!r.ok) { alert.textContent = codeText(t, r); alert.focus(); return; }
      ctx.closeDrawer();
      ctx.setAlert(t(deleted), true);
      await data.reload(list);
    } }, t("program.delete")) : null));
  return form;
}

const KNOWN = ["room_exists", "track_exists", "room_in_use", "track_in_use", "speaker_in_use",
  "participant_not_speaker", "participant_taken", "version_exists", "nothing_to_publish",
  "program_has_conflicts", "publish_race"];

function codeText(t, r) {
  const code = r.data?.code;
  return KNOWN.includes(code) ? t(`program.code.${code}`) : problemText(r, t);
}

function newButton(id, label, onclick) {
  return h("div", { class: "toolbar" }, h("span", { class: "spacer" }),
    h("button", { type: "button", class: "primary", id, onclick }, label));
}

// ---- rooms -------------------------------------------------------------------------------

function renderRooms(pane, ctx, data) {
  const { t } = ctx;
  const inUse = (slug) => data.sessions.filter((s) => s.room === slug && s.status !== "cancelled").length;
  pane.append(newButton("room-new", t("program.room.new"), () => openRoom(null)),
    dataTable([t("field.name"), t("program.slug"), { text: t("program.room.capacity"), class: "num" },
      t("program.room.location"), t("program.room.interpretation"), t("program.room.hours"),
      { text: t("program.tab.sessions"), class: "num" }],
    data.rooms.map((r) => [
      h("button", { type: "button", class: "row-link", onclick: () => openRoom(r) }, pick(r.name, ctx.locale, r.slug)),
      h("code", {}, r.slug), { text: String(r.capacity), class: "num" }, r.location || "",
      r.interpretation ? t("common.yes") : t("common.no"),
      r.opens_at || r.closes_at ? `${(r.opens_at || "00:00").slice(0, 5)}–${(r.closes_at || "24:00").slice(0, 5)}` : t("program.room.all_day"),
      { text: String(inUse(r.slug)), class: "num" },
    ]), t("program.room.none")));

  function openRoom(room) {
    const r = room || { name: {}, interpretation: false };
    const f = {
      name: multilingual(t, "room-name", t("field.name"), r.name, { required: true }),
      slug: input("room-slug", t("program.slug"), { value: r.slug || "", required: true, pattern: "[a-z0-9-]+" }, t("program.slug_hint")),
      capacity: input("room-capacity", t("program.room.capacity"), { type: "number", min: 1, inputmode: "numeric", value: r.capacity ?? "", required: true }),
      location: input("room-location", t("program.room.location"), { value: r.location || "" }, t("program.room.location_hint")),
      opens_at: input("room-opens_at", t("program.room.opens"), { type: "time", value: (r.opens_at || "").slice(0, 5) }),
      closes_at: input("room-closes_at", t("program.room.closes"), { type: "time", value: (r.closes_at || "").slice(0, 5) }, t("program.room.hours_hint")),
      position: input("room-position", t("program.position"), { type: "number", min: 0, inputmode: "numeric", value: r.position ?? 0 }, t("program.position_hint")),
      interpretation: checkbox("room-interpretation", t("program.room.interpretation_long"), r.interpretation),
    };
    ctx.drawer(room ? pick(room.name, ctx.locale, room.slug) : t("program.room.new"), entityForm(ctx, data, {
      prefix: "room", item: room, list: "rooms", saved: "program.room.saved", deleted: "program.room.deleted",
      url: room ? `${ctx.base}/rooms/${encodeURIComponent(room.slug)}` : `${ctx.base}/rooms`,
      fields: [f.name, h("div", { class: "form-grid" }, f.slug, f.capacity, f.location, f.position, f.opens_at, f.closes_at), f.interpretation],
      body: () => ({
        name: f.name.value(), slug: f.slug.read(), capacity: f.capacity.read(), location: f.location.read(),
        interpretation: f.interpretation.read(), position: f.position.read() ?? 0,
        opens_at: f.opens_at.read() || null, closes_at: f.closes_at.read() || null,
      }),
    }));
  }
}

// ---- tracks ------------------------------------------------------------------------------

function renderTracks(pane, ctx, data) {
  const { t } = ctx;
  const inUse = (slug) => data.sessions.filter((s) => s.track === slug && s.status !== "cancelled").length;
  pane.append(newButton("track-new", t("program.track.new"), () => openTrack(null)),
    dataTable([t("field.name"), t("program.slug"), t("program.track.colour"), { text: t("program.tab.sessions"), class: "num" }],
      data.tracks.map((x) => [
        h("span", { class: "titled" }, swatch(x.colour),
          h("button", { type: "button", class: "row-link", onclick: () => openTrack(x) }, pick(x.name, ctx.locale, x.slug))),
        h("code", {}, x.slug), h("code", {}, x.colour), { text: String(inUse(x.slug)), class: "num" },
      ]), t("program.track.none")));

  function openTrack(track) {
    const x = track || { name: {}, colour: "#1f6feb" };
    const f = {
      name: multilingual(t, "track-name", t("field.name"), x.name, { required: true }),
      slug: input("track-slug", t("program.slug"), { value: x.slug || "", required: true }, t("program.slug_hint")),
      colour: input("track-colour", t("program.track.colour"), { type: "color", value: x.colour }),
      position: input("track-position", t("program.position"), { type: "number", min: 0, inputmode: "numeric", value: x.position ?? 0 }, t("program.position_hint")),
    };
    ctx.drawer(track ? pick(track.name, ctx.locale, track.slug) : t("program.track.new"), entityForm(ctx, data, {
      prefix: "track", item: track, list: "tracks", saved: "program.track.saved", deleted: "program.track.deleted",
      url: track ? `${ctx.base}/tracks/${encodeURIComponent(track.slug)}` : `${ctx.base}/tracks`,
      fields: [f.name, h("div", { class: "form-grid" }, f.slug, f.colour, f.position)],
      body: () => ({ name: f.name.value(), slug: f.slug.read(), colour: f.colour.read(), position: f.position.read() ?? 0 }),
    }));
  }
}

// ---- speakers ----------------------------------------------------------------------------

const CONSENTS = ["profile", "bio", "photo", "links"];

function renderSpeakers(pane, ctx, data) {
  const { t } = ctx;
  const sessionsOf = (id) => data.sessions.filter((s) => s.status !== "cancelled" && s.speakers.some((x) => x.speaker === id)).length;
  pane.append(newButton("speaker-new", t("program.speaker.new"), () => openSpeaker(null)),
    dataTable([t("field.name"), t("field.organization"), t("field.country"), t("program.speaker.public"),
      { text: t("program.tab.sessions"), class: "num" }],
    data.speakers.map((s) => [
      h("span", {}, h("button", { type: "button", class: "row-link", onclick: () => openSpeaker(s) }, s.name),
        s.title ? h("span", { class: "sub" }, s.title) : null),
      s.organization || "", s.country || "",
      h("span", { class: "consents" }, CONSENTS.map((c) => h("span", { class: `pill ${s.consent[c] ? "on" : ""}` },
        `${s.consent[c] ? "✓" : "✗"} ${t(`program.consent.${c}`)}`))),
      { text: String(sessionsOf(s.id)), class: "num" },
    ]), t("program.speaker.none")));

  function openSpeaker(speaker) {
    const s = speaker || { bio: {}, links: [], consent: {} };
    const f = {
      name: input("speaker-name", t("field.name"), { value: s.name || "", required: true, autocomplete: "off" }),
      title: input("speaker-title", t("program.speaker.title"), { value: s.title || "" }, t("program.speaker.title_hint")),
      organization: input("speaker-organization", t("field.organization"), { value: s.organization || "" }),
      country: input("speaker-country", t("field.country"), { value: s.country || "", maxlength: 2, class: "short" }, t("program.speaker.country_hint")),
      participant: input("speaker-participant", t("program.speaker.participant"), { value: s.participant || "" }, t("program.speaker.participant_hint")),
      bio: multilingual(t, "speaker-bio", t("program.speaker.bio"), s.bio, { long: true }),
      links: repeater(t, "speaker-links", t("program.speaker.links"), s.links, (v) => {
        const label = h("input", { value: v.label || "", placeholder: t("program.speaker.link_label"), "aria-label": t("program.speaker.link_label") });
        const url = h("input", { type: "url", value: v.url || "", placeholder: "https://", "aria-label": t("program.speaker.link_url") });
        return { node: h("div", { class: "pair" }, label, url),
          read: () => (url.value.trim() ? { label: label.value.trim(), url: url.value.trim() } : null) };
      }, t("program.speaker.add_link")),
      consent: Object.fromEntries(CONSENTS.map((c) => [c, checkbox(`speaker-consent-${c}`, t(`program.consent.${c}_long`), s.consent[c])])),
    };
    const consents = h("fieldset", { id: "speaker-consent" }, h("legend", {}, t("program.speaker.consent")),
      h("p", { class: "hint" }, t("program.speaker.consent_hint")), Object.values(f.consent),
      h("p", { class: "field-error", id: "speaker-consent-error" }));
    ctx.drawer(speaker ? speaker.name : t("program.speaker.new"), entityForm(ctx, data, {
      prefix: "speaker", item: speaker, list: "speakers", saved: "program.speaker.saved", deleted: "program.speaker.deleted",
      url: speaker ? `${ctx.base}/speakers/${encodeURIComponent(speaker.id)}` : `${ctx.base}/speakers`,
      fields: [h("div", { class: "form-grid" }, f.name, f.title, f.organization, f.country, f.participant), f.bio, f.links, consents,
        speaker ? speakerExtras(ctx, speaker, () => data.reload("speakers")) : null],
      body: () => ({
        name: f.name.read(), title: f.title.read(), organization: f.organization.read(),
        country: f.country.read().toUpperCase(), participant: f.participant.read() || null,
        bio: f.bio.value(), links: f.links.value(),
        consent: Object.fromEntries(CONSENTS.map((c) => [c, f.consent[c].read()])),
      }),
    }));
  }
}

// ---- conflicts ---------------------------------------------------------------------------

function renderConflicts(pane, ctx, data) {
  const { t } = ctx;
  const rules = data.warnings.filter((w) => isRule(w.code));
  const notes = data.warnings.filter((w) => !isRule(w.code));
  pane.append(h("p", { class: rules.length ? "note" : "alert ok", id: "conflicts-summary" },
    rules.length ? t("program.conflicts.some", { n: rules.length }) : t("program.conflicts.clear")));
  const when = (s) => `${dayLabel(wallDate(s.starts_at), ctx.locale)} ${wallTime(s.starts_at)}–${wallTime(s.ends_at)}`;
  const explain = (w) => {
    if (w.code === "room_hours" || w.room_hours) return t("program.conflict.hours", { opens: w.room_hours[0], closes: w.room_hours[1] });
    if (w.event_days) return t("program.conflict.days", { first: dayLabel(w.event_days[0], ctx.locale), last: dayLabel(w.event_days[1], ctx.locale), zone: data.event.timezone });
    if (w.code === "capacity_above_room" && w.room) return t("program.conflict.capacity", { room: roomName(data, w.room.slug, ctx.locale), capacity: w.room.capacity });
    if (w.code === "speaker_double_booked") {
      return t("program.conflict.speaker", { names: (w.speakers || []).map((id) => data.speakers.find((s) => s.id === id)?.name || id).join(", ") });
    }
    if (w.code === "room_double_booked") return t("program.conflict.room", { room: roomName(data, w.session.room, ctx.locale) });
    return t("program.conflicts.no_speakers_detail");
  };
  const rows = (list) => list.map((w) => [
    h("span", { class: `pill ${isRule(w.code) ? "rejected" : "pending"}` }, t(`program.rule.${w.code}`)),
    h("span", {}, sessionLink(ctx, data, w.session), h("span", { class: "sub" }, `${when(w.session)} · ${roomName(data, w.session.room, ctx.locale)}`)),
    w.conflicting_session
      ? h("span", {}, sessionLink(ctx, data, w.conflicting_session), h("span", { class: "sub" }, when(w.conflicting_session)))
      : "",
    explain(w),
  ]);
  const head = [t("program.conflicts.rule"), t("program.conflicts.session"), t("program.conflicts.other"), t("program.conflicts.why")];
  if (rules.length) pane.append(dataTable(head, rows(rules)));
  if (notes.length) {
    pane.append(h("h2", {}, t("program.conflicts.notes")), dataTable(head, rows(notes)));
  }
}

// ---- publish -----------------------------------------------------------------------------

function renderPublish(pane, ctx, data) {
  const { t } = ctx;
  const result = h("div", { id: "publish-result" });
  const history = h("div", { id: "versions" });
  const alert = h("div", { class: "alert", role: "alert", tabindex: "-1", id: "publish-alert" });
  const name = input("publish-name", t("program.publish.name"), { required: true, maxlength: 100 }, t("program.publish.name_hint"));
  const note = h("div", { class: "field" }, h("label", { for: "publish-note" }, t("program.publish.note")),
    h("textarea", { id: "publish-note", rows: 3, maxlength: 2000 }), h("p", { class: "field-error", id: "publish-note-error" }));
  const published = data.sessions.filter((s) => s.status === "published").length;
  const drafts = data.sessions.filter((s) => s.status === "draft").length;
  const form = h("form", { class: "card", id: "publish-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const r = await ctx.run(() => call("POST", `${ctx.base}/program/publish`,
      { body: { name: name.read(), note: note.querySelector("textarea").value } }));
    if (!r) return;
    showFieldErrors(form, { data: {} }, () => null);
    alert.replaceChildren();
    if (r.ok) {
      form.reset();
      result.replaceChildren(versionCard(ctx, data, r.data, true));
      await loadVersions();
      return;
    }
    if (r.status === 422) {
      alert.textContent = [t("program.fix_fields"), ...showFieldErrors(form, r, (k) => `publish-${k.split(".")[0]}`)].join(" ");
    } else if (r.data?.code === "program_has_conflicts") {
      alert.append(t("program.code.program_has_conflicts"), " ",
        h("button", { type: "button", class: "row-link", onclick: () => document.getElementById("tab-conflicts")?.click() },
          t("program.publish.see_conflicts")));
    } else {
      alert.textContent = codeText(t, r);
    }
    alert.focus();
  } },
  h("h2", {}, t("program.publish.heading")),
  h("p", { class: "hint" }, t("program.publish.intro", { published, drafts })),
  alert, h("div", { class: "form-grid" }, name), note,
  h("button", { type: "submit", class: "primary", id: "publish-submit" }, t("program.publish.submit")));
  pane.append(form, result, h("h2", {}, t("program.publish.history")), history);

  async function loadVersions() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/program/versions`));
    if (!r) return;
    if (!r.ok) { history.textContent = problemText(r, t); return; }
    history.replaceChildren(r.data.length
      ? h("div", {}, r.data.map((v) => versionCard(ctx, data, v, false)))
      : h("p", { class: "status" }, t("program.publish.none")));
  }
  loadVersions();
}

/** Who published: the signed-in person by name, another staff account without its raw id. */
function publisher(ctx, ref) {
  const me = ctx.me?.account;
  if (me && ref === `account:${me.id}`) return me.name || me.email;
  return ref?.startsWith("account:") ? ctx.t("program.publish.by_staff") : (ref || "—");
}

const CHANGES = ["added", "moved", "room_changed", "cancelled"];

function versionCard(ctx, data, v, fresh) {
  const { t } = ctx;
  const log = v.changelog || {};
  const counts = CHANGES.map((k) => t(`program.change.${k}.count`, { n: (log[k] || []).length })).join(" · ");
  const item = (k, c) => {
    const link = sessionLink(ctx, data, c, pick(c.title, ctx.locale, c.id));
    if (k === "moved") {
      return h("li", {}, link, " ", h("span", { class: "sub-inline" },
        `${wallDate(c.from.starts_at) === wallDate(c.to.starts_at) ? "" : `${dayLabel(wallDate(c.from.starts_at), ctx.locale)} `}${wallTime(c.from.starts_at)}–${wallTime(c.from.ends_at)} → ${dayLabel(wallDate(c.to.starts_at), ctx.locale)} ${wallTime(c.to.starts_at)}–${wallTime(c.to.ends_at)}`));
    }
    if (k === "room_changed") {
      return h("li", {}, link, " ", h("span", { class: "sub-inline" },
        `${roomName(data, c.from, ctx.locale)} → ${roomName(data, c.to, ctx.locale)}`));
    }
    return h("li", {}, link);
  };
  const body = h("div", { class: "changelog" }, CHANGES.filter((k) => (log[k] || []).length).map((k) =>
    h("section", { class: `change ${k}`, "data-change": k },
      h("h4", {}, t(`program.change.${k}`), ` (${log[k].length})`),
      h("ul", {}, log[k].map((c) => item(k, c))))));
  const head = [
    h("h3", {}, t("program.publish.version", { name: v.name, number: v.number })),
    h("p", { class: "hint" }, t("program.publish.meta", {
      when: formatDateTime(v.published_at, ctx.locale, data.event.timezone), who: publisher(ctx, v.published_by), n: v.sessions })),
    v.note ? h("p", { class: "version-note" }, v.note) : null,
  ];
  if (fresh) {
    return h("div", { class: "card version fresh", role: "status" },
      h("p", { class: "alert ok" }, t("program.publish.done", { name: v.name })), head, body);
  }
  return h("details", { class: "card version", "data-version": v.name }, h("summary", {}, `${v.name} · ${counts}`), head, body);
}
