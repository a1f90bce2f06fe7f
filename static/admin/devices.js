// Scanner devices per gate: issue a token (shown once, with the scanner link), revoke one.

import { call } from "/static/admin/api.js";
import { clear, formatDateTime, h, problemText } from "/static/admin/ui.js";
import { multilingual } from "/static/admin/program-forms.js";
import { pick } from "/static/common/i18n.js";

export async function renderDevices(view, ctx) {
  const { t } = ctx;
  const gates = await call("GET", `${ctx.base}/gates`);
  if (!gates.ok) { ctx.setAlert(problemText(gates, t)); return; }
  const label = (g) => `${pick(g.names, ctx.locale, g.name)} · ${pick(g.zone_names, ctx.locale, g.zone)}`;
  const gate = h("select", { id: "device-gate" },
    gates.data.map((g) => h("option", { value: g.slug }, label(g))));
  const name = h("input", { id: "device-name", required: true, maxlength: 100 });
  const issued = h("div", { class: "alert ok", role: "status" });
  const table = h("div", { class: "table-wrap" });

  async function load() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/gates/${gate.value}/devices`));
    if (!r) return;
    clear(table);
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    if (!r.data.length) { table.append(h("p", { class: "status" }, t("common.none"))); return; }
    table.append(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("devices.name")), h("th", {}, t("devices.last_seen")), h("th", {}, ""))),
      h("tbody", {}, r.data.map((d) => h("tr", {},
        h("td", {}, d.name, d.revoked_at ? h("span", { class: "sub" }, t("devices.revoked")) : null),
        h("td", {}, formatDateTime(d.last_seen_at, ctx.locale, ctx.event.timezone)),
        h("td", {}, d.revoked_at ? "" : h("button", { type: "button", class: "danger", onclick: async () => {
          const out = await ctx.run(() => call("DELETE", `${ctx.base}/gates/${gate.value}/devices/${d.id}`));
          if (out && !out.ok) ctx.setAlert(problemText(out, t));
          await load();
        } }, t("devices.revoke"))))))));
  }

  const form = h("form", { class: "toolbar", onsubmit: async (e) => {
    e.preventDefault();
    const r = await ctx.run(() => call("POST", `${ctx.base}/gates/${gate.value}/devices`, {
      body: { name: name.value.trim() } }));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    const link = `${location.origin}/scanner#token=${encodeURIComponent(r.data.token)}`;
    issued.replaceChildren(t("devices.token", { name: r.data.device.name, token: r.data.token }), " ",
      h("a", { href: link, target: "_blank", rel: "noopener" }, t("devices.link")));
    name.value = "";
    await load();
  } },
  h("label", {}, t("devices.gate"), gate),
  h("label", { class: "grow" }, t("devices.name"), name),
  h("button", { type: "submit", class: "primary" }, t("devices.issue")));
  const names = h("div");
  function drawNames() {
    const chosen = gates.data.find((g) => g.slug === gate.value);
    const set = multilingual(t, "gate-names", t("devices.gate_names"), chosen?.names || {});
    names.replaceChildren(h("form", { class: "stack", onsubmit: async (e) => {
      e.preventDefault();
      const r = await ctx.run(() => call("PATCH", `${ctx.base}/gates/${chosen.slug}`, {
        body: { names: set.value() } }));
      if (!r) return;
      if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
      Object.assign(chosen, r.data);
      gate.selectedOptions[0].textContent = label(chosen);
      ctx.setAlert(t("devices.names_saved"), true);
    } }, set, h("button", { type: "submit", class: "primary" }, t("devices.save_names"))));
  }
  gate.addEventListener("change", () => { clear(issued); drawNames(); load(); });
  view.append(h("h1", {}, t("devices.heading")), form, issued, table, names);
  drawNames();
  await load();
}
