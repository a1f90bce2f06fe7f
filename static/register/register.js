// The attendee registration form: event info, categories, submit with a retry-safe key.

import {
  Alert, FieldErrors, NetworkError, applyServerErrors, fetchJson, formatDateRange, initialLocale,
  loadEventOf, locale, onLocaleChange, pick, problemMessage, problemOf, renderLanguageSwitch,
  setLocale, t, uuid,
} from "./common.js";
import { countryChoices, dialCode } from "./countries.js";

const RETRY_DELAY_MS = 1500;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

const $ = (id) => document.getElementById(id);
const form = $("reg-form");
const submit = $("submit");
const fieldErrors = new FieldErrors(form);
const pageAlert = new Alert($("page-alert"));
const formAlert = new Alert($("form-alert"));
const copyStatus = new Alert($("copy-status"));
const slug = new URLSearchParams(location.search).get("event") || "digital-bridge";
const eventUrl = `/api/v1/events/${encodeURIComponent(slug)}`;

let event = null;
let created = null; // the 201 answer once registered
let sending = false;
// One key per form fill: a retried or double submit replays the first answer.
let idempotencyKey = null;
// The dialling code follows the chosen country until the person picks one or types "+".
let dialChosen = false;
let countriesShown = null; // the language whose names the selects hold

// ---- rendering --------------------------------------------------------------------------

/** Country and dialling-code choices, named in the page's language (from the server). */
async function fillCountries() {
  const shown = locale();
  if (countriesShown === shown) return;
  const choices = await countryChoices(shown, event?.country || "KZ");
  if (shown !== locale() || !choices.length) return; // the language changed meanwhile
  countriesShown = shown;
  const select = $("country");
  const chosen = select.value;
  const placeholder = new Option(t("field.choose"), "");
  select.replaceChildren(placeholder, ...choices.map(({ code, name }) => new Option(name, code)));
  select.value = chosen;
  const dial = $("phone_country");
  const dialValue = dial.value || event?.country || "KZ";
  dial.replaceChildren(...choices.filter((c) => c.dial).map(({ code, name, dial: plus }) => {
    const option = new Option(`${plus} ${name}`, code);
    option.dataset.full = option.textContent;
    option.dataset.dial = plus;
    return option;
  }));
  dial.value = dialValue;
  compactDial();
}

/** Closed, the dialling-code select shows only "+7"; opened, every option names its country. */
function compactDial() {
  for (const option of $("phone_country").options) {
    option.textContent = option.selected ? option.dataset.dial : option.dataset.full;
  }
}

function expandDial() {
  for (const option of $("phone_country").options) option.textContent = option.dataset.full;
}

function followCountry() {
  const phone = $("phone").value.trim();
  const country = $("country").value;
  if (dialChosen || phone.startsWith("+") || !dialCode(country)) return;
  $("phone_country").value = country;
  compactDial();
}

/** Approved companies' names as suggestions for the organization field. */
async function loadCompanies() {
  const result = await fetchJson("GET", `${eventUrl}/companies/approved`).catch(() => null);
  if (!result?.ok || !Array.isArray(result.data)) return;
  $("companies").replaceChildren(...result.data.map(({ name }) => new Option(name, name)));
}

function categoryLabel(category) {
  const name = pick(category.names, locale(), category.slug);
  const notes = [];
  if (category.needs_approval) notes.push(t("field.category_approval"));
  if (category.available === false) notes.push(t("field.category_waitlist"));
  return notes.length ? `${name} (${notes.join(", ")})` : name;
}

function fillCategories() {
  const select = $("category");
  const chosen = select.value;
  const categories = event?.categories || [];
  select.replaceChildren(...categories.map((c) => new Option(categoryLabel(c), c.slug)));
  const fallback = categories.find((c) => c.slug === "attendee") || categories[0];
  select.value = categories.some((c) => c.slug === chosen) ? chosen : fallback?.slug || "";
}

