// Participants: find anyone among 20,000, open their record, correct it, decide, act on a
// selection. Approvals is the same list, preset to pending registrations.

import { call, fileUrl } from "/static/admin/api.js";
import { categoryName, loadCategories } from "/static/admin/categories.js";
import { clear, formatDateTime, h, personName, problemText } from "/static/admin/ui.js";
import { countryNamer, loadCountries } from "/static/register/countries.js";

const STATUSES = ["pending", "confirmed", "waitlisted", "rejected", "cancelled"];
const PER_PAGE = 50;

export function renderApprovals(view, ctx) {
  return renderList(view, ctx, { heading: "approvals.heading", fixed: { status: "pending" } });
}

export function renderParticipants(view, ctx) {
  return renderList(view, ctx, { heading: "participants.heading", fixed: {} });
}

async function renderList(view, ctx, { heading, fixed }) {
  const { t } = ctx;
  const cats = await loadCategories(ctx);
  await loadCountries(ctx.locale); // CLDR names in the panel's language
  const country = countryNamer(ctx.locale);
  const filters = { q: "", status: fixed.status || "", category: "", page: 1 };
  const selected = new Set();
  const search = h("input", { type: "search", id: "q", placeholder: t("participants.search"),
    "aria-label": t("participants.search"), autocomplete: "off" });
  const status = h("select", { id: "filter-status", "aria-label": t("field.status"),
    disabled: Boolean(fixed.status) },
    h("option", { value: "" }, t("common.all")),
    STATUSES.map((s) => h("option", { value: s, selected: s === fixed.status }, t(`status.${s}`))));
  const category = h("select", { id: "filter-category", "aria-label": t("field.category") },
    h("option", { value: "" }, t("common.all")),
    cats.map((c) => h("option", { value: c.slug }, categoryName(cats, c.slug, ctx.locale))));
  const bulkbar = h("div", { class: "bulkbar", id: "bulkbar" });
  const table = h("div", { class: "table-wrap" });
  const pager = h("div", { class: "pager" });
  const form = h("form", { class: "toolbar", role: "search", onsubmit: (e) => {
    e.preventDefault();
    filters.q = search.value.trim();
    filters.status = status.value;
    filters.category = category.value;
    filters.page = 1;
    load();
  } },
  h("label", { class: "grow" }, t("common.search"), search),
  h("label", {}, t("field.status"), status),
  h("label", {}, t("field.category"), category),
  h("button", { type: "submit", class: "primary" }, t("common.search")));
  view.append(h("h1", {}, t(heading)), form, bulkbar, table, pager);

  async function load() {
    ctx.setStatus(t("common.loading"));
    const r = await ctx.run(() => call("GET", `${ctx.base}/participants`, { query: {
      q: filters.q, status: filters.status, category: filters.category, page: filters.page,
      per_page: PER_PAGE } }));
    if (!r) return;
    ctx.setStatus("");
    if (!r.ok) {
      ctx.setAlert(r.data?.code === "search_too_short" ? t("participants.too_short")
        : problemText(r, t));
      return;
    }
    ctx.setAlert("");
    selected.clear();
    drawTable(r.data);
    drawBulk();
  }

  function drawTable(page) {
    clear(table);
    clear(pager);
    if (!page.items.length) {
      table.append(h("p", { class: "status" }, fixed.status ? t("approvals.none") : t("common.none")));
      return;
    }
    const all = h("input", { type: "checkbox", "aria-label": t("participants.select_all"),
      onchange: () => {
        for (const box of table.querySelectorAll("tbody input[type=checkbox]")) {
          box.checked = all.checked;
          box.dispatchEvent(new Event("change"));
        }
      } });
    const rows = page.items.map((p) => {
      const box = h("input", { type: "checkbox", "aria-label": t("participants.select", { name: personName(p) }),
        onchange: () => { if (box.checked) selected.add(p.id); else selected.delete(p.id); drawBulk(); } });
      return h("tr", { "data-id": p.id },
        h("td", {}, box),
        h("td", {}, h("button", { type: "button", class: "row-link", onclick: () => openDetail(p.id) },
          personName(p)), h("span", { class: "sub" }, p.email)),
        h("td", {}, p.organization, h("span", { class: "sub" }, p.job_title)),
        h("td", { title: p.country }, country(p.country)),
        h("td", {}, categoryName(cats, p.category, ctx.locale),
          h("span", { class: "sub" }, p.delegation || p.company || "")),
        h("td", {}, h("span", { class: `pill ${p.status}` }, t(`status.${p.status}`))));
    });
    table.append(h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, all), h("th", {}, t("field.name")),
        h("th", {}, t("field.organization")), h("th", {}, t("field.country")),
        h("th", {}, t("field.category")), h("th", {}, t("field.status")))),
      h("tbody", {}, rows)));
    const pages = Math.max(1, Math.ceil(page.total / page.per_page));
    // Past 1,000 matches the server stops counting: the total is a lower bound ("1000+").
    const more = page.total_exact === false ? "+" : "";
    pager.append(
      h("button", { type: "button", class: "secondary", disabled: page.page <= 1,
        onclick: () => { filters.page -= 1; load(); } }, t("common.prev")),
      h("span", {}, t("common.page", { page: page.page, pages: `${pages}${more}`,
        total: `${page.total}${more}` })),
      h("button", { type: "button", class: "secondary", disabled: !more && page.page >= pages,
        onclick: () => { filters.page += 1; load(); } }, t("common.next")));
  }

  function drawBulk() {
    clear(bulkbar);
    if (!selected.size || ctx.scoped) return;
    const move = h("select", { "aria-label": t("participants.bulk_move") },
      cats.map((c) => h("option", { value: c.slug }, categoryName(cats, c.slug, ctx.locale))));
    const act = (action, extra = {}) => async () => {
      const r = await ctx.run(() => call("POST", `${ctx.base}/participants/bulk`, {
        body: { ids: [...selected], action, ...extra } }));
      if (!r) return;
      if (r.ok) {
        await load();
        ctx.setAlert(t("participants.bulk_done", { count: r.data.done }), true);
      } else if (r.data?.code === "bulk_failed") {
        ctx.setAlert(t("participants.bulk_failed", { count: r.data.failures.length }));
      } else {
        ctx.setAlert(problemText(r, t));
      }
    };
    bulkbar.append(h("span", {}, t("participants.selected", { count: selected.size })));
    if (ctx.can("accreditation")) {
      bulkbar.append(
        h("button", { type: "button", class: "primary", onclick: act("approve") }, t("participants.bulk_approve")),
        h("button", { type: "button", class: "secondary", onclick: act("reject") }, t("participants.bulk_reject")));
    }
    if (ctx.can("participants.write")) {
      bulkbar.append(
        h("button", { type: "button", class: "danger", onclick: act("cancel") }, t("participants.bulk_cancel")),
        move,
        h("button", { type: "button", class: "secondary",
          onclick: () => act("change_category", { category: move.value, reason: "bulk" })() },
        t("participants.bulk_move")));
    }
  }

  async function openDetail(id) {
    const r = await ctx.run(() => call("GET", `${ctx.base}/participants/${encodeURIComponent(id)}`));
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); return; }
    ctx.drawer(personName(r.data), detailView(r.data));
  }

  function detailView(p) {
    const tz = ctx.event.timezone;
    const alert = h("div", { class: "alert", role: "alert" });
    const facts = h("dl", { class: "facts" });
    const fact = (key, value) => { if (value) facts.append(h("dt", {}, t(key)), h("dd", {}, value)); };
    fact("field.status", t(`status.${p.status}`));
    fact("field.category", categoryName(cats, p.category, ctx.locale));
    fact("field.email", p.email);
    fact("field.phone", p.phone_display || p.phone);
    fact("field.country", p.country && `${country(p.country)} (${p.country})`);
    fact("field.organization", p.organization);
    fact("field.job_title", p.job_title);
    fact("field.delegation", p.delegation);
    fact("field.company", p.company);
    fact("field.registered", formatDateTime(p.created_at, ctx.locale, tz));
    const badge = p.badge
      ? [t("detail.badge_state", { revision: p.badge.revision, serial: p.badge.serial }),
        p.badge.printed_at ? t("detail.badge_printed", { at: formatDateTime(p.badge.printed_at, ctx.locale, tz) }) : "",
        p.badge.revoked_at ? t("detail.badge_revoked", { at: formatDateTime(p.badge.revoked_at, ctx.locale, tz) }) : ""]
        .filter(Boolean).join(" · ")
      : t("detail.badge_none");
    fact("field.badge", badge);

    const reason = h("input", { id: "action-reason", "aria-label": t("common.reason"), placeholder: t("common.reason") });
    const after = async (r) => {
      if (!r) return;
      if (!r.ok) { alert.textContent = problemText(r, t); return; }
      await load();
      await openDetail(p.id);
    };
    const post = (path, body = {}) => async () =>
      after(await ctx.run(() => call("POST", `${ctx.base}/participants/${p.id}/${path}`, { body })));
    const actions = h("div", { class: "actions" });
    if (p.status === "pending" && ctx.can("accreditation")) {
      actions.append(
        h("button", { type: "button", class: "primary", onclick: () => post("approve", { reason: reason.value })() }, t("detail.approve")),
        h("button", { type: "button", class: "danger", onclick: () => post("reject", { reason: reason.value })() }, t("detail.reject")));
    }
    if (p.status === "confirmed" && ctx.can("badges")) {
      actions.append(
        h("a", { class: "secondary", href: fileUrl(`${ctx.base}/participants/${p.id}/badge.pdf`), target: "_blank", rel: "noopener" }, t("detail.print")),
        h("button", { type: "button", class: "secondary", onclick: () => post("badge/reissue", { reason: reason.value || "reissued at the desk" })() }, t("detail.reissue")));
    }
    if (["pending", "confirmed", "waitlisted"].includes(p.status) && ctx.can("participants.write")) {
      actions.append(h("button", { type: "button", class: "danger", onclick: () => {
        if (window.confirm(t("detail.confirm_cancel"))) post("cancel")();
      } }, t("detail.cancel")));
    }
    if (ctx.can("privacy") && !ctx.scoped) {
      actions.append(h("button", { type: "button", class: "danger", id: "erase", onclick: () => {
        if (window.confirm(t("detail.confirm_erase"))) post("erase", { reason: reason.value || "on request" })();
      } }, t("detail.erase")));
    }
    const parts = [alert, facts, reason, actions];
    if (ctx.can("participants.write")) parts.push(editForm(p, after));
    if (ctx.can("participants.write") && !ctx.scoped) parts.push(moveForm(p, after));
    parts.push(h("h3", {}, t("detail.history")), historyList(p.history, tz));
    return h("div", {}, parts);
  }

  function editForm(p, after) {
    const names = ["first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic",
      "email", "phone", "organization", "job_title", "country"];
    const inputs = Object.fromEntries(names.map((n) => [n, h("input", { id: `edit-${n}`, name: n, value: p[n] || "" })]));
    const why = h("input", { id: "edit-reason", name: "reason", required: true });
    return h("details", {}, h("summary", {}, t("detail.edit")),
      h("form", { class: "edit", onsubmit: async (e) => {
        e.preventDefault();
        const changes = {};
        for (const n of names) if (inputs[n].value.trim() !== (p[n] || "")) changes[n] = inputs[n].value.trim();
        changes.reason = why.value.trim();
        after(await ctx.run(() => call("PATCH", `${ctx.base}/participants/${p.id}`, { body: changes })));
      } },
      names.map((n) => h("div", { class: "field" }, h("label", { for: `edit-${n}` }, t(`field.${n}`)), inputs[n])),
      h("div", { class: "field" }, h("label", { for: "edit-reason" }, t("common.reason")), why),
      h("button", { type: "submit", class: "primary" }, t("common.save"))));
  }

  function moveForm(p, after) {
    const select = h("select", { id: "move-category" },
      cats.map((c) => h("option", { value: c.slug, selected: c.slug === p.category }, categoryName(cats, c.slug, ctx.locale))));
    const why = h("input", { id: "move-reason", required: true });
    return h("details", {}, h("summary", {}, t("detail.move")),
      h("form", { onsubmit: async (e) => {
        e.preventDefault();
        after(await ctx.run(() => call("POST", `${ctx.base}/participants/${p.id}/category`, {
          body: { category: select.value, reason: why.value.trim() } })));
      } },
      h("div", { class: "field" }, h("label", { for: "move-category" }, t("field.category")), select),
      h("div", { class: "field" }, h("label", { for: "move-reason" }, t("common.reason")), why),
      h("button", { type: "submit", class: "primary" }, t("common.save"))));
  }

  function historyList(items, tz) {
    return h("ul", { class: "history" }, items.map((item) => h("li", {},
      h("time", { datetime: item.at }, formatDateTime(item.at, ctx.locale, tz)),
      item.kind === "scan" ? t("detail.scan", { gate: item.actor }) + ` — ${item.action.replace("checkin.", "")}`
        : t("detail.change", { action: item.action, actor: item.actor }),
      item.data?.reason ? ` · ${item.data.reason}` : "")));
  }

  await load();
}
