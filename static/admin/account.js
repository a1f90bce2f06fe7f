// My account: the signed-in staff member's own password and two-factor sign-in (TOTP).
// The TOTP key lives only in this page's memory while it is set up: drawn as a QR code here
// in the browser, never put in a URL, in storage or in the console.

import { call } from "/static/admin/api.js";
import { clear, fieldRow, h, problemText, setFieldError } from "/static/admin/ui.js";

// qrcode-generator from npm (package.json), loaded when a QR code is first drawn: without it
// the key is still shown as text, and the rest of the panel does not depend on it.
const QR_MODULE = "/vendor/qrcode-generator/dist/qrcode.mjs";
const SVG = "http://www.w3.org/2000/svg";

// Server messages are English: each field's errors get the panel's wording for their code
// (`other`: any other code, e.g. a schema's validation_failed).
const PASSWORD_FIELDS = {
  current_password: { id: "me-current", invalid_credentials: "me.password.wrong", other: "me.required" },
  new_password: { id: "me-new", other: "me.password.weak" },
};
const CODE_FIELDS = { code: { id: "totp-code", invalid_totp: "me.totp.wrong_code", other: "me.totp.code_format" } };
const OFF_FIELDS = { password: { id: "totp-off-password", invalid_credentials: "me.totp.wrong_password", other: "me.required" } };

/** Put a problem's field errors under their fields; false when it named none of them. */
function showFieldErrors(form, result, fields, t) {
  const code = result.data?.code;
  let shown = false;
  for (const name of Object.keys(result.data?.errors || {})) {
    const spec = fields[name];
    if (!spec) continue;
    setFieldError(form, spec.id, t(spec[code] || spec.other));
    shown = true;
  }
  return shown;
}

function clearFieldErrors(form, fields) {
  for (const spec of Object.values(fields)) setFieldError(form, spec.id, "");
}

function focusFirstError(form) {
  form.querySelector("[aria-invalid=true]")?.focus();
}

function password(autocomplete) {
  return h("input", { type: "password", autocomplete, required: true, maxlength: 500 });
}

export async function renderAccount(view, ctx) {
  const { t } = ctx;
  const account = ctx.me.account;
  const facts = h("dl", { class: "facts account-facts", id: "me-facts" },
    h("dt", {}, t("field.name")), h("dd", {}, account.name || "—"),
    h("dt", {}, t("field.email")), h("dd", {}, account.email),
    h("dt", {}, t("me.roles")), h("dd", {}, account.roles.map((r) => t(`role.${r}`)).join(", ")));
  view.append(h("h1", {}, t("me.heading")), facts,
    h("div", { class: "account-grid" }, passwordCard(ctx), totpCard(ctx)));
}

function passwordCard(ctx) {
  const { t } = ctx;
  const alert = h("div", { class: "alert", role: "alert", id: "me-password-alert", tabindex: -1 });
  const current = password("current-password");
  const fresh = password("new-password");
  const repeat = password("new-password");
  fresh.minLength = 10;
  repeat.minLength = 10;
  const fields = { ...PASSWORD_FIELDS, repeat: { id: "me-repeat" } };
  const form = h("form", { id: "me-password", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    alert.textContent = "";
    clearFieldErrors(form, fields);
    if (!current.value) setFieldError(form, "me-current", t("me.required"));
    if (!fresh.value) setFieldError(form, "me-new", t("me.required"));
    else if (repeat.value !== fresh.value) setFieldError(form, "me-repeat", t("me.password.mismatch"));
    if (form.querySelector("[aria-invalid=true]")) { focusFirstError(form); return; }
    const r = await ctx.run(() => call("POST", "/api/v1/auth/password", {
      body: { current_password: current.value, new_password: fresh.value } }));
    if (!r) return;
    if (r.ok) {
      // Every session of the account has ended, this one too: sign in with the new password.
      ctx.signedOut(t("me.password.done"), ctx.me.account.email);
      return;
    }
    if (showFieldErrors(form, r, PASSWORD_FIELDS, t)) focusFirstError(form);
    else { alert.textContent = problemText(r, t); alert.focus(); }
  } },
  alert,
  fieldRow("me-current", t("me.password.current"), current),
  fieldRow("me-new", t("me.password.new"), fresh, t("me.password.rules")),
  fieldRow("me-repeat", t("me.password.repeat"), repeat),
  h("button", { type: "submit", class: "primary" }, t("me.password.submit")));
  return h("section", { class: "card", "aria-labelledby": "me-password-heading" },
    h("h2", { id: "me-password-heading" }, t("me.password.heading")),
    h("p", { class: "muted" }, t("me.password.intro")),
    form);
}