function renderEvent() {
  if (!event) return;
  $("event-name").textContent = event.name;
  document.title = `${t("page.register")} — ${event.name}`;
  $("event-dates").textContent = formatDateRange(event.starts_on, event.ends_on);
  $("event-venue").textContent = event.place?.[locale()] ||
    [event.venue, event.city].filter(Boolean).join(", ");
  $("event-facts").hidden = false;
  fillCategories();
}

function renderDone() {
  if (!created) return;
  const status = created.status;
  $("done-heading").textContent = t(`done.heading.${status}`);
  $("done-status").textContent = t(`status.${status}`);
  $("done-status").dataset.status = status;
  $("done-explain").textContent = t(`explain.${status}`);
}

function render() {
  renderEvent();
  fillCountries();
  renderDone();
  fieldErrors.render();
  pageAlert.render();
  formAlert.render();
  copyStatus.render();
  if (sending) submit.textContent = t("form.sending");
}

// ---- event ------------------------------------------------------------------------------

async function loadEvent() {
  event = await loadEventOf(eventUrl, { status: $("page-status"), pageAlert });
  if (!event) return;
  renderEvent();
  loadCompanies();
  if (!event.registration_open) {
    pageAlert.show(() => t("event.closed"));
    return;
  }
  form.hidden = false;
}

// ---- submit -----------------------------------------------------------------------------

function collect() {
  const value = (id) => $(id).value.trim();
  const body = {
    first_name: value("first_name"),
    last_name: value("last_name"),
    first_name_cyrillic: value("first_name_cyrillic"),
    last_name_cyrillic: value("last_name_cyrillic"),
    email: value("email"),
    country: value("country"),
    organization: value("organization"),
    job_title: value("job_title"),
    phone: value("phone"),
    phone_country: value("phone_country") || undefined,
    category: value("category") || undefined,
    locale: locale(),
    consent: $("consent").checked,
  };
  if ($("has_code").checked) {
    if (value("delegation_code")) body.delegation_code = value("delegation_code").toUpperCase();
    if (value("company_code")) body.company_code = value("company_code").toUpperCase();
  }
  return body;
}

/** Checks the browser can make without the server; the server has the last word. */
function checkLocally(body) {
  for (const field of ["first_name", "last_name", "email", "country"]) {
    if (!body[field]) fieldErrors.set(field, [{ key: "error.required" }]);
  }
  if (body.email && !EMAIL_SHAPE.test(body.email)) {
    fieldErrors.set("email", [{ key: "error.email_format" }]);
  }
  if (!body.category && event?.categories?.length) {
    fieldErrors.set("category", [{ key: "error.required" }]);
  }
  if ($("has_code").checked) {
    if (body.delegation_code && body.company_code) {
      fieldErrors.set("company_code", [{ key: "error.codes_both" }]);
    } else if (!body.delegation_code && !body.company_code) {
      fieldErrors.set("delegation_code", [{ key: "error.code_missing" }]);
    }
  }
  if (!body.consent) fieldErrors.set("consent", [{ key: "error.consent" }]);
  fieldErrors.render();
  return fieldErrors.size === 0;
}

async function post(body) {
  return fetchJson("POST", `${eventUrl}/registrations`, {
    body, headers: { "Idempotency-Key": idempotencyKey },
  });
}

/** Send once, and once more with the same key if the network failed. */
async function postWithRetry(body) {
  try {
    return await post(body);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("form-status").textContent = t("form.retrying");
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    return post(body);
  }
}

function showInvalid() {
  formAlert.show(() => t("form.fix_errors"));
  const first = fieldErrors.first();
  if (first) first.focus();
}

// Problems about one field whose words are ours: shown under that field, in the page's language.
const FIELD_CODES = ["unknown_code", "company_not_approved"];

