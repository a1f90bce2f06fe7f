// Rosters: check a spreadsheet row by row, import it all or nothing; export a selection.

import { call, fileUrl } from "/static/admin/api.js";
import { categoryLabel, loadCategories } from "/static/admin/categories.js";
import { clear, h, problemText } from "/static/admin/ui.js";

const KINDS = ["participants", "delegation", "company", "speakers", "vips"];

export async function renderImport(view, ctx) {
  const { t } = ctx;
  const kind = h("select", { id: "import-kind" },
    KINDS.map((k) => h("option", { value: k }, t(`import.kind.${k}`))));
  const file = h("input", { id: "import-file", type: "file", accept: ".csv,.xlsx,text/csv" });
  const report = h("div", { id: "import-report", class: "report" });
  const importButton = h("button", { type: "button", class: "primary", id: "import-commit", disabled: true },
    t("import.commit"));
  const templates = h("p", {}, t("import.templates"), " ",
    h("a", { id: "template-csv", href: "#" }, "CSV"), " · ", h("a", { id: "template-xlsx", href: "#" }, "XLSX"));
  const setTemplates = () => {
    templates.querySelector("#template-csv").href = fileUrl(`${ctx.base}/imports/template`, { kind: kind.value, format: "csv" });
    templates.querySelector("#template-xlsx").href = fileUrl(`${ctx.base}/imports/template`, { kind: kind.value, format: "xlsx" });
  };
  kind.addEventListener("change", () => { setTemplates(); importButton.disabled = true; clear(report); });
  file.addEventListener("change", () => { importButton.disabled = true; clear(report); });
  setTemplates();

  async function send(dryRun) {
    if (!file.files.length) { ctx.setAlert(t("import.choose")); return null; }
    const form = new FormData();
    form.append("file", file.files[0]);
    form.append("kind", kind.value);
    form.append("dry_run", dryRun ? "true" : "false");
    ctx.setStatus(t("common.loading"));
    const r = await ctx.run(() => call("POST", `${ctx.base}/imports`, { form }));
    ctx.setStatus("");
    return r;
  }

  function show(result, committed) {
    clear(report);
    const errors = result.errors || [];
    report.append(h("p", { id: "import-summary" }, committed
      ? t("import.done", { created: result.created, updated: result.updated })
      : t("import.checked", { rows: result.rows, created: result.created, updated: result.updated, errors: errors.length })));
    if (errors.length) {
      report.append(h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", { class: "num" }, t("import.row")), h("th", {}, t("import.field")), h("th", {}, t("import.message")))),
        h("tbody", {}, errors.map((e) => h("tr", { class: "bad" },
          h("td", { class: "num" }, e.row), h("td", {}, e.field), h("td", {}, e.message)))))));
    }
  }

  const check = h("button", { type: "button", class: "secondary", id: "import-check", onclick: async () => {
    const r = await send(true);
    if (!r) return;
    if (!r.ok) { ctx.setAlert(problemText(r, t)); importButton.disabled = true; return; }
    ctx.setAlert("");
    show(r.data, false);
    importButton.disabled = r.data.errors.length > 0 || r.data.rows === 0;
  } }, t("import.check"));
  importButton.addEventListener("click", async () => {
    const r = await send(false);
    if (!r) return;
    importButton.disabled = true;
    if (!r.ok) {
      if (r.data?.code === "roster_invalid") show({ ...r.data, rows: r.data.errors.length }, false);
      ctx.setAlert(problemText(r, t));
      return;
    }
    show(r.data, true);
    ctx.setAlert(t("common.done"), true);
  });
  view.append(h("h1", {}, t("nav.import")), h("p", {}, t("import.intro")), templates,
    h("div", { class: "card" },
      h("div", { class: "field" }, h("label", { for: "import-kind" }, t("import.kind")), kind),
      h("div", { class: "field" }, h("label", { for: "import-file" }, t("import.file")), file),
      await categoryCodes(ctx),
      h("div", { class: "actions" }, check, importButton)),
    report);
}

/** What the file's Category column may say: each slug with the category's name. */
async function categoryCodes(ctx) {
  const cats = await loadCategories(ctx);
  if (!cats.length) return null;
  return h("details", { id: "import-categories" },
    h("summary", {}, ctx.t("import.categories")),
    h("dl", { class: "facts codes" }, cats.flatMap((c) => [
      h("dt", {}, h("code", {}, c.slug)), h("dd", {}, categoryLabel(c, ctx.locale))])));
}

export async function renderExport(view, ctx) {
  const { t } = ctx;
  const format = h("select", { id: "export-format" }, h("option", { value: "xlsx" }, "XLSX"), h("option", { value: "csv" }, "CSV"));
  const status = h("select", { id: "export-status" }, h("option", { value: "" }, t("common.all")),
    ["confirmed", "pending", "waitlisted", "rejected", "cancelled"].map((s) => h("option", { value: s }, t(`status.${s}`))));
  const minimized = h("input", { id: "export-minimized", type: "checkbox" });
  const link = h("a", { class: "primary", id: "export-download" }, t("export.download"));
  const update = () => {
    link.href = fileUrl(`${ctx.base}/participants/export`, {
      format: format.value, status: status.value, minimized: minimized.checked ? "true" : "" });
  };
  for (const el of [format, status, minimized]) el.addEventListener("change", update);
  update();
  view.append(h("h1", {}, t("nav.export")), h("p", {}, t("export.intro")),
    h("div", { class: "card" },
      h("div", { class: "field" }, h("label", { for: "export-format" }, t("export.format")), format),
      h("div", { class: "field" }, h("label", { for: "export-status" }, t("field.status")), status),
      h("p", {}, h("label", {}, minimized, " ", t("export.minimized"))),
      link));
}
