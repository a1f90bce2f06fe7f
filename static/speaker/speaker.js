// The speaker's own profile page: read and change it with the private link's token.

import { NetworkError, fetchJson } from "../common/http.js";
import { createI18n } from "../common/i18n.js";
import { dropStored, takeToken } from "../common/token.js";
import { countryChoices } from "../register/countries.js";
import { TEXTS } from "./i18n.js";

const TOKEN_KEY = "forum.speakerToken";
const ME = "/api/v1/speakers/me";
const LANGS = ["kk", "ru", "en"];
const MAX_LINKS = 10;
const CONSENTS = ["profile", "bio", "photo", "links"];

const { initialLocale, locale, onLocaleChange, renderLanguageSwitch, setLocale, t, hasText } =
  createI18n({ texts: TEXTS });
const $ = (id) => document.getElementById(id);

let token = null;
let profile = null;
let photoUrl = null; // an object URL of the own photo, revoked when replaced

// Messages kept as keys so a language switch re-renders them.
const messages = new Map(); // element id → key or () => text

function say(id, message) {
  messages.set(id, message);
  renderMessage(id);
}

function renderMessage(id) {
  const message = messages.get(id);
  const text = !message ? "" : typeof message === "function" ? message() : t(message);
  const box = $(id);
  box.textContent = text;
  box.classList.toggle("is-visible", Boolean(text));
}

function problemText(data, status) {
  const code = data?.code || (status >= 500 ? "internal_error" : "");
  if (hasText(`code.${code}`)) return t(`code.${code}`);
  return data?.detail || t("code.internal_error");
}

// ---- the form ----------------------------------------------------------------------------

async function fillCountries() {
  const select = $("country");
  const chosen = select.value || profile?.country || "";
  // The list may come from the server (a promise) or from the browser (an array).
  const choices = await Promise.resolve(countryChoices(locale()));
  const none = new Option(t("field.no_country"), "");
  select.replaceChildren(none, ...choices.map((c) => new Option(c.name, c.code)));
  // A code the list does not have (or none) still shows as it is.
  if (chosen && !choices.some((c) => c.code === chosen)) select.append(new Option(chosen, chosen));
  select.value = chosen;
}

function linkRow(link = { label: "", url: "" }) {
  const n = $("links").children.length;
  const row = document.createElement("div");
  row.className = "link-row";
  const label = document.createElement("input");
  label.className = "link-label";
  label.maxLength = 60;
  label.value = link.label || "";
  label.setAttribute("aria-label", t("links.label"));
  label.placeholder = t("links.label");
  const url = document.createElement("input");
  url.className = "link-url";
  url.type = "url";
  url.inputMode = "url";
  url.maxLength = 300;
  url.value = link.url || "";
  url.id = `link-url-${n}`;
  url.setAttribute("aria-label", t("links.url"));
  url.placeholder = t("links.url");
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "button secondary link-remove";
  remove.textContent = t("links.remove");
  remove.addEventListener("click", () => {
    row.remove();
    $("add-link").hidden = false;
  });
  row.append(label, url, remove);
  return row;
}

function renderLinks(links) {
  $("links").replaceChildren();
  for (const link of links) $("links").append(linkRow(link));
  $("add-link").hidden = links.length >= MAX_LINKS;
}

function relabelLinks() {
  for (const row of $("links").children) {
    for (const [cls, key] of [["link-label", "links.label"], ["link-url", "links.url"]]) {
      const input = row.querySelector(`.${cls}`);
      input.setAttribute("aria-label", t(key));
      input.placeholder = t(key);
    }
    row.querySelector(".link-remove").textContent = t("links.remove");
  }
}

function fill() {
  const p = profile;
  $("profile-event").textContent = p.event?.name || "";
  for (const field of ["name", "title", "organization"]) $(field).value = p[field] || "";
  $("country").replaceChildren(new Option(p.country || t("field.no_country"), p.country || ""));
  $("country").value = p.country || "";
  fillCountries();
  for (const lang of LANGS) $(`bio-${lang}`).value = p.bio?.[lang] || "";
  renderLinks(p.links || []);
  for (const key of CONSENTS) $(`consent-${key}`).checked = Boolean(p.consent?.[key]);
  if (p.event?.slug) $("program-link").href = `/program?event=${encodeURIComponent(p.event.slug)}`;
  $("profile-form").hidden = false;
  $("photo-section").hidden = false;
  $("program-link-line").hidden = false;
  renderPhotoState();
}

function changes() {
  const bio = {};
  for (const lang of LANGS) {
    const text = $(`bio-${lang}`).value.trim();
    if (text) bio[lang] = text;
  }
  const links = [...$("links").children]
    .map((row) => ({ label: row.querySelector(".link-label").value.trim(),
      url: row.querySelector(".link-url").value.trim() }))
    .filter((link) => link.url || link.label);
  const consent = Object.fromEntries(CONSENTS.map((key) => [key, $(`consent-${key}`).checked]));
  return {
    name: $("name").value.trim(), title: $("title").value.trim(),
    organization: $("organization").value.trim(), country: $("country").value, bio, links, consent,
  };
}

