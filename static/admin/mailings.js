// A message to a group of participants: audience filters, the text in three language tabs,
// a preview (one real member's copy and the audience size), the send (after a confirmation)
// and the send log with live queued/sent/failed counts.

import { call } from "/static/admin/api.js";
import { categoryLabel, loadCategories } from "/static/admin/categories.js";
import { clear, dataTable, formatDateTime, h, problemText, showFieldErrors } from "/static/admin/ui.js";

const LANGS = ["kk", "ru", "en"];
const STATUSES = ["confirmed", "pending", "waitlisted", "rejected", "cancelled"];
const PLACEHOLDERS = "{first_name} {last_name} {event} {category} {delegation} {organization} {manage_hint}";

async function listOf(ctx, path) {
  const r = await call("GET", `${ctx.base}${path}`);
  return r.ok ? r.data : [];
}

export async function renderMailings(root, ctx) {
  const { t } = ctx;
  const [cats, delegations, companies] = await Promise.all([
    loadCategories(ctx), listOf(ctx, "/delegations"), listOf(ctx, "/companies")]);
  const select = (id, label, options) => h("div", { class: "field" },
    h("label", { for: id }, label),
    h("select", { id }, h("option", { value: "" }, t("common.all")),
      options.map(([value, text]) => h("option", { value }, text))));
  const audience = h("fieldset", { class: "mailing-audience" }, h("legend", {}, t("mailings.audience")),
    select("mailing-status", t("field.status"), STATUSES.map((s) => [s, t(`status.${s}`)])),
    select("mailing-category", t("field.category"), cats.map((c) => [c.slug, categoryLabel(c, ctx.locale)])),
    select("mailing-delegation", t("field.delegation"), delegations.map((d) => [d.id, d.name])),
    select("mailing-company", t("field.company"), companies.map((c) => [c.id, c.name])),
    h("div", { class: "field" }, h("label", { for: "mailing-country" }, t("field.country")),
      h("input", { id: "mailing-country", maxlength: 2, size: 3, autocomplete: "off" }),
      h("p", { class: "field-error", id: "mailing-country-error" })));
  audience.querySelector("#mailing-status").value = "confirmed";

  let active = ctx.locale;
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const panels = LANGS.map((lang) => h("div", { role: "tabpanel", id: `mailing-panel-${lang}`, hidden: lang !== active },
    h("div", { class: "field" }, h("label", { for: `mailing-subject-${lang}` }, t("mailings.subject")),
      h("input", { id: `mailing-subject-${lang}`, maxlength: 300 }),
      h("p", { class: "field-error", id: `mailing-subject-${lang}-error` })),
    h("div", { class: "field" }, h("label", { for: `mailing-body-${lang}` }, t("mailings.body")),
      h("textarea", { id: `mailing-body-${lang}`, rows: 8 }),
      h("p", { class: "field-error", id: `mailing-body-${lang}-error` }))));
  function choose(lang) {
    active = lang;
    for (const b of tabs.children) b.setAttribute("aria-selected", String(b.dataset.lang === lang));
    panels.forEach((p, i) => { p.hidden = LANGS[i] !== lang; });
  }
  for (const lang of LANGS) {
    tabs.append(h("button", { type: "button", role: "tab", "data-lang": lang, id: `mailing-tab-${lang}`,
      onclick: () => choose(lang) }, t(`mailings.lang.${lang}`)));
  }
  choose(active);

  const preview = h("div", { id: "mailing-preview", class: "mailing-preview", hidden: true });
  const log = h("div", { id: "mailing-log" });
  const form = h("form", { id: "mailing-form", class: "mailing-form", novalidate: true },
    h("h2", {}, t("mailings.heading")), audience, tabs, ...panels,
    h("p", { class: "hint" }, t("mailings.placeholders", { list: PLACEHOLDERS })),
    h("p", { class: "field-error", id: "mailing-form-error" }),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "mailing-preview-button", onclick: () => doPreview() }, t("mailings.preview")),
      h("button", { type: "submit", class: "primary", id: "mailing-send" }, t("mailings.send"))),
    preview);

  function body(extra = {}) {
    const texts = (part) => Object.fromEntries(LANGS.map((l) => [l, form.querySelector(`#mailing-${part}-${l}`).value]));
    const filters = {};
    for (const key of ["status", "category", "delegation", "company", "country"]) {
      const value = form.querySelector(`#mailing-${key}`).value.trim();
      if (value) filters[key] = value;
    }
    return { subject: texts("subject"), body: texts("body"), audience: filters, ...extra };
  }
  const idOf = (key) => {
    const [part, sub] = key.split(".");
    if (part === "audience") return sub ? `mailing-${sub}` : "mailing-form";
    if (sub) return `mailing-${part}-${sub}`;
    return "mailing-form";
  };
  function failed(r) {
    const rest = showFieldErrors(form, r, idOf);
    form.querySelector("#mailing-form-error").textContent = [problemText(r, t), ...rest].join(" ");
    const bad = Object.keys(r.data?.errors || {}).find((k) => /^(subject|body)\./.test(k));
    if (bad) choose(bad.split(".")[1]);
  }
  function clean() {
    showFieldErrors(form, { data: {} }, idOf);
    form.querySelector("#mailing-form-error").textContent = "";
  }

  async function doPreview() {
    clean();
    const r = await ctx.run(() => call("POST", `${ctx.base}/mailings/preview`, { body: body({ locale: active }) }));
    if (!r) return null;
    if (!r.ok) { failed(r); return null; }
    clear(preview).hidden = false;
    const s = r.data.sample;
    preview.append(h("p", { id: "mailing-size", class: "status" }, t("mailings.size", { n: r.data.audience_size })),
      s ? h("p", { class: "sub" }, t("mailings.sample", { name: s.name, email: s.email })) : null,
      s ? h("pre", { id: "mailing-sample", class: "mailing-text" }, `${s.subject}\n\n${s.body_text}`) : null);
    return r.data;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const seen = await doPreview();
    if (!seen) return;
    if (!seen.audience_size) { form.querySelector("#mailing-form-error").textContent = t("mailings.nobody"); return; }
    if (!window.confirm(t("mailings.confirm", { n: seen.audience_size }))) return;
    const r = await ctx.run(() => call("POST", `${ctx.base}/mailings`, { body: body() }));
    if (!r) return;
    if (!r.ok) { failed(r); return; }
    ctx.setAlert(t("mailings.queued", { n: r.data.recipients }));
    await loadLog();
  });

  function audienceText(a) {
    const parts = Object.entries(a || {}).map(([k, v]) => {
      if (k === "status") return t(`status.${v}`);
      if (k === "delegation") return delegations.find((d) => d.id === v)?.name || v;
      if (k === "company") return companies.find((c) => c.id === v)?.name || v;
      if (k === "category") return categoryLabel(cats.find((c) => c.slug === v) || { slug: v }, ctx.locale);
      return v;
    });
    return parts.length ? parts.join(" · ") : t("mailings.everyone");
  }

  async function loadLog() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/mailings`));
    if (!r) return;
    clear(log);
    if (!r.ok) { log.append(h("p", { class: "status" }, problemText(r, t))); return; }
    const rows = r.data.items.map((m) => [
      formatDateTime(m.created_at, ctx.locale, ctx.event.timezone), m.sent_by,
      m.subject[ctx.locale] || m.subject.en || m.subject.ru || m.subject.kk || "",
      audienceText(m.audience), String(m.recipients),
      t("mail.counts", { pending: m.counts.pending, sent: m.counts.sent, failed: m.counts.failed })]);
    log.append(h("h2", {}, t("mailings.log")), dataTable([t("mail.created"), t("mailings.sent_by"),
      t("mailings.subject"), t("mailings.audience"), t("mailings.recipients"), t("mailings.counts")], rows, t("common.none")));
  }

  root.append(form, log);
  await loadLog();
}