function totpCard(ctx) {
  const { t } = ctx;
  const card = h("section", { class: "card", id: "totp-card", "aria-labelledby": "totp-heading" });
  const notice = h("div", { class: "alert", id: "totp-alert", role: "alert", tabindex: -1 });

  function say(text, ok = false) {
    notice.textContent = text || "";
    notice.classList.toggle("ok", ok);
    if (text) notice.focus();
  }

  function draw() {
    const { account, totp_required: required } = ctx.me;
    const enabled = account.totp_enabled;
    const state = h("p", { class: "totp-state" }, `${t("me.totp.state")}: `,
      h("span", { id: "totp-state", class: `pill ${enabled ? "on" : required ? "needed" : "off"}` },
        t(enabled ? "me.totp.on" : "me.totp.off")));
    const notes = [];
    if (required) {
      notes.push(t(account.totp_required ? "me.totp.required_account" : "me.totp.required_role"),
        " ", t(enabled ? "me.totp.required_on" : "me.totp.required_off"));
    }
    clear(card).append(
      h("h2", { id: "totp-heading" }, t("me.totp.heading")), notice,
      h("p", { class: "muted" }, t("me.totp.intro")), state);
    if (notes.length) card.append(h("p", { id: "totp-required", class: "note" }, notes));
    if (!enabled) {
      card.append(h("button", { type: "button", class: "primary", id: "totp-start", onclick: start },
        t("me.totp.start")));
    } else if (!required) {
      card.append(offForm());
    }
  }

  async function start() {
    say("");
    const r = await ctx.run(() => call("POST", "/api/v1/auth/totp"));
    if (!r) return;
    if (!r.ok) {
      if (r.data?.code === "totp_already_enabled") {
        ctx.setAccount({ ...ctx.me.account, totp_enabled: true });
        draw();
        say(t("me.totp.already_on"));
      } else {
        say(problemText(r, t));
      }
      return;
    }
    card.querySelector("#totp-start")?.remove();
    card.append(setup(r.data));
    card.querySelector("#totp-code").focus();
  }

  function setup({ secret, otpauth_uri: uri }) {
    const qr = h("div", { class: "qr", id: "totp-qr-box" });
    drawQr(qr, uri, t);
    const code = h("input", { type: "text", inputmode: "numeric", autocomplete: "one-time-code",
      maxlength: 6, pattern: "[0-9]{6}", required: true, class: "code-input" });
    const form = h("form", { id: "totp-confirm", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      say("");
      clearFieldErrors(form, CODE_FIELDS);
      const value = code.value.replace(/\s+/g, "");
      if (!/^[0-9]{6}$/.test(value)) {
        setFieldError(form, "totp-code", t("me.totp.code_format"));
        code.focus();
        return;
      }
      const r = await ctx.run(() => call("POST", "/api/v1/auth/totp/confirm", { body: { code: value } }));
      if (!r) return;
      if (r.ok) {
        ctx.setAccount(r.data);
        draw();
        say(t("me.totp.done"), true);
      } else if (r.data?.code === "totp_not_started") {
        draw();
        say(t("me.totp.not_started"));
      } else if (showFieldErrors(form, r, CODE_FIELDS, t)) {
        code.select();
        code.focus();
      } else {
        say(problemText(r, t));
      }
    } },
    fieldRow("totp-code", t("me.totp.code"), code),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, t("me.totp.confirm")),
      h("button", { type: "button", class: "secondary", id: "totp-cancel", onclick: () => { draw(); } },
        t("common.cancel"))));
    return h("div", { class: "totp-setup", id: "totp-setup" },
      h("div", { class: "totp-scan" },
        h("p", { class: "step" }, t("me.totp.step_scan")), qr),
      h("div", { class: "totp-steps" },
        h("p", {}, t("me.totp.step_key")),
        h("p", {}, h("code", { id: "totp-secret", class: "secret" }, secret.replace(/(.{4})(?=.)/g, "$1 "))),
        h("p", { class: "muted" }, t("me.totp.secret_warning")),
        h("p", { class: "step" }, t("me.totp.step_code")),
        form));
  }

  function offForm() {
    const input = password("current-password");
    const form = h("form", { id: "totp-off", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      say("");
      clearFieldErrors(form, OFF_FIELDS);
      if (!input.value) { setFieldError(form, "totp-off-password", t("me.required")); input.focus(); return; }
      const r = await ctx.run(() => call("DELETE", "/api/v1/auth/totp", { body: { password: input.value } }));
      if (!r) return;
      if (r.ok) {
        ctx.setAccount(r.data);
        draw();
        say(t("me.totp.off_done"), true);
      } else if (showFieldErrors(form, r, OFF_FIELDS, t)) {
        input.focus();
      } else {
        say(problemText(r, t));
      }
    } },
    h("p", {}, t("me.totp.off_intro")),
    fieldRow("totp-off-password", t("auth.password"), input),
    h("button", { type: "submit", class: "danger" }, t("me.totp.turn_off")));
    return h("details", { id: "totp-off-details" }, h("summary", {}, t("me.totp.turn_off")), form);
  }

  draw();
  return card;
}

/** The otpauth:// URI as a QR code (SVG, crisp at any size), or a note to type the key. */
async function drawQr(box, uri, t) {
  let qr;
  try {
    const { default: qrcode } = await import(QR_MODULE);
    qr = qrcode(0, "M");
    qr.addData(uri);
    qr.make();
  } catch {
    box.replaceChildren(h("p", { class: "muted" }, t("me.totp.no_qr")));
    return;
  }
  const quiet = 4; // the blank margin scanners need, in modules
  const size = qr.getModuleCount() + 2 * quiet;
  let path = "";
  for (let row = 0; row < qr.getModuleCount(); row += 1) {
    for (let col = 0; col < qr.getModuleCount(); col += 1) {
      if (qr.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, "svg");
  for (const [key, value] of Object.entries({ id: "totp-qr", viewBox: `0 0 ${size} ${size}`,
    role: "img", "aria-label": t("me.totp.qr_label"), "shape-rendering": "crispEdges" })) {
    svg.setAttribute(key, value);
  }
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", size);
  background.setAttribute("height", size);
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG, "path");
  modules.setAttribute("d", path);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  box.replaceChildren(svg);
}
