// A company applies for the forum (exhibitors, partners); organizers approve it in the panel.

import {
  Alert, FieldErrors, NetworkError, applyServerErrors, fetchJson, initialLocale, loadEventOf,
  locale, onLocaleChange, problemMessage, problemOf, renderLanguageSwitch, setLocale, t,
} from "./common.js";
import { countryChoices } from "./countries.js";

const $ = (id) => document.getElementById(id);
const form = $("apply-form");
const fieldErrors = new FieldErrors(form);
const pageAlert = new Alert($("page-alert"));
const formAlert = new Alert($("form-alert"));
const slug = new URLSearchParams(location.search).get("event") || "digital-bridge";
const eventUrl = `/api/v1/events/${encodeURIComponent(slug)}`;
const REQUIRED = ["name", "country", "contact_name", "contact_email"];

let event = null;
let sending = false;
let countriesShown = null;

async function fillCountries() {
  const shown = locale();
  if (countriesShown === shown) return;
  const choices = await countryChoices(shown, event?.country || "KZ");
  if (shown !== locale() || !choices.length) return;
  countriesShown = shown;
  const select = $("country");
  const chosen = select.value;
  select.replaceChildren(new Option(t("field.choose"), ""),
    ...choices.map(({ code, name }) => new Option(name, code)));
  select.value = chosen;
}

function render() {
  if (event) {
    $("event-name").textContent = event.name;
    document.title = `${t("page.apply")} — ${event.name}`;
  }
  fillCountries();
  fieldErrors.render();
  pageAlert.render();
  formAlert.render();
}

async function loadEvent() {
  event = await loadEventOf(eventUrl, { status: $("page-status"), pageAlert });
  if (!event) return;
  $("register-link").href = `/register?event=${encodeURIComponent(slug)}`;
  render();
  if (!event.registration_open) {
    pageAlert.show(() => t("event.closed"));
    return;
  }
  form.hidden = false;
}

function collect() {
  const value = (id) => $(id).value.trim();
  const body = {
    name: value("name"), country: value("country"), exhibitor: $("exhibitor").checked,
    contact_name: value("contact_name"), contact_email: value("contact_email"),
    consent: $("consent").checked,
  };
  if (value("website")) body.website = value("website");
  return body;
}

async function onSubmit(ev) {
  ev.preventDefault();
  if (sending) return;
  fieldErrors.clear();
  formAlert.clear();
  const body = collect();
  for (const field of REQUIRED) {
    if (!body[field]) fieldErrors.set(field, [{ key: "error.required" }]);
  }
  if (!body.consent) fieldErrors.set("consent", [{ key: "error.consent" }]);
  fieldErrors.render();
  if (fieldErrors.size) {
    formAlert.show(() => t("form.fix_errors"));
    fieldErrors.first()?.focus();
    return;
  }
  sending = true;
  $("submit").disabled = true;
  $("form-status").textContent = t("form.sending");
  try {
    const result = await fetchJson("POST", `${eventUrl}/companies`, { body });
    $("form-status").textContent = "";
    if (result.ok) {
      $("done-id").textContent = result.data.id;
      form.hidden = true;
      $("done").hidden = false;
      $("done").focus();
      return;
    }
    const problem = problemOf(result);
    const other = applyServerErrors(fieldErrors, problem.errors);
    if (fieldErrors.size) {
      formAlert.show(() => [t("form.fix_errors"), ...other].join(" "));
      fieldErrors.first()?.focus();
    } else {
      formAlert.show(() => other.join(" ") || problemMessage(problem), { focus: true });
    }
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    $("form-status").textContent = "";
    formAlert.show(() => t("form.network"), { focus: true });
  } finally {
    sending = false;
    $("submit").disabled = false;
  }
}

renderLanguageSwitch($("lang-switch"));
onLocaleChange(render);
setLocale(initialLocale());
form.addEventListener("submit", onSubmit);
loadEvent();
