// Staff accounts (admins): who may do what, invitations instead of chosen passwords.

import { call } from "/static/admin/api.js";
import { clear, h, problemText } from "/static/admin/ui.js";

const ROLES = ["organizer", "accreditation", "checkin_supervisor", "program", "viewer",
  "delegation_head", "company_manager", "admin"];

export async function renderAccounts(view, ctx) {
  const { t } = ctx;
  const table = h("div", { class: "table-wrap" });
  const notice = h("div", { class: "alert ok", role: "status" });
  const email = h("input", { id: "account-email", type: "email", required: true });
  const name = h("input", { id: "account-name", required: true });
  const password = h("input", { id: "account-password", type: "password", autocomplete: "new-password" });
  const role = h("select", { id: "account-role" }, ROLES.map((r) => h("option", { value: r }, t(`role.${r}`))));
  const scope = h("input", { id: "account-scope" });
  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id }, label), input);

  async function load() {
    const r = await ctx.run(() => call("GET", "/api/v1/accounts"));
    if (!r) return;
    clear(table);
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    table.append(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("field.name")), h("th", {}, t("field.email")),
        h("th", {}, t("accounts.role")), h("th", {}, ""))),
      h("tbody", {}, r.data.map((a) => h("tr", {},
        h("td", {}, a.name, !a.is_active ? h("span", { class: "sub" }, t("accounts.inactive")) : null,
          a.invited ? h("span", { class: "sub" }, t("accounts.invited")) : null),
        h("td", {}, a.email),
        h("td", {}, a.grants.map((g) => h("span", { class: "sub" },
          [t(`role.${g.role}`), g.event, g.delegation, g.company].filter(Boolean).join(" · ")))),
        h("td", {}, a.is_active && a.id !== ctx.me.account.id
          ? h("button", { type: "button", class: "danger", onclick: async () => {
            const out = await ctx.run(() => call("DELETE", `/api/v1/accounts/${a.id}`));
            if (out && !out.ok) ctx.setAlert(problemText(out, t));
            await load();
          } }, t("accounts.deactivate")) : ""))))));
  }

  const form = h("form", { class: "card", id: "account-form", onsubmit: async (e) => {
    e.preventDefault();
    const grant = { role: role.value };
    if (role.value !== "admin") grant.event = ctx.event.slug;
    if (role.value === "delegation_head") grant.delegation = scope.value.trim();
    if (role.value === "company_manager") grant.company = scope.value.trim();
    const body = { email: email.value.trim(), name: name.value.trim(), grants: [grant] };
    if (password.value) body.password = password.value;
    const r = await ctx.run(() => call("POST", "/api/v1/accounts", { body }));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    ctx.setAlert("");
    notice.textContent = r.data.invitation_url
      ? t("accounts.invitation", { url: r.data.invitation_url }) : t("common.done");
    form.reset();
    await load();
  } },
  h("h2", {}, t("accounts.new")),
  field("account-email", t("field.email"), email),
  field("account-name", t("field.name"), name),
  field("account-role", t("accounts.role"), role),
  field("account-scope", t("accounts.scope"), scope),
  field("account-password", t("auth.password"), password),
  h("p", { class: "muted" }, t("accounts.password_hint")),
  h("button", { type: "submit", class: "primary" }, t("common.save")));
  view.append(h("h1", {}, t("accounts.heading")), notice, table, form);
  await load();
}
