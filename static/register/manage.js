// The manage page: view, correct or cancel a registration with the private manage token.

import {
  Alert, FieldErrors, NetworkError, applyServerErrors, fetchJson, hasStoredLocale, initialLocale,
  locale, onLocaleChange, problemMessage, problemOf, renderLanguageSwitch, setLocale, t,
} from "./common.js";
import { dropStored, takeToken } from "../common/token.js";
import { countryNamer, loadCountries } from "./countries.js";

const TOKEN_KEY = "forum.manageToken";
const ME = "/api/v1/registrations/me";
const EDITABLE = ["first_name", "last_name", "first_name_cyrillic", "last_name_cyrillic",
  "organization", "job_title", "phone", "locale"];

const $ = (id) => document.getElementById(id);
const editForm = $("edit-form");
const fieldErrors = new FieldErrors(editForm);
const pageAlert = new Alert($("page-alert"));
const editAlert = new Alert($("edit-alert"));
const cancelAlert = new Alert($("cancel-alert"));
const badgeAlert = new Alert($("badge-alert"));

let token = null;
// A link from the e-mail also carries a proof that it came from the mailbox (sent once).
let emailProof = null;
let registration = null;
let busy = false;
let qrUrl = null; // object URL of the QR image shown (revoked when replaced)

function forgetToken() {
  token = null;
  dropStored(TOKEN_KEY);
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
  for (const field of ["organization", "job_title"]) {
    $(`d-${field}`).textContent = r[field] || "—";
  }
  $("d-phone").textContent = r.phone_display || r.phone || "—";
  const cyrillic = [r.first_name_cyrillic, r.last_name_cyrillic].filter(Boolean).join(" ");
  if (cyrillic) $("d-name").textContent += ` (${cyrillic})`;
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
  renderBadge();
}

// ---- the badge in hand --------------------------------------------------------------------

function renderBadge() {
  const confirmed = registration?.status === "confirmed";
  $("badge-card").hidden = !confirmed;
  if (!confirmed) return;
  $("qr").alt = t("badge.qr_alt");
  $("qr-caption").textContent = [registration.first_name, registration.last_name].join(" ");
  if (!qrUrl) loadQr();
}

/** The QR comes from the server (the signed badge code); only confirmed people have one. */
async function loadQr() {
  qrUrl = "loading";
  const blob = await download("qr.svg").catch(() => null);
  if (!blob) {
    qrUrl = null;
    return;
  }
  qrUrl = URL.createObjectURL(blob);
  $("qr").src = qrUrl;
}

/** A file of mine from the API, as a Blob; problems are shown in the badge card. */
async function download(name) {
  let response;
  try {
    response = await fetch(`${ME}/${name}`, {
      headers: { Authorization: `Bearer ${token}` }, credentials: "omit", cache: "no-store",
    });
  } catch {
    badgeAlert.show(() => t("manage.network"), { focus: true });
    return null;
  }
  if (response.status === 401) {
    showTokenProblem("manage.invalid_token");
    return null;
  }
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    const problem = problemOf({ status: response.status, data });
    badgeAlert.show(() => problemMessage(problem), { focus: true });
    return null;
  }
  return response.blob();
}

async function save(name, filename) {
  badgeAlert.clear();
  $("badge-status").textContent = t("badge.preparing");
  const blob = await download(name);
  $("badge-status").textContent = "";
  if (!blob) return;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  $("badge-status").textContent = t("badge.downloaded");
}

function fillEditForm() {
  for (const field of EDITABLE) $(field).value = registration[field] ?? "";
  $("phone").value = registration.phone_display || registration.phone || "";
}

function render() {
  loadCountries(locale()).then(() => registration && renderSummary());
  renderSummary();
  fieldErrors.render();
  pageAlert.render();
  editAlert.render();
  cancelAlert.render();
  badgeAlert.render();
}

function showTokenProblem(key) {
  forgetToken();
  registration = null;
  $("summary").hidden = true;
  editForm.hidden = true;
  $("cancel-section").hidden = true;
  $("program-link-line").hidden = true;
  $("badge-card").hidden = true;
  $("register-link-line").hidden = false;
  pageAlert.show(() => t(key), { focus: true });
}

// ---- load -------------------------------------------------------------------------------

async function load() {
  // The e-mail proof rides in the same fragment as the token (cleared with it).
  emailProof = new URLSearchParams(location.hash.slice(1)).get("proof");
  token = takeToken(TOKEN_KEY);
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
  // A number typed without + is one of the person's country (8 701 … in Kazakhstan).
  body.phone_country = registration.country;
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
$("download-pdf").addEventListener("click", () => save("badge.pdf", "badge.pdf"));
$("download-ics").addEventListener("click", () => save("forum.ics", "digital-bridge.ics"));
load();
