// Delegations and companies: fill levels against quotas, rosters, contacts, invitation codes,
// company approvals. Heads and managers see their own, read-only.

import { call } from "/static/admin/api.js";
import { categoryName, loadCategories } from "/static/admin/categories.js";
import { clear, h, problemText } from "/static/admin/ui.js";
import { countryNamer, loadCountries } from "/static/register/countries.js";

function fillText(t, fill) {
  const quota = fill.quota === null || fill.quota === undefined ? "∞" : fill.quota;
  return t("org.fill", { taken: fill.taken, quota, pending: fill.pending, waitlisted: fill.waitlisted });
}

export function renderDelegations(view, ctx) {
  return renderGroups(view, ctx, {
    kind: "delegations", heading: "nav.delegations",
    columns: (g, country) => [country(g.country), g.name, g.head_name || ""],
    titles: ["field.country", "field.name", "org.head"],
    fields: [["country", "field.country"], ["name", "field.name"], ["head_name", "org.head"],
      ["head_email", "org.head_email"], ["quota", "org.quota"]],
    create: "/delegations",
  });
}

export function renderCompanies(view, ctx) {
  return renderGroups(view, ctx, {
    kind: "companies", heading: "nav.companies",
    columns: (g, country) => [g.name, country(g.country), ctx.t(`org.status.${g.status}`)],
    titles: ["field.name", "field.country", "field.status"],
    fields: [["name", "field.name"], ["country", "field.country"], ["website", "org.website"],
      ["booth", "org.booth"], ["contact_name", "org.contact"], ["contact_email", "org.contact_email"],
      ["quota", "org.quota"]],
    create: "/companies/manual",
  });
}

async function renderGroups(view, ctx, spec) {
  const { t } = ctx;
  await loadCountries(ctx.locale); // CLDR names in the panel's language
  const country = countryNamer(ctx.locale);
  const manage = ctx.can("organizations");
  const cats = await loadCategories(ctx);
  const table = h("div", { class: "table-wrap" });
  view.append(h("h1", {}, t(spec.heading)), table);
  if (manage) view.append(createForm());

  async function load() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/${spec.kind}`));
    if (!r) return;
    clear(table);
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    if (!r.data.length) { table.append(h("p", { class: "status" }, t("common.none"))); return; }
    table.append(h("table", {},
      h("thead", {}, h("tr", {}, spec.titles.map((k) => h("th", {}, t(k))), h("th", {}, t("org.filled")))),
      h("tbody", {}, r.data.map((g) => {
        const [first, ...rest] = spec.columns(g, country);
        return h("tr", {},
          h("td", {}, h("button", { type: "button", class: "row-link", onclick: () => open(g.id) }, first)),
          rest.map((v) => h("td", {}, v)),
          h("td", {}, fillText(t, g.fill)));
      }))));
  }

  async function open(id) {
    const r = await ctx.run(() => call("GET", `${ctx.base}/${spec.kind}/${id}`));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    ctx.drawer(r.data.name, detail(r.data));
  }

  function detail(g) {
    const alert = h("div", { class: "alert", role: "alert" });
    const facts = h("dl", { class: "facts" });
    for (const [name, label] of spec.fields) {
      if (g[name] !== undefined && g[name] !== "" && g[name] !== null) {
        facts.append(h("dt", {}, t(label)), h("dd", {}, name === "country" ? country(g[name]) : String(g[name])));
      }
    }
    facts.append(h("dt", {}, t("org.filled")), h("dd", {}, fillText(t, g.fill)));
    if (g.invitation_code) facts.append(h("dt", {}, t("org.code")), h("dd", { id: "org-code" }, g.invitation_code));
    const after = async (r) => {
      if (!r) return;
      if (!r.ok) { alert.textContent = problemText(r, t); return; }
      await load();
      await open(g.id);
    };
    const actions = h("div", { class: "actions" });
    if (manage) {
      actions.append(h("button", { type: "button", class: "secondary", id: "org-new-code",
        onclick: async () => after(await ctx.run(() => call("POST", `${ctx.base}/${spec.kind}/${g.id}/code`))) },
      t("org.new_code")));
      if (g.status === "pending") {
        actions.append(
          h("button", { type: "button", class: "primary", onclick: async () => after(await ctx.run(() =>
            call("POST", `${ctx.base}/companies/${g.id}/approve`, { body: {} }))) }, t("detail.approve")),
          h("button", { type: "button", class: "danger", onclick: async () => after(await ctx.run(() =>
            call("POST", `${ctx.base}/companies/${g.id}/reject`, { body: {} }))) }, t("detail.reject")));
      }
    }
    const parts = [alert, facts, actions];
    if (manage) parts.push(editForm(g, after));
    parts.push(h("h3", {}, t("org.members")), members(g.members || []));
    return h("div", {}, parts);
  }

  function members(list) {
    if (!list.length) return h("p", { class: "status" }, t("common.none"));
    return h("table", {}, h("tbody", {}, list.map((m) => h("tr", {},
      h("td", {}, `${m.first_name} ${m.last_name}`, h("span", { class: "sub" }, m.email)),
      h("td", {}, categoryName(cats, m.category, ctx.locale)),
      h("td", {}, h("span", { class: `pill ${m.status}` }, t(`status.${m.status}`)))))));
  }

  function inputsFor(values = {}) {
    return Object.fromEntries(spec.fields.map(([name]) => [name, h("input", {
      id: `org-${name}`, name, value: values[name] ?? "", inputmode: name === "quota" ? "numeric" : null })]));
  }

  function collect(inputs, original = {}) {
    const body = {};
    for (const [name, input] of Object.entries(inputs)) {
      const raw = input.value.trim();
      if (original[name] !== undefined && String(original[name] ?? "") === raw) continue;
      if (name === "quota") body.quota = raw === "" ? null : Number(raw);
      else if (raw !== "" || original[name]) body[name] = name === "country" ? raw.toUpperCase() : raw;
    }
    return body;
  }

  function formFields(inputs) {
    return spec.fields.map(([name, label]) =>
      h("div", { class: "field" }, h("label", { for: `org-${name}` }, t(label)), inputs[name]));
  }

  function editForm(g, after) {
    const inputs = inputsFor(g);
    return h("details", {}, h("summary", {}, t("org.edit")), h("form", { onsubmit: async (e) => {
      e.preventDefault();
      after(await ctx.run(() => call("PATCH", `${ctx.base}/${spec.kind}/${g.id}`, { body: collect(inputs, g) })));
    } }, formFields(inputs), h("button", { type: "submit", class: "primary" }, t("common.save"))));
  }

  function createForm() {
    const inputs = inputsFor();
    const alert = h("div", { class: "alert", role: "alert" });
    return h("form", { class: "card", id: `${spec.kind}-create`, onsubmit: async (e) => {
      e.preventDefault();
      const r = await ctx.run(() => call("POST", `${ctx.base}${spec.create}`, { body: collect(inputs) }));
      if (!r) return;
      if (!r.ok) { alert.textContent = problemText(r, t); return; }
      alert.textContent = "";
      e.target.reset();
      await load();
    } }, h("h2", {}, t(`org.new.${spec.kind}`)), alert, formFields(inputs),
    h("button", { type: "submit", class: "primary" }, t("common.save")));
  }

  await load();
}
