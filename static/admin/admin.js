// The organizer panel: sign-in, the sections the account's permissions allow, one event at a
// time. Everything it shows comes from /api/v1, which decides what each role may see.

import { createI18n } from "/static/common/i18n.js";
import { call, NetworkError, setCsrf } from "/static/admin/api.js";
import { TEXTS } from "/static/admin/i18n.js";
import { clear, h, problemText } from "/static/admin/ui.js";
import { ACCOUNT, SECTIONS } from "/static/admin/sections.js";

const i18n = createI18n({ texts: TEXTS });
const $ = (id) => document.getElementById(id);
const EVENT_KEY = "forum.admin.event";

const state = { me: null, event: null, section: null };

function setAlert(text, ok = false) {
  const alert = $("page-alert");
  alert.textContent = text || "";
  alert.classList.toggle("ok", ok);
  if (text) alert.focus();
}

function setStatus(text) {
  $("page-status").textContent = text || "";
}

function drawer(title, body) {
  $("drawer-title").textContent = title;
  $("drawer-body").replaceChildren(body);
  const dialog = $("drawer");
  if (!dialog.open) dialog.showModal();
  return { close: () => dialog.close() };
}

function context() {
  const event = state.event; // none for an account that has no event yet: only its own page
  return {
    t: i18n.t,
    locale: i18n.locale(),
    me: state.me,
    event,
    base: event ? `/api/v1/events/${encodeURIComponent(event.slug)}` : null,
    can: (permission) => Boolean(event?.permissions.includes(permission)),
    scoped: Boolean(event) && (event.delegations !== null || event.companies !== null),
    setAlert,
    setStatus,
    drawer,
    closeDrawer: () => $("drawer").close(),
    run: guarded,
    setAccount,
    signedOut,
  };
}

/** The signed-in account changed (two-factor sign-in on or off): keep the panel's copy. */
function setAccount(account) {
  state.me.account = account;
  $("who").textContent = account.name || account.email;
}

/** The server ended the session (a new password ends them all): back to the sign-in form. */
function signedOut(message, email) {
  setCsrf(null);
  showSignIn(message, email);
}

/** Run an API step: network failures and expired sessions end up as messages, not errors. */
async function guarded(step) {
  try {
    return await step();
  } catch (error) {
    if (error instanceof NetworkError) setAlert(i18n.t("common.offline"));
    else throw error;
    return undefined;
  }
}

function allowedSections() {
  return state.event ? SECTIONS.filter((s) => s.allowed(state.event)) : [];
}

/** Two-factor sign-in is required of the account and not on yet: personal data stays closed. */
function totpPending() {
  return state.me.totp_required && !state.me.account.totp_enabled;
}

function renderNav() {
  const nav = clear($("nav"));
  for (const section of allowedSections()) {
    nav.append(h("a", {
      href: `#${section.id}`,
      "aria-current": section.id === state.section ? "page" : null,
    }, i18n.t(`nav.${section.id}`)));
  }
}

async function show() {
  if (!state.me) return;
  const sections = allowedSections();
  const wanted = location.hash.slice(1) || (totpPending() ? ACCOUNT.id : "");
  const section = wanted === ACCOUNT.id ? ACCOUNT
    : sections.find((s) => s.id === wanted) || sections[0];
  state.section = section?.id || null;
  renderNav();
  if (section === ACCOUNT) $("account-link").setAttribute("aria-current", "page");
  else $("account-link").removeAttribute("aria-current");
  setAlert("");
  setStatus("");
  const view = clear($("view"));
  if (!section) {
    view.append(h("p", {}, i18n.t("common.forbidden")));
    return;
  }
  await guarded(() => section.render(view, context()));
}

function pickEvent() {
  const events = state.me.events;
  const stored = localStorage.getItem(EVENT_KEY);
  const fromUrl = new URLSearchParams(location.search).get("event");
  state.event = events.find((e) => e.slug === fromUrl) || events.find((e) => e.slug === stored)
    || events[0] || null;
  const select = clear($("event-select"));
  for (const e of events) select.append(h("option", { value: e.slug, selected: e === state.event }, e.name));
  $("event-pick").hidden = events.length < 2;
}

async function loadMe() {
  const me = await call("GET", "/api/v1/auth/me");
  if (!me.ok) return false;
  state.me = me.data;
  setCsrf(me.data.csrf_token);
  pickEvent();
  $("who").textContent = me.data.account.name || me.data.account.email;
  $("sign-in").hidden = true;
  $("shell").hidden = false; // with no event, the shell still holds the account's own page
  $("sign-out").hidden = false;
  $("account-link").hidden = false;
  return true;
}

