// The audit log: who did what, when, to whom; searchable by person, actor, action and time.

import { call } from "/static/admin/api.js";
import { clear, formatDateTime, h, problemText } from "/static/admin/ui.js";

const PER_PAGE = 50;

export async function renderAudit(view, ctx) {
  const { t } = ctx;
  const person = h("input", { id: "audit-person", type: "search" });
  const actor = h("input", { id: "audit-actor", type: "search" });
  const action = h("input", { id: "audit-action", type: "search", placeholder: "registration." });
  const since = h("input", { id: "audit-since", type: "date" });
  const table = h("div", { class: "table-wrap" });
  const pager = h("div", { class: "pager" });
  let page = 1;

  const dayStart = (value) => (value ? new Date(`${value}T00:00:00`).toISOString() : "");

  async function load() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/audit`, { query: {
      person: person.value.trim(), actor: actor.value.trim(), action: action.value.trim(),
      since: dayStart(since.value), page, per_page: PER_PAGE } }));
    if (!r) return;
    clear(table);
    clear(pager);
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    ctx.setAlert("");
    if (!r.data.items.length) { table.append(h("p", { class: "status" }, t("common.none"))); return; }
    table.append(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("audit.at")), h("th", {}, t("audit.actor")),
        h("th", {}, t("audit.action")), h("th", {}, t("audit.subject")), h("th", {}, t("audit.data")))),
      h("tbody", {}, r.data.items.map((e) => h("tr", {},
        h("td", {}, formatDateTime(e.at, ctx.locale, ctx.event.timezone)),
        h("td", {}, e.actor),
        h("td", {}, e.action),
        h("td", {}, `${e.subject.type} ${e.subject.id}`),
        h("td", {}, h("code", {}, JSON.stringify(e.data))))))));
    const pages = Math.max(1, Math.ceil(r.data.total / r.data.per_page));
    pager.append(
      h("button", { type: "button", class: "secondary", disabled: page <= 1, onclick: () => { page -= 1; load(); } }, t("common.prev")),
      h("span", {}, t("common.page", { page, pages, total: r.data.total })),
      h("button", { type: "button", class: "secondary", disabled: page >= pages, onclick: () => { page += 1; load(); } }, t("common.next")));
  }

  const form = h("form", { class: "toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); page = 1; load(); } },
    h("label", { class: "grow" }, t("audit.person"), person),
    h("label", {}, t("audit.actor"), actor),
    h("label", {}, t("audit.action"), action),
    h("label", {}, t("audit.since"), since),
    h("button", { type: "submit", class: "primary" }, t("common.search")));
  view.append(h("h1", {}, t("nav.audit")), form, table, pager);
  await load();
}
