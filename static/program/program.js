// The public program page: the latest published program of an event, by day, by room or by
// track, filtered in the page (the whole program of a language is one cached answer, so
// filters are instant and keep working offline), with the visitor's personal agenda.

import { createI18n } from "../common/i18n.js";
import { Agenda } from "./agenda.js";
import { Detail } from "./detail.js";
import { dayKey, dayLabel, momentLabel } from "./format.js";
import { TEXTS } from "./i18n.js";
import { renderSubscriptions, webcal } from "./subscribe.js";
import { byRoom, byTime, byTrack, mine } from "./views.js";

const $ = (id) => document.getElementById(id);
const KINDS = ["plenary", "keynote", "panel", "workshop", "pitch", "networking"];
const SPOKEN = ["kk", "ru", "en"];
const VIEWS = ["time", "room", "track", "mine"];
const FILTERS = ["track", "room", "language", "kind"];
const DEFAULT_ZONE = "Asia/Almaty";
const TIMEOUT_MS = 10000;

const { initialLocale, locale, onLocaleChange, renderLanguageSwitch, setLocale, t, hasText } =
  createI18n({ texts: TEXTS });

const params = new URLSearchParams(location.search);
const slug = params.get("event") || "digital-bridge";
const base = `/api/v1/events/${encodeURIComponent(slug)}`;

const state = {
  event: null,
  tz: DEFAULT_ZONE,
  programs: new Map(), // language → {data, savedAt (when served from the offline copy)}
  profiles: new Map(), // language → Map(id → public profile)
  sessions: new Map(), // `${language}:${id}` → detail
  view: VIEWS.includes(params.get("view")) ? params.get("view") : "time",
  day: params.get("day") || null,
  filters: Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || ""])),
  q: params.get("q") || "",
  session: params.get("session") || null, // the open session's detail, shareable
  failed: null, // text key of a load failure
};
const agenda = new Agenda();
let loadSeq = 0;

// ---- network ----------------------------------------------------------------------------

/**
 * A public GET through the browser's HTTP cache (the answers carry ETags and max-age) and the
 * page's service worker, which answers with its last copy when the network is gone and says
 * so in X-Offline-Saved-At.
 */
async function getJson(url, { fresh = false } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/json" }, credentials: "omit", signal: controller.signal,
      cache: fresh ? "no-cache" : "default", // no-cache: revalidate (a 304 when unchanged)
    });
    const data = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, data,
      savedAt: response.headers.get("X-Offline-Saved-At") };
  } catch {
    return { ok: false, status: 0, data: null, savedAt: null };
  } finally {
    clearTimeout(timer);
  }
}

async function loadEvent() {
  if (state.event) return;
  const answer = await getJson(base);
  if (answer.ok) {
    state.event = answer.data;
    state.tz = answer.data.timezone || DEFAULT_ZONE;
  } else if (answer.status === 404) {
    state.failed = "page.not_found";
  }
}

async function loadProgram(language, { fresh = false } = {}) {
  if (!fresh && state.programs.has(language)) return;
  const answer = await getJson(`${base}/program?lang=${language}`, { fresh });
  if (answer.ok) {
    state.programs.set(language, { data: answer.data, savedAt: answer.savedAt });
    state.failed = null;
  } else if (!state.programs.has(language)) {
    state.failed = answer.status === 404 ? "page.not_found" : "page.load_failed";
  }
}

async function load({ fresh = false } = {}) {
  const seq = ++loadSeq;
  const language = locale();
  if (!state.programs.has(language)) $("page-status").textContent = t("page.loading");
  await Promise.all([loadEvent(), loadProgram(language, { fresh })]);
  if (seq !== loadSeq) return;
  $("page-status").textContent = "";
  render();
}

async function sessionDetail(id) {
  const language = locale();
  const key = `${language}:${id}`;
  // Revalidated: its seats left change as people book.
  const answer = await getJson(`${base}/program/sessions/${encodeURIComponent(id)}?lang=${language}`,
    { fresh: true });
  if (answer.ok) state.sessions.set(key, answer.data);
  return state.sessions.get(key) || null;
}

async function profiles() {
  const language = locale();
  if (state.profiles.has(language)) return state.profiles.get(language);
  const answer = await getJson(`${base}/speakers?lang=${language}`);
  if (!answer.ok || !Array.isArray(answer.data)) return new Map();
  const found = new Map(answer.data.map((p) => [p.id, p]));
  state.profiles.set(language, found);
  return found;
}

// ---- the program in the page language ---------------------------------------------------

function current() {
  return state.programs.get(locale()) || [...state.programs.values()][0] || null;
}

function allSessions() {
  return current()?.data?.sessions || [];
}

