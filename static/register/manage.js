// The manage page: view, correct or cancel a registration with the private manage token.

import {
  Alert, FieldErrors, NetworkError, applyServerErrors, fetchJson, hasStoredLocale, initialLocale,
  locale, onLocaleChange, problemMessage, problemOf, renderLanguageSwitch, setLocale, t,
} from "./common.js";
import { countryNamer } from "./countries.js";

const TOKEN_KEY = "forum.manageToken";
const ME = "/api/v1/registrations/me";
const EDITABLE = ["first_name", "last_name", "organization", "job_title", "phone", "locale"];

const $ = (id) => document.getElementById(id);
const editForm = $("edit-form");
const fieldErrors = new FieldErrors(editForm);
const pageAlert = new Alert($("page-alert"));
const editAlert = new Alert($("edit-alert"));
const cancelAlert = new Alert($("cancel-alert"));

let token = null;
// A link from the e-mail also carries a proof that it came from the mailbox (sent once).
let emailProof = null;
let registration = null;
let busy = false;

/**
 * The token travels in the URL fragment (never sent to the server or its logs); it is moved to
 * this tab's session storage and removed from the address bar, history and bookmarks.
 */
function takeToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  emailProof = new URLSearchParams(location.hash.slice(1)).get("proof");
  if (fromHash) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage disabled: the token lives only as long as this page.
    }
    history.replaceState(null, "", location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function forgetToken() {
  token = null;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}

function call(method, body) {
  return fetchJson(method, ME, { body, token });
}

// ---- rendering --------------------------------------------------------------------------

function isActive() {
  return registration && !["cancelled", "rejected"].includes(registration.status);
}

function renderSummary() {
  if (!registration) return;
  const r = registration;
  $("summary-event").textContent = r.event_name;
  $("status-value").textContent = t(`status.${r.status}`);
  $("status-value").dataset.status = r.status;
  $("status-explain").textContent = t(`explain.${r.status}`);
  $("d-name").textContent = [r.first_name, r.last_name].join(" ");
  $("d-email").textContent = r.email;
  $("d-category").textContent = r.category_names?.[locale()] || r.category_names?.en || r.category;
  $("d-country").textContent = countryNamer(locale())(r.country);
  for (const field of ["organization", "job_title", "phone"]) {
    $(`d-${field}`).textContent = r[field] || "—";
  }
  $("d-delegation").textContent = r.delegation || "";
  $("d-delegation-row").hidden = !r.delegation;
  $("d-company").textContent = r.company || "";
  $("d-company-row").hidden = !r.company;
  $("d-id").textContent = r.id;
  $("summary").hidden = false;
  editForm.hidden = !isActive();
  $("cancel-section").hidden = !isActive();
  // The program page reads the manage token from this tab: stars and workshop seats.
  $("program-link-line").hidden = !isActive();
}

function fillEditForm() {
  for (const field of EDITABLE) $(field).value = registration[field] ?? "";
}

function render() {
  renderSummary();
  fieldErrors.render();
  pageAlert.render();
  editAlert.render();
  cancelAlert.render();
}

function showTokenProblem(key) {
  forgetToken();
  registration = null;
  $("summary").hidden = true;
  editForm.hidden = true;
  $("cancel-section").hidden = true;
  $("program-link-line").hidden = true;
  $("register-link-line").hidden = false;
  pageAlert.show(() => t(key), { focus: true });
}

// ---- load -------------------------------------------------------------------------------

async function load() {
  token = takeToken();
  if (!token) {
    showTokenProblem("manage.no_token");
    return;
  }
  $("page-status").textContent = t("manage.loading");
  let result;
  try {
    result = await call("GET");
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("page-status").textContent = "";
    pageAlert.show(() => t("manage.network"), { focus: true });
    return;
  }
  $("page-status").textContent = "";
  if (result.status === 401) {
    showTokenProblem("manage.invalid_token");
    return;
  }
  if (!result.ok) {
    const problem = problemOf(result);
    pageAlert.show(() => problemMessage(problem), { focus: true });
    return;
  }
  registration = result.data;
  if (emailProof) {
    // Marks the address as verified; a failure changes nothing on the page.
    fetchJson("POST", `${ME}/email-proof`, { body: { proof: emailProof }, token }).catch(() => {});
    emailProof = null;
  }
  fillEditForm();
  // Without an explicit choice on this device, speak the language chosen at registration.
  if (!hasStoredLocale() && registration.locale !== locale()) setLocale(registration.locale);
  else render();
}

// ---- edit -------------------------------------------------------------------------------

async function onSave(ev) {
  ev.preventDefault();
  if (busy) return;
  fieldErrors.clear();
  editAlert.clear();
  $("edit-status").textContent = "";
  const body = Object.fromEntries(EDITABLE.map((field) => [field, $(field).value.trim()]));
  for (const field of ["first_name", "last_name"]) {
    if (!body[field]) fieldErrors.set(field, [{ key: "error.required" }]);
  }
  fieldErrors.render();
  if (fieldErrors.size) {
    editAlert.show(() => t("form.fix_errors"));
    fieldErrors.first()?.focus();
    return;
  }
  busy = true;
  $("save").disabled = true;
  $("edit-status").textContent = t("manage.saving");
  try {
    const result = await call("PATCH", body);
    $("edit-status").textContent = "";
    if (result.ok) {
      registration = result.data;
      fillEditForm();
      renderSummary();
      $("edit-status").textContent = t("manage.saved");
    } else if (result.status === 401) {
      showTokenProblem("manage.invalid_token");
    } else {
      const problem = problemOf(result);
      const other = applyServerErrors(fieldErrors, problem.errors);
      if (fieldErrors.size) {
        editAlert.show(() => [t("form.fix_errors"), ...other].join(" "));
        fieldErrors.first()?.focus();
      } else {
        editAlert.show(() => other.join(" ") || problemMessage(problem), { focus: true });
      }
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("edit-status").textContent = "";
    editAlert.show(() => t("manage.network"), { focus: true });
  } finally {
    busy = false;
    $("save").disabled = false;
  }
}

// ---- cancel -----------------------------------------------------------------------------

function askCancel(open) {
  $("cancel-confirm").hidden = !open;
  $("cancel-start").hidden = open;
  $("cancel-start").setAttribute("aria-expanded", String(open));
  if (open) $("cancel-question").focus();
  else $("cancel-start").focus();
}

async function onCancelConfirmed() {
  if (busy) return;
  busy = true;
  cancelAlert.clear();
  $("cancel-yes").disabled = true;
  $("cancel-no").disabled = true;
  $("page-status").textContent = t("manage.cancelling");
  try {
    const result = await call("DELETE");
    $("page-status").textContent = "";
    if (result.ok) {
      registration = { ...registration, status: result.data.status };
      renderSummary();
      $("page-status").textContent = t("explain.cancelled");
      $("summary").setAttribute("tabindex", "-1");
      $("summary").focus();
    } else if (result.status === 401) {
      showTokenProblem("manage.invalid_token");
    } else {
      const problem = problemOf(result);
      cancelAlert.show(() => problemMessage(problem), { focus: true });
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("page-status").textContent = "";
    cancelAlert.show(() => t("manage.network"), { focus: true });
  } finally {
    busy = false;
    $("cancel-yes").disabled = false;
    $("cancel-no").disabled = false;
  }
}

// ---- wiring -----------------------------------------------------------------------------

renderLanguageSwitch($("lang-switch"));
onLocaleChange(render);
setLocale(initialLocale());
editForm.addEventListener("submit", onSave);
$("cancel-start").addEventListener("click", () => askCancel(true));
$("cancel-no").addEventListener("click", () => askCancel(false));
$("cancel-yes").addEventListener("click", onCancelConfirmed);
load();