function showSignIn(message = "", email = "") {
  state.me = null;
  $("shell").hidden = true;
  $("sign-out").hidden = true;
  $("account-link").hidden = true;
  $("who").textContent = "";
  $("sign-in").hidden = false;
  $("sign-in-alert").textContent = message;
  askForCode(false);
  if (email) {
    $("email").value = email;
    $("password").focus();
  } else {
    $("email").focus();
  }
}

/** The second step of a sign-in with two-factor sign-in on: the authenticator's code. */
function askForCode(on) {
  $("totp-field").hidden = !on;
  $("totp").value = "";
  $("totp").required = on;
}

async function signIn(event) {
  event.preventDefault();
  const alert = $("sign-in-alert");
  const withCode = !$("totp-field").hidden;
  const body = { email: $("email").value.trim(), password: $("password").value };
  if (withCode) {
    body.totp = $("totp").value.replace(/\s+/g, "");
    if (!/^[0-9]{6}$/.test(body.totp)) {
      alert.textContent = i18n.t("auth.totp_needed");
      $("totp").focus();
      return;
    }
  }
  const result = await guarded(() => call("POST", "/api/v1/auth/session", { body }));
  if (!result) return;
  if (!result.ok) {
    const code = result.data?.code;
    if (code === "totp_required") {
      // The password was right: the same form asks for the code, the password stays.
      askForCode(true);
      alert.textContent = i18n.t("auth.totp_needed");
      $("totp").focus();
      return;
    }
    alert.textContent = code === "account_locked"
      ? i18n.t("auth.locked", { seconds: result.data.retry_after })
      : code === "invalid_credentials" ? i18n.t(withCode ? "auth.failed_totp" : "auth.failed")
        : problemText(result, i18n.t);
    if (withCode) $("totp").value = "";
    alert.focus();
    return;
  }
  $("password").value = "";
  askForCode(false);
  if (await loadMe()) await show();
}

async function signOut() {
  await guarded(() => call("DELETE", "/api/v1/auth/session"));
  setCsrf(null);
  showSignIn();
}

/** An invitation link (/admin#invite=TOKEN): the new staff member chooses a password. */
function showInvitation(token) {
  $("sign-in").hidden = true;
  $("invite").hidden = false;
  history.replaceState(null, "", location.pathname); // the token leaves the address bar
  $("invite").addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = $("invite-password").value;
    const alert = $("invite-alert");
    if (password !== $("invite-repeat").value) {
      alert.textContent = i18n.t("invite.mismatch");
      return;
    }
    const r = await guarded(() => call("POST", "/api/v1/auth/invitations/accept", { body: { token, password } }));
    if (!r) return;
    if (!r.ok) {
      alert.textContent = r.data?.code === "invitation_invalid" ? i18n.t("invite.invalid") : problemText(r, i18n.t);
      alert.focus();
      return;
    }
    $("invite").hidden = true;
    $("email").value = r.data.email;
    showSignIn(i18n.t("invite.done"));
  });
  $("invite-password").focus();
}

async function start() {
  i18n.renderLanguageSwitch($("lang-switch"));
  i18n.setLocale(i18n.initialLocale());
  i18n.onLocaleChange(() => { if (state.me) show(); });
  $("sign-in").addEventListener("submit", signIn);
  $("email").addEventListener("input", () => askForCode(false)); // another person: no code yet
  $("sign-out").addEventListener("click", signOut);
  $("drawer-close").addEventListener("click", () => $("drawer").close());
  $("event-select").addEventListener("change", (e) => {
    state.event = state.me.events.find((x) => x.slug === e.target.value);
    localStorage.setItem(EVENT_KEY, state.event.slug);
    show();
  });
  window.addEventListener("hashchange", show);
  // A session that ends (expired, revoked) sends the panel back to the sign-in form.
  window.addEventListener("forum:unauthorized", () => showSignIn(i18n.t("auth.expired")));
  const invite = location.hash.match(/^#invite=([A-Za-z0-9_-]+)$/);
  if (invite) {
    showInvitation(invite[1]);
    return;
  }
  const signedIn = await guarded(loadMe);
  if (signedIn) await show();
  else showSignIn();
}

start();
