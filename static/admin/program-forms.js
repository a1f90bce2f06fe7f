// Form pieces of the Program section: texts in three languages, repeated rows (a session's
// speakers, a speaker's links), local date-times in the event's time zone, names with fallback.

import { fieldRow, h } from "/static/admin/ui.js";
import { pick } from "/static/common/i18n.js";

export { pick };

export const LANGS = ["kk", "ru", "en"];

/** Three inputs (or text areas) in a fieldset ``id``; .value() → {kk?, ru?, en?}. */
export function multilingual(t, id, legend, values = {}, { long = false, required = false } = {}) {
  const inputs = Object.fromEntries(LANGS.map((lang) => [lang, long
    ? h("textarea", { id: `${id}-${lang}`, rows: 3, lang }, values[lang] || "")
    : h("input", { id: `${id}-${lang}`, value: values[lang] || "", lang, autocomplete: "off" })]));
  const set = h("fieldset", { id, class: "langs" },
    h("legend", {}, legend, required ? h("span", { class: "hint" }, ` ${t("program.one_language")}`) : null),
    h("div", { class: "lang-grid" }, LANGS.map((lang) => h("div", { class: "field" },
      h("label", { for: `${id}-${lang}` }, t(`program.lang.${lang}`)), inputs[lang]))),
    h("p", { class: "field-error", id: `${id}-error` }));
  set.value = () => Object.fromEntries(LANGS.map((l) => [l, inputs[l].value.trim()]).filter(([, v]) => v));
  return set;
}

/** A labelled input; .read() gives its value (trimmed text, number or null, boolean). */
export function input(id, label, attrs = {}, hint = "") {
  const el = h("input", { autocomplete: "off", ...attrs });
  const row = fieldRow(id, label, el, hint);
  row.read = () => {
    if (attrs.type === "checkbox") return el.checked;
    const raw = el.value.trim();
    if (attrs.type === "number") return raw === "" ? null : Number(raw);
    return raw;
  };
  row.control = el;
  return row;
}

export function checkbox(id, label, checked) {
  const el = h("input", { type: "checkbox", id, checked: Boolean(checked) });
  const row = h("div", { class: "field check" }, h("label", { for: id }, el, " ", label),
    h("p", { class: "field-error", id: `${id}-error` }));
  row.read = () => el.checked;
  return row;
}

export function select(id, label, options, value, hint = "") {
  const el = h("select", {}, options.map(([v, text]) => h("option", { value: v, selected: v === (value ?? "") }, text)));
  const row = fieldRow(id, label, el, hint);
  row.read = () => el.value;
  row.control = el;
  return row;
}

/** Rows added and removed by the person: ``make(values)`` builds one row {node, read}. */
export function repeater(t, id, legend, items, make, addLabel) {
  const list = h("div", { class: "rows" });
  const rows = [];
  function add(values = {}) {
    const row = make(values);
    const node = h("div", { class: "repeat-row" }, row.node,
      h("button", { type: "button", class: "link-button remove", onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        node.remove();
      } }, t("program.remove")));
    rows.push(row);
    list.append(node);
  }
  for (const item of items) add(item);
  const set = h("fieldset", { id },
    h("legend", {}, legend), list,
    h("button", { type: "button", class: "secondary small", onclick: () => add() }, addLabel),
    h("p", { class: "field-error", id: `${id}-error` }));
  set.value = () => rows.map((r) => r.read()).filter(Boolean);
  return set;
}

// ---- time: the event's wall clock ------------------------------------------------------

/** The offset of ``timeZone`` at the instant ``ms``, in minutes east of UTC. */
function offsetAt(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - ms) / 60000);
}

/** "2026-11-26T10:00" on the event's clock → "2026-11-26T10:00:00+05:00"; "" stays "". */
export function localToIso(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local || "");
  if (!m) return "";
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let offset = offsetAt(wall, timeZone);
  offset = offsetAt(wall - offset * 60000, timeZone); // the offset in force at that moment
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const pad = (n) => String(n).padStart(2, "0");
  return `${local}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The server gives times with the event's offset: their wall clock is the text itself. */
export const wallDate = (iso) => (iso || "").slice(0, 10);
export const wallTime = (iso) => (iso || "").slice(11, 16);
export const wallLocal = (iso) => (iso || "").slice(0, 16);

const KK_MONTHS = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
  "қыркүйек", "қазан", "қараша", "желтоқсан"];
const KK_DAYS = ["жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"];

/** A day "2026-11-26" as the panel language writes it (weekday, day, month). */
export function dayLabel(day, locale) {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  // Browsers often carry no Kazakh month names: written out here.
  if (locale === "kk") return `${date.getUTCDate()} ${KK_MONTHS[date.getUTCMonth()]}, ${KK_DAYS[date.getUTCDay()]}`;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(date);
}