const FIELD_BOXES = { name: "name", title: "title", organization: "organization",
  country: "country", bio: "bio", links: "links" };

function clearFieldErrors() {
  for (const box of Object.values(FIELD_BOXES)) {
    $(`${box}-error`).textContent = "";
    $(box)?.removeAttribute?.("aria-invalid");
  }
}

function showFieldErrors(errors) {
  let shown = false;
  for (const [field, list] of Object.entries(errors || {})) {
    const box = FIELD_BOXES[field.split(".")[0]];
    if (!box) continue;
    $(`${box}-error`).textContent = [].concat(list).join(" ");
    $(box)?.setAttribute?.("aria-invalid", "true");
    shown = true;
  }
  return shown;
}

async function save(event) {
  event.preventDefault();
  clearFieldErrors();
  say("form-alert", null);
  say("save-status", "profile.saving");
  try {
    const answer = await fetchJson("PATCH", ME, { body: changes(), token });
    if (answer.ok) {
      profile = answer.data;
      fill();
      say("save-status", "profile.saved");
      return;
    }
    say("save-status", null);
    if (answer.status === 401) return lost();
    const fields = showFieldErrors(answer.data?.errors);
    say("form-alert", fields ? "profile.invalid" : () => problemText(answer.data, answer.status));
    $("form-alert").focus();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    say("save-status", null);
    say("form-alert", "page.network");
  }
}

// ---- the photo ------------------------------------------------------------------------------

function renderPhotoState() {
  const has = Boolean(profile?.has_photo);
  $("photo-none").hidden = has;
  $("photo-remove").hidden = !has;
  $("photo-private").hidden = !has || Boolean(profile.photo);
  $("photo-preview").hidden = !has || !photoUrl;
}

async function loadPhoto() {
  if (photoUrl) URL.revokeObjectURL(photoUrl);
  photoUrl = null;
  if (profile?.has_photo) {
    try {
      const response = await fetch(`${ME}/photo`, {
        headers: { Authorization: `Bearer ${token}` }, cache: "no-store", credentials: "omit" });
      if (response.ok) photoUrl = URL.createObjectURL(await response.blob());
    } catch {
      // No preview without the network; the state line still says a photo is on file.
    }
  }
  if (photoUrl) $("photo-preview").src = photoUrl;
  renderPhotoState();
}

async function photoCall(method, body) {
  const response = await fetch(`${ME}/photo`, {
    method, body, headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
    credentials: "omit", cache: "no-store" });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

async function photoChange(method) {
  say("photo-alert", null);
  const file = $("photo-file").files[0];
  if (method === "PUT" && !file) {
    say("photo-alert", "photo.pick_first");
    return;
  }
  let body;
  if (method === "PUT") {
    body = new FormData();
    body.append("photo", file);
  }
  say("photo-status", method === "PUT" ? "photo.uploading" : null);
  try {
    const answer = await photoCall(method, body);
    say("photo-status", null);
    if (answer.status === 401) return lost();
    if (!answer.ok) {
      say("photo-alert", () => problemText(answer.data, answer.status));
      return;
    }
    profile = answer.data;
    $("photo-file").value = "";
    say("photo-status", method === "PUT" ? "photo.uploaded" : "photo.removed");
    await loadPhoto();
  } catch {
    say("photo-status", null);
    say("photo-alert", "page.network");
  }
}

// ---- start --------------------------------------------------------------------------------

function lost() {
  dropStored(TOKEN_KEY);
  $("profile-form").hidden = true;
  $("photo-section").hidden = true;
  say("page-alert", "page.bad_token");
}

async function start() {
  renderLanguageSwitch($("lang-switch"));
  setLocale(initialLocale());
  onLocaleChange(() => {
    for (const id of messages.keys()) renderMessage(id);
    if (profile) fillCountries();
    relabelLinks();
  });
  $("profile-form").addEventListener("submit", save);
  $("add-link").addEventListener("click", () => {
    $("links").append(linkRow());
    $("add-link").hidden = $("links").children.length >= MAX_LINKS;
  });
  $("photo-upload").addEventListener("click", () => photoChange("PUT"));
  $("photo-remove").addEventListener("click", () => photoChange("DELETE"));
  token = takeToken(TOKEN_KEY);
  if (!token) {
    say("page-alert", "page.no_token");
    return;
  }
  say("page-status", "page.loading");
  try {
    const answer = await fetchJson("GET", ME, { token });
    say("page-status", null);
    if (answer.status === 401) return lost();
    if (!answer.ok) {
      say("page-alert", () => problemText(answer.data, answer.status));
      return;
    }
    profile = answer.data;
    fill();
    await loadPhoto();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    say("page-status", null);
    say("page-alert", "page.network");
  }
}

start();