function uniqueBy(items, key) {
  const seen = new Map();
  for (const item of items) if (item && !seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

function rooms() {
  return uniqueBy(allSessions().map((s) => s.room), (r) => r.slug);
}

function tracks() {
  return uniqueBy(allSessions().map((s) => s.track), (tr) => tr.slug);
}

function days() {
  return [...new Set(allSessions().map((s) => dayKey(s.starts_at, state.tz)))].sort();
}

function fold(text) {
  return String(text || "").toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
}

function matches(s) {
  const f = state.filters;
  if (f.track && s.track?.slug !== f.track) return false;
  if (f.room && s.room.slug !== f.room) return false;
  if (f.language && s.language !== f.language) return false;
  if (f.kind && s.kind !== f.kind) return false;
  if (state.q.trim()) {
    const hay = fold([s.title, s.room.name, s.track?.name, ...s.speakers.map((p) => p.name)]
      .join(" "));
    return hay.includes(fold(state.q.trim()));
  }
  return true;
}

function chosenDay(list) {
  if (state.day && list.includes(state.day)) return state.day;
  const today = dayKey(new Date().toISOString(), state.tz);
  return list.includes(today) ? today : list[0] || null;
}

// ---- rendering --------------------------------------------------------------------------

function fillSelect(select, options) {
  const chosen = state.filters[select.dataset.filter];
  select.replaceChildren(new Option(t("filter.any"), ""),
    ...options.map(({ value, label }) => new Option(label, value)));
  select.value = options.some((o) => o.value === chosen) ? chosen : "";
}

function renderControls(dayList, day) {
  $("days").replaceChildren(...dayList.map((key) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.day = key;
    button.textContent = dayLabel(key, locale(), { short: true });
    button.setAttribute("aria-pressed", String(key === day && state.view !== "mine"));
    return button;
  }));
  $("days").hidden = dayList.length < 2 && state.view !== "mine";
  document.querySelectorAll("#views button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  });
  fillSelect($("f-track"), tracks().map((tr) => ({ value: tr.slug, label: tr.name })));
  fillSelect($("f-room"), rooms().map((r) => ({ value: r.slug, label: r.name })));
  fillSelect($("f-language"), SPOKEN.map((code) => ({ value: code, label: t(`talk.${code}`) })));
  fillSelect($("f-kind"), KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) })));
  const active = FILTERS.filter((f) => state.filters[f]).length;
  $("filter-count").textContent = active ? String(active) : "";
  $("reset").hidden = !active && !state.q;
  if (document.activeElement !== $("q")) $("q").value = state.q;
  const named = (list) => (key) => list.find((x) => x.slug === key)?.name || key;
  renderSubscriptions({ base, language: locale(), filters: state.filters, t,
    names: { track: named(tracks()), room: named(rooms()) } });
}

function countText(n) {
  const key = `count.${new Intl.PluralRules(locale()).select(n)}`;
  return t(key in TEXTS[locale()] ? key : "count.other", { n });
}

function renderAgendaBar() {
  const bar = $("agenda-bar");
  const guest = ["guest", "invalid"].includes(agenda.state);
  bar.hidden = agenda.state === "loading" || (!guest && !agenda.calendarUrl
    && agenda.state === "ready");
  $("agenda-guest").hidden = !guest;
  $("agenda-member").hidden = !agenda.member;
  const link = $("calendar-link");
  link.hidden = !agenda.calendarUrl;
  $("calendar-hint").hidden = !agenda.calendarUrl;
  if (agenda.calendarUrl) {
    link.href = webcal(agenda.calendarUrl);
    $("calendar-https").href = agenda.calendarUrl;
  }
  $("calendar-https-line").hidden = !agenda.calendarUrl;
  const problem = { invalid: "agenda.invalid_token", unavailable: "agenda.unavailable",
    offline: "agenda.offline_load" }[agenda.state];
  $("agenda-problem").hidden = !problem;
  $("agenda-problem").textContent = problem ? t(problem) : "";
  if (problem && agenda.state !== "invalid") bar.hidden = false;
  $("views").querySelector('[data-view="mine"]').hidden = !agenda.readable;
  if (!agenda.readable && agenda.state !== "loading" && state.view === "mine") state.view = "time";
}

function renderNotes() {
  const answer = current();
  const offline = answer?.savedAt;
  $("offline-note").hidden = !offline;
  if (offline) {
    $("offline-note").textContent = t("offline.note",
      { time: momentLabel(offline, locale(), state.tz) });
  }
  $("net-badge").hidden = !offline && navigator.onLine !== false;
  const version = answer?.data?.version;
  $("version-line").textContent = version ? t("page.version",
    { name: version.name, time: momentLabel(version.published_at, locale(), state.tz) }) : "";
  $("event-line").textContent = state.event?.name || "";
  document.title = state.event ? `${t("page.title")} — ${state.event.name}` : t("page.title");
}

