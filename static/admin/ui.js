// Small DOM helpers for the panel: element building, dates, problem messages, field errors.

/** h("button", {class: "primary", onclick}, "text", child…) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key in el && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function formatDateTime(iso, locale, timeZone) {
  if (!iso) return "";
  // Browsers often carry no Kazakh month names ("2026 M11 3"): numbers read the same in kk.
  const options = locale === "kk"
    ? { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZone }
    : { dateStyle: "medium", timeStyle: "short", timeZone };
  try {
    return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString().slice(0, 16).replace("T", " ");
  }
}

export function formatNumber(value, locale) {
  return new Intl.NumberFormat(locale).format(value);
}

/** A person's display name: Latin, with the Cyrillic spelling beside it when given. */
export function personName(p) {
  const latin = `${p.first_name || ""} ${p.last_name || ""}`.trim();
  const cyr = `${p.first_name_cyrillic || ""} ${p.last_name_cyrillic || ""}`.trim();
  return cyr && cyr !== latin ? `${latin} (${cyr})` : latin;
}

/** The message to show for a failed call, in the panel language. */
export function problemText(result, t) {
  if (!result) return t("common.offline");
  const data = result.data || {};
  if (data.code === "totp_setup_required") return t("common.totp_setup_required");
  if (result.status === 403) return data.code === "insufficient_role" ? t("common.forbidden") : (data.detail || t("common.forbidden"));
  const fields = data.errors ? Object.entries(data.errors).map(([f, msgs]) => `${f}: ${msgs.join(" ")}`) : [];
  const detail = [data.detail || data.title || `HTTP ${result.status}`, ...fields].join(" — ");
  return t("common.error", { detail });
}

/** A labelled form field with a hint (optional) and a place for its error message. */
export function fieldRow(id, label, input, hint = "") {
  input.id = id;
  if (hint) input.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" },
    h("label", { for: id }, label), input,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error` }));
}

/** Show ``text`` under the field ``id`` inside ``root`` (empty: no error), for screen readers too. */
export function setFieldError(root, id, text) {
  const input = root.querySelector(`#${CSS.escape(id)}`);
  const box = root.querySelector(`#${CSS.escape(id)}-error`);
  if (!input || !box) return;
  box.textContent = text || "";
  const hint = root.querySelector(`#${CSS.escape(id)}-hint`);
  const described = [hint?.id, text ? box.id : null].filter(Boolean).join(" ");
  if (described) input.setAttribute("aria-describedby", described);
  else input.removeAttribute("aria-describedby");
  if (text) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** A table inside its scrolling frame: ``headers`` are texts (or {text, class}), ``rows`` are
 * arrays of cells (text or nodes) or {cells, class} objects. Empty: the "nothing" message. */
export function dataTable(headers, rows, empty = "") {
  if (!rows.length && empty) return h("p", { class: "status" }, empty);
  const cell = (tag, c) => (c && typeof c === "object" && !(c instanceof Node) && "text" in c
    ? h(tag, { class: c.class || null }, c.text) : h(tag, {}, c));
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, headers.map((x) => cell("th", x)))),
    h("tbody", {}, rows.map((r) => (Array.isArray(r)
      ? h("tr", {}, r.map((c) => cell("td", c)))
      : h("tr", { class: r.class || null }, r.cells.map((c) => cell("td", c))))))));
}

/** Put a 422 answer's field errors beside the fields of ``root``: ``idOf(field)`` names the
 * element id for an error key ("title.kk" → its field; null: not shown beside a field).
 * Returns the messages that found no field, for a summary above the form. */
export function showFieldErrors(root, result, idOf) {
  for (const box of root.querySelectorAll(".field-error")) {
    if (box.id.endsWith("-error")) setFieldError(root, box.id.slice(0, -6), "");
  }
  const rest = [];
  const grouped = {};
  for (const [key, messages] of Object.entries(result?.data?.errors || {})) {
    const id = idOf(key);
    if (id && root.querySelector(`#${CSS.escape(id)}-error`)) (grouped[id] ||= []).push(...messages);
    else rest.push(`${key}: ${messages.join(" ")}`);
  }
  for (const [id, messages] of Object.entries(grouped)) setFieldError(root, id, messages.join(" "));
  const first = root.querySelector("[aria-invalid=true]");
  if (first) first.focus();
  return rest;
}
