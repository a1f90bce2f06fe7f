// Live figures: registrations over time, categories, countries, delegations, pending work,
// and on event days the entrances. Polls every 5 seconds; an unchanged answer is a 304.

import { call } from "/static/admin/api.js";
import { categoryLabel } from "/static/admin/categories.js";
import { clear, formatNumber, h, problemText } from "/static/admin/ui.js";
import { countryNamer, loadCountries } from "/static/register/countries.js";

const POLL_MS = 5000;
let timer = null;

export async function renderDashboard(view, ctx) {
  const { t } = ctx;
  clearInterval(timer);
  const tiles = h("div", { class: "tiles", id: "dash-tiles" });
  const charts = h("div", { class: "charts" });
  const canvases = {};
  for (const id of ["days", "categories", "countries", "delegations", "entrances"]) {
    canvases[id] = h("canvas", { id: `chart-${id}`, role: "img", "aria-label": t(`dash.${id}`) });
    charts.append(h("div", { class: "chart-card", id: `card-${id}` }, h("h2", {}, t(`dash.${id}`)), canvases[id]));
  }
  const updated = h("p", { class: "status", id: "dash-updated" });
  const openData = h("p", {}, h("a", { href: `${ctx.base}/open-data?format=csv`, id: "open-data" }, t("dash.open_data")));
  view.append(h("h1", {}, t("nav.dashboard")), tiles, updated, charts, openData);
  const drawn = {};
  let etag = null;
  await loadCountries(ctx.locale); // CLDR names in the panel's language
  const country = countryNamer(ctx.locale);

  function chart(id, type, labels, datasets, options = {}) {
    if (!window.Chart) return; // the library failed to load: the tiles still show the figures
    if (drawn[id]) {
      drawn[id].data.labels = labels;
      drawn[id].data.datasets = datasets;
      drawn[id].update("none");
      return;
    }
    drawn[id] = new window.Chart(canvases[id], {
      type, data: { labels, datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1 } }, ...options },
    });
  }

  function draw(d) {
    const n = (v) => formatNumber(v ?? 0, ctx.locale);
    const total = d.registrations.length ? d.registrations[d.registrations.length - 1].cumulative : 0;
    const confirmed = d.categories.reduce((sum, c) => sum + c.confirmed, 0);
    clear(tiles).append(
      tile(t("dash.registered"), n(total)),
      tile(t("status.confirmed"), n(confirmed)),
      tile(t("dash.pending_people"), n(d.pending.participants)),
      tile(t("dash.pending_companies"), n(d.pending.companies)),
      tile(t("dash.capacity"), d.capacity.quota === null ? "∞" : `${n(d.capacity.taken)} / ${n(d.capacity.quota)}`));
    const name = (c) => categoryLabel(c, ctx.locale);
    chart("days", "line", d.registrations.map((r) => r.day), [
      { label: t("dash.per_day"), data: d.registrations.map((r) => r.count), borderColor: "#0a58a8" },
      { label: t("dash.cumulative"), data: d.registrations.map((r) => r.cumulative), borderColor: "#116329" }]);
    chart("categories", "bar", d.categories.map(name), [
      { label: t("status.confirmed"), data: d.categories.map((c) => c.confirmed), backgroundColor: "#116329" },
      { label: t("status.pending"), data: d.categories.map((c) => c.pending), backgroundColor: "#9a6700" },
      { label: t("status.waitlisted"), data: d.categories.map((c) => c.waitlisted), backgroundColor: "#1e3a8a" }],
    { scales: { x: { stacked: true }, y: { stacked: true } } });
    chart("countries", "bar", [...d.countries.top.map((c) => country(c.country)), t("dash.other")],
      [{ label: t("dash.people"), data: [...d.countries.top.map((c) => c.count), d.countries.other.count], backgroundColor: "#0a58a8" }],
      { indexAxis: "y" });
    chart("delegations", "bar", d.delegations.map((g) => g.name), [
      { label: t("dash.seats_taken"), data: d.delegations.map((g) => g.taken), backgroundColor: "#116329" },
      { label: t("dash.quota"), data: d.delegations.map((g) => g.quota ?? 0), backgroundColor: "#d5dae1" }],
    { indexAxis: "y" });
    const card = canvases.entrances.parentElement;
    card.hidden = !d.checkin;
    if (d.checkin) {
      const buckets = d.checkin.admissions || [];
      chart("entrances", "bar", buckets.map((b) => (b.start || b.at || "").slice(11, 16)),
        [{ label: t("dash.admissions"), data: buckets.map((b) => b.count), backgroundColor: "#0a58a8" }]);
    }
    updated.textContent = t("dash.updated", { time: new Date().toLocaleTimeString(ctx.locale) });
  }

  async function poll() {
    if (!tiles.isConnected) { clearInterval(mine); return; } // left the page
    const r = await call("GET", `${ctx.base}/dashboard`, { headers: etag ? { "If-None-Match": etag } : {} })
      .catch(() => null);
    if (!tiles.isConnected) return; // left while the answer was on its way
    if (!r) { updated.textContent = t("common.offline"); return; }
    if (r.status === 304) {
      updated.textContent = t("dash.updated", { time: new Date().toLocaleTimeString(ctx.locale) });
      return;
    }
    if (!r.ok) { ctx.setAlert(problemText(r, t)); clearInterval(mine); return; }
    etag = r.etag;
    draw(r.data);
  }

  const mine = setInterval(poll, POLL_MS);
  timer = mine;
  await poll();
}

function tile(label, value) {
  return h("div", { class: "tile" }, h("div", { class: "muted" }, label), h("div", { class: "value" }, value));
}