function render() {
  renderAgendaBar();
  renderNotes();
  const alert = $("page-alert");
  const answer = current();
  const problem = state.failed && !answer ? state.failed
    : answer && !answer.data?.version ? "page.not_published" : null;
  alert.textContent = problem ? t(problem) : "";
  alert.classList.toggle("is-visible", Boolean(problem));
  $("controls").hidden = !answer?.data?.version;
  if (!answer?.data?.version) {
    $("program").replaceChildren();
    return;
  }
  const dayList = days();
  const day = chosenDay(dayList);
  renderControls(dayList, day);
  const filtered = allSessions().filter(matches);
  const ofDay = state.view === "mine" ? filtered
    : filtered.filter((s) => dayKey(s.starts_at, state.tz) === day);
  const ctx = { t, locale: locale(), tz: state.tz, agenda };
  const shown = state.view === "mine" ? ofDay.filter((s) => agenda.has(s.id)) : ofDay;
  $("count").textContent = countText(shown.length);
  const container = $("program");
  container.dataset.view = state.view;
  if (state.view === "room") byRoom(container, ofDay, ctx, rooms());
  else if (state.view === "track") byTrack(container, ofDay, ctx);
  else if (state.view === "mine") mine(container, ofDay, ctx);
  else byTime(container, ofDay, ctx);
  if (detail.current) detail.render();
}

/** Keep the view and filters in the address, so a shared or reloaded link shows the same. */
function remember() {
  const next = new URLSearchParams();
  if (params.get("event")) next.set("event", params.get("event"));
  if (state.view !== "time") next.set("view", state.view);
  if (state.day) next.set("day", state.day);
  for (const f of FILTERS) if (state.filters[f]) next.set(f, state.filters[f]);
  if (state.q) next.set("q", state.q);
  if (state.session) next.set("session", state.session);
  const query = next.toString();
  history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
}

// ---- the detail -------------------------------------------------------------------------

function problemText(problem, fallback) {
  const key = `code.${problem.code}`;
  return hasText(key) ? t(key) : problem.detail || t(fallback);
}

const detail = new Detail({
  t, get locale() { return locale(); }, get tz() { return state.tz; }, agenda, base,
  session: sessionDetail, profiles,
  knownProfiles: () => state.profiles.get(locale()) || new Map(),
  problemText, onChange: () => render(),
  onBooked: () => load({ fresh: true }), // the list's seats left too
  onClose: () => {
    state.session = null;
    remember();
  },
  title: (id) => allSessions().find((s) => s.id === id)?.title,
});

function openSession(id) {
  const entry = allSessions().find((s) => s.id === id);
  if (!entry) return;
  state.session = id;
  remember();
  detail.show(entry);
}

// ---- wiring -----------------------------------------------------------------------------

function onClick(ev) {
  const star = ev.target.closest("[data-star]");
  if (star) {
    agenda.toggle(star.dataset.star).then((outcome) => {
      if (outcome.tone === "error") $("page-status").textContent = t(outcome.key);
    });
    return;
  }
  const open = ev.target.closest("[data-open]");
  if (open) openSession(open.dataset.open);
}

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register("/program-sw.js", { scope: "/program" }).catch((error) => {
      console.warn("The program cannot be kept for offline reading:", error);
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

renderLanguageSwitch($("lang-switch"));
setLocale(initialLocale());
// Session texts come from the API in the chosen language: a switch loads that program.
onLocaleChange(() => {
  render();
  load().then(() => detail.current && detail.refresh());
});
$("program").addEventListener("click", onClick);
$("days").addEventListener("click", (ev) => {
  const button = ev.target.closest("[data-day]");
  if (!button) return;
  state.day = button.dataset.day;
  if (state.view === "mine") state.view = "time";
  remember();
  render();
});
$("views").addEventListener("click", (ev) => {
  const button = ev.target.closest("[data-view]");
  if (!button) return;
  state.view = button.dataset.view;
  remember();
  render();
});
document.querySelectorAll("select[data-filter]").forEach((select) => {
  select.addEventListener("change", () => {
    state.filters[select.dataset.filter] = select.value;
    remember();
    render();
  });
});
$("q").addEventListener("input", () => {
  state.q = $("q").value;
  remember();
  render();
});
$("reset").addEventListener("click", () => {
  for (const f of FILTERS) state.filters[f] = "";
  state.q = "";
  $("q").value = "";
  remember();
  render();
});
if (matchMedia("(min-width: 48rem)").matches) $("filters").open = true;
agenda.onChange(render);
// A manage link opened on this page (/program#token=…) changes only the fragment.
window.addEventListener("hashchange", () => {
  if (new URLSearchParams(location.hash.slice(1)).has("token")) location.reload();
});
window.addEventListener("online", () => {
  load({ fresh: true });
  if (agenda.state === "offline") agenda.load();
});
window.addEventListener("offline", () => renderNotes());
load().then(() => {
  if (state.session) openSession(state.session); // a shared link to one session
  return agenda.load();
});
registerWorker();
