// Bulk badge printing: one PDF of a selection, straight from the server (streamed).

import { fileUrl } from "/static/admin/api.js";
import { h } from "/static/admin/ui.js";

export async function renderBadges(view, ctx) {
  const { t } = ctx;
  const category = h("input", { id: "badges-category", placeholder: "attendee, press, vip…" });
  const delegation = h("input", { id: "badges-delegation", placeholder: "UZ / D-…" });
  const company = h("input", { id: "badges-company" });
  const unprinted = h("input", { id: "badges-unprinted", type: "checkbox", checked: true });
  const mark = h("input", { id: "badges-mark", type: "checkbox", checked: true });
  const layout = h("select", { id: "badges-layout" },
    h("option", { value: "a6" }, "A6"), h("option", { value: "a4" }, "A4 (4 × A6)"));
  const link = h("a", { class: "primary", id: "badges-download", target: "_blank", rel: "noopener" },
    t("badges.download"));
  const update = () => {
    link.href = fileUrl(`${ctx.base}/badges.pdf`, {
      category: category.value.trim(), delegation: delegation.value.trim(),
      company: company.value.trim(), unprinted: unprinted.checked ? "true" : "",
      mark_printed: mark.checked ? "true" : "false", layout: layout.value,
    });
  };
  for (const el of [category, delegation, company, unprinted, mark, layout]) {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  }
  update();
  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id }, label), input);
  view.append(h("h1", {}, t("badges.heading")), h("p", {}, t("badges.intro")),
    h("div", { class: "card" },
      field("badges-category", t("field.category"), category),
      field("badges-delegation", t("field.delegation"), delegation),
      field("badges-company", t("field.company"), company),
      field("badges-layout", t("badges.layout"), layout),
      h("p", {}, h("label", {}, unprinted, " ", t("badges.unprinted"))),
      h("p", {}, h("label", {}, mark, " ", t("badges.mark"))),
      link));
}