function showProblem(result) {
  const problem = problemOf(result);
  if (FIELD_CODES.includes(problem.code) && problem.errors) {
    toggleCodes(true);
    for (const field of Object.keys(problem.errors)) {
      fieldErrors.set(field, [{ key: `code.${problem.code}` }]);
    }
    fieldErrors.render();
    formAlert.show(() => t("form.fix_errors"));
    fieldErrors.first()?.focus();
    return;
  }
  if (problem.errors && Object.keys(problem.errors).length) {
    const other = applyServerErrors(fieldErrors, problem.errors);
    if (fieldErrors.size) {
      formAlert.show(() => [t("form.fix_errors"), ...other].join(" "));
      fieldErrors.first()?.focus();
    } else {
      formAlert.show(() => other.join(" "), { focus: true });
    }
    return;
  }
  if (problem.code === "invitation_code_required") toggleCodes(true);
  formAlert.show(() => problemMessage(problem), { focus: true });
  if (problem.code === "already_registered") showRecover($("email").value.trim());
}

// ---- a lost manage link, sent again by e-mail ---------------------------------------------

const recoverStatus = new Alert($("recover-status"));

function showRecover(email) {
  if (email) $("recover-email").value = email;
  $("recover").hidden = false;
}

async function onRecover(ev) {
  ev.preventDefault();
  const email = $("recover-email").value.trim();
  if (!EMAIL_SHAPE.test(email)) {
    recoverStatus.show(() => t("invalid.email"));
    return;
  }
  $("recover-send").disabled = true;
  try {
    const result = await fetchJson("POST", `${eventUrl}/registrations/recover`,
      { body: { email, locale: locale() } });
    // The same answer for every address: the page says only where to look.
    recoverStatus.show(() => (result.ok ? t("recover.sent") : problemMessage(problemOf(result))));
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    recoverStatus.show(() => t("form.network_short"));
  } finally {
    $("recover-send").disabled = false;
  }
}

function showCreated(data) {
  created = data;
  const link = new URL("/manage", location.origin);
  link.hash = `token=${encodeURIComponent(data.manage_token)}`;
  $("manage-link").href = link.href;
  $("manage-link").textContent = link.href;
  $("done-id").textContent = data.id;
  renderDone();
  form.hidden = true;
  $("done").hidden = false;
  $("done").scrollIntoView({ block: "start" });
  $("done").focus();
}

async function onSubmit(ev) {
  ev.preventDefault();
  if (sending) return;
  fieldErrors.clear();
  formAlert.clear();
  const body = collect();
  if (!checkLocally(body)) {
    showInvalid();
    return;
  }
  idempotencyKey ||= uuid();
  sending = true;
  submit.disabled = true;
  submit.textContent = t("form.sending");
  form.setAttribute("aria-busy", "true");
  $("form-status").textContent = t("form.sending");
  try {
    const result = await postWithRetry(body);
    $("form-status").textContent = "";
    if (result.ok) showCreated(result.data);
    else showProblem(result);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("form-status").textContent = "";
    formAlert.show(() => t("form.network"), { focus: true });
  } finally {
    sending = false;
    submit.disabled = false;
    submit.textContent = t("form.submit");
    form.removeAttribute("aria-busy");
  }
}

// ---- wiring -----------------------------------------------------------------------------

function toggleCodes(open) {
  $("has_code").checked = open;
  $("has_code").setAttribute("aria-expanded", String(open));
  $("codes").hidden = !open;
}

async function copyLink() {
  const href = $("manage-link").href;
  try {
    await navigator.clipboard.writeText(href);
    copyStatus.show(() => t("done.copied"));
  } catch {
    // Clipboard refused (permissions, plain HTTP): select the link text for a manual copy.
    const range = document.createRange();
    range.selectNodeContents($("manage-link"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    copyStatus.show(() => t("done.copy_failed"));
  }
}

renderLanguageSwitch($("lang-switch"));
onLocaleChange(render);
setLocale(initialLocale());
form.addEventListener("submit", onSubmit);
$("has_code").addEventListener("change", (e) => toggleCodes(e.target.checked));
$("copy-link").addEventListener("click", copyLink);
$("country").addEventListener("change", followCountry);
$("phone_country").addEventListener("change", () => {
  dialChosen = true;
  compactDial();
});
// Opening the list shows every option's country name again.
for (const type of ["focus", "mousedown"]) $("phone_country").addEventListener(type, expandDial);
$("phone_country").addEventListener("blur", compactDial);
$("recover-form").addEventListener("submit", onRecover);
if (location.hash === "#recover") showRecover("");
loadEvent();
