// Partners' webhooks of the event: add one (its signing secret is shown once), see its
// status, last answer and recent deliveries, switch it on again after a 410, rotate, delete.

import { call } from "/static/admin/api.js";
import { clear, dataTable, fieldRow, formatDateTime, h, problemText } from "/static/admin/ui.js";

const TYPES = ["registration.created", "registration.changed", "registration.cancelled", "checkin.created"];

export async function renderWebhooks(view, ctx) {
  const { t } = ctx;
  const base = `${ctx.base}/webhooks`;
  const list = h("div", { id: "hooks-list" });
  const secret = h("p", { id: "hooks-secret", class: "status", hidden: true });
  const url = h("input", { type: "url", required: true, placeholder: "https://" });
  const boxes = TYPES.map((type) => h("input", { type: "checkbox", value: type, checked: true }));
  const when = (iso) => (iso ? formatDateTime(iso, ctx.locale, ctx.event.timezone) : "");

  function showSecret(value) {
    secret.hidden = false;
    secret.textContent = t("hooks.secret", { secret: value });
  }

  async function act(method, path, body) {
    const r = await ctx.run(() => call(method, path, body ? { body } : {}));
    if (!r) return null;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return null; }
    return r;
  }

  async function deliveries(hook, place) {
    const r = await act("GET", `${base}/${hook.id}`);
    if (!r) return;
    clear(place);
    place.append(dataTable([t("hooks.created"), t("hooks.type"), t("hooks.state"), t("hooks.attempts"), t("hooks.error")],
      r.data.deliveries.map((d) => ({ cells: [when(d.created_at), t(`hooks.type.${d.type}`),
        t(`hooks.dstatus.${d.status}`), String(d.attempts), d.last_error || ""] })), t("common.none")));
  }

  async function load() {
    const r = await act("GET", base);
    if (!r) return;
    clear(list);
    list.append(dataTable([t("hooks.url"), t("hooks.events"), t("hooks.state"), t("hooks.last"), t("hooks.error"), ""],
      r.data.map((hook) => {
        const place = h("div", { class: "hook-deliveries" });
        return { class: `hook-${hook.status}`, cells: [
          hook.url,
          hook.events.map((e) => t(`hooks.type.${e}`)).join(", "),
          { text: t(`hooks.status.${hook.status}`), class: `status-${hook.status}` },
          hook.last_status ? `${hook.last_status} · ${when(hook.last_attempt_at)}` : "",
          hook.disabled_reason || hook.last_error || "",
          h("span", { class: "actions" },
            h("button", { type: "button", class: "secondary", onclick: () => deliveries(hook, place) }, t("hooks.deliveries")),
            h("button", { type: "button", class: "secondary", onclick: async () => {
              if (await act("PATCH", `${base}/${hook.id}`, { active: hook.status !== "active" })) await load();
            } }, t(hook.status === "active" ? "hooks.disable" : "hooks.enable")),
            h("button", { type: "button", class: "secondary", onclick: async () => {
              const done = await act("POST", `${base}/${hook.id}/rotate-secret`);
              if (done) showSecret(done.data.secret);
            } }, t("hooks.rotate")),
            h("button", { type: "button", class: "secondary", onclick: async () => {
              if (window.confirm(t("hooks.confirm_delete")) && await act("DELETE", `${base}/${hook.id}`)) await load();
            } }, t("hooks.delete")),
            place),
        ] };
      }), t("common.none")));
  }

  const form = h("form", { id: "hooks-form", onsubmit: async (ev) => {
    ev.preventDefault();
    const events = boxes.filter((b) => b.checked).map((b) => b.value);
    const r = await act("POST", base, { url: url.value.trim(), events });
    if (!r) return;
    showSecret(r.data.secret);
    url.value = "";
    await load();
  } },
    fieldRow("hooks-url", t("hooks.url"), url),
    h("fieldset", {}, h("legend", {}, t("hooks.events")),
      TYPES.map((type, i) => h("label", {}, boxes[i], t(`hooks.type.${type}`)))),
    h("button", { type: "submit", class: "primary" }, t("hooks.add")));

  view.append(h("h2", {}, t("hooks.heading")), h("p", { class: "note" }, t("hooks.note")),
    form, secret, list);
  await load();
}
