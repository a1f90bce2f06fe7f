// The event's e-mail: failed messages first, then those waiting, then the sent ones; a failed
// message can be sent again. The manage link in a text is never shown ("[manage link]").

import { call } from "/static/admin/api.js";
import { renderMailings } from "/static/admin/mailings.js";
import { renderWebhooks } from "/static/admin/webhooks.js";
import { clear, dataTable, formatDateTime, h, problemText } from "/static/admin/ui.js";

const PER_PAGE = 50;
const STATUSES = ["failed", "pending", "sent"];

export async function renderMail(view, ctx) {
  const { t } = ctx;
  const status = h("select", { id: "mail-status" },
    h("option", { value: "" }, t("common.all")),
    STATUSES.map((s) => h("option", { value: s }, t(`mail.status.${s}`))));
  const counts = h("p", { id: "mail-counts", class: "status" });
  const table = h("div", { id: "mail-table" });
  const text = h("pre", { id: "mail-text", class: "mail-text", hidden: true });
  const pager = h("div", { class: "pager" });
  let page = 1;

  const kindName = (kind) => t(`mail.kind.${kind}`);

  function showText(m) {
    text.hidden = false;
    text.textContent = m.purged_at ? t("mail.purged") : `${m.subject}\n\n${m.body_text}`;
  }

  async function retry(m) {
    const r = await ctx.run(() => call("POST", `${ctx.base}/outbox/${m.id}/retry`));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    ctx.setAlert(t("mail.retried"));
    await load();
  }

  async function load() {
    const r = await ctx.run(() => call("GET", `${ctx.base}/outbox`, {
      query: { status: status.value, page, per_page: PER_PAGE } }));
    if (!r) return;
    clear(table);
    clear(pager);
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    counts.textContent = t("mail.counts", r.data.counts);
    const rows = r.data.items.map((m) => ({
      class: `mail-${m.status}`,
      cells: [
        formatDateTime(m.created_at, ctx.locale, ctx.event.timezone),
        m.to,
        kindName(m.kind),
        { text: t(`mail.status.${m.status}`), class: `status-${m.status}` },
        String(m.attempts),
        m.last_error || "",
        h("span", { class: "actions" },
          h("button", { type: "button", class: "secondary", onclick: () => showText(m) }, t("mail.show")),
          m.status === "failed"
            ? h("button", { type: "button", class: "primary", onclick: () => retry(m) }, t("mail.retry"))
            : null),
      ],
    }));
    table.append(dataTable([t("mail.created"), t("mail.to"), t("mail.kind"), t("mail.filter"),
      t("mail.attempts"), t("mail.error"), ""], rows, t("common.none")));
    const pages = Math.max(1, Math.ceil(r.data.total / r.data.per_page));
    pager.append(
      h("button", { type: "button", class: "secondary", disabled: page <= 1, onclick: () => { page -= 1; load(); } }, t("common.prev")),
      h("span", {}, t("common.page", { page, pages, total: r.data.total })),
      h("button", { type: "button", class: "secondary", disabled: page >= pages, onclick: () => { page += 1; load(); } }, t("common.next")));
  }

  status.addEventListener("change", () => { page = 1; load(); });
  view.append(h("h1", {}, t("nav.mail")), h("p", { class: "note" }, t("mail.note")),
    h("div", { class: "toolbar" }, h("label", {}, t("mail.filter"), status)),
    counts, table, pager, text);
  await load();
  // Group messages are whole-event work: the section is shown to organizers only.
  if (ctx.can("participants.write")) await renderMailings(view, ctx);
  // Webhooks are delivered by the same worker; also whole-event organizers' work.
  if (ctx.can("participants.write")) await renderWebhooks(view, ctx);
}
