// Speaker extras of the Program section: the speaker's photo (uploaded, re-encoded by the
// server) and the private link with which the speaker keeps their own profile up to date.

import { call } from "/static/admin/api.js";
import { h, problemText } from "/static/admin/ui.js";

const PHOTO_CODES = ["photo_unsupported", "photo_too_large", "photo_too_many_pixels"];

function codeText(t, r) {
  const code = r.data?.code;
  return PHOTO_CODES.includes(code) ? t(`program.code.${code}`) : problemText(r, t);
}

/** The photo and link controls of an existing speaker (``speaker`` as the staff list gives it). */
export function speakerExtras(ctx, speaker, onChange) {
  const { t } = ctx;
  const url = `${ctx.base}/speakers/${encodeURIComponent(speaker.id)}`;
  let hasPhoto = Boolean(speaker.photo);

  const status = h("p", { class: "hint", id: "speaker-photo-status", role: "status" });
  const error = h("p", { class: "field-error", id: "speaker-photo-error" });
  const preview = h("img", { class: "speaker-photo", id: "speaker-photo-preview", alt: "", hidden: true });
  const file = h("input", { type: "file", id: "speaker-photo", accept: "image/jpeg,image/png,image/webp" });
  const remove = h("button", { type: "button", class: "secondary small", id: "speaker-photo-remove", onclick: async () => {
    const r = await ctx.run(() => call("DELETE", `${url}/photo`));
    if (!r) return;
    if (!r.ok) { error.textContent = codeText(t, r); return; }
    hasPhoto = false;
    preview.hidden = true;
    show(t("program.photo.removed"));
    onChange();
  } }, t("program.photo.remove"));
  function show(text) {
    error.textContent = "";
    status.textContent = text || (hasPhoto ? t("program.photo.on_file") : t("program.photo.none"));
    remove.hidden = !hasPhoto;
  }
  const upload = h("button", { type: "button", class: "secondary small", id: "speaker-photo-upload", onclick: async () => {
    const chosen = file.files[0];
    if (!chosen) { error.textContent = t("program.photo.pick_first"); return; }
    const form = new FormData();
    form.append("photo", chosen);
    const r = await ctx.run(() => call("PUT", `${url}/photo`, { form }));
    if (!r) return;
    if (!r.ok) { error.textContent = codeText(t, r); return; }
    hasPhoto = true;
    preview.src = URL.createObjectURL(chosen); // what was sent; the public gets the re-encoded one
    preview.hidden = false;
    file.value = "";
    show(t("program.photo.saved"));
    onChange();
  } }, t("program.photo.upload"));
  show();

  const linkBox = h("input", { id: "speaker-link-url", readonly: true, hidden: true, "aria-label": t("program.link.url") });
  const linkNote = h("p", { class: "hint", id: "speaker-link-note", role: "status" }, t("program.link.hint"));
  const linkButton = h("button", { type: "button", class: "secondary small", id: "speaker-link-create", onclick: async () => {
    const r = await ctx.run(() => call("POST", `${url}/link`));
    if (!r) return;
    if (!r.ok) { linkNote.textContent = problemText(r, t); return; }
    linkBox.value = r.data.url;
    linkBox.hidden = false;
    linkBox.select();
    linkNote.textContent = t("program.link.shown_once");
  } }, t("program.link.create"));

  return h("div", { class: "speaker-extras" },
    h("fieldset", { id: "speaker-photo-set" }, h("legend", {}, t("program.photo.heading")),
      h("p", { class: "hint" }, t("program.photo.hint")), preview,
      h("label", { for: "speaker-photo" }, t("program.photo.choose")), file,
      h("div", { class: "actions" }, upload, remove), status, error),
    h("fieldset", { id: "speaker-link-set" }, h("legend", {}, t("program.link.heading")),
      linkNote, linkBox, h("div", { class: "actions" }, linkButton)));
}
