// One session in a dialog: time, room, track, language, speakers with their public profile,
// the description, interpretation, seats left, and the personal agenda and booking controls.

import { countryNamer } from "../register/countries.js";
import { dayKey, dayLabel, timeRange } from "./format.js";
import { feedUrl } from "./subscribe.js";

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A speaker's photo, from this page's own origin (the API names the public host). */
function photo(url) {
  const u = new URL(url, location.href);
  const img = el("img", "speaker-photo");
  img.src = u.pathname + u.search;
  img.alt = "";
  img.loading = "lazy";
  img.width = 48;
  img.height = 48;
  return img;
}

function countryName(code, locale) {
  return code ? countryNamer(locale)(code) : "";
}

/**
 * ``api``: {session(id) → detail|null, profiles() → Map id→profile, t, locale, tz, agenda,
 * problemText(problem), onChange()} — what the page knows and how it reaches the server.
 */
export class Detail {
  constructor(api) {
    this.api = api;
    this.dialog = $("detail");
    this.session = null; // the list entry, then the detail answer
    this.message = null; // {key, tone, text?}
    this.busy = false;
    this.open = new Set(); // speakers whose profile is unfolded
    $("d-close").addEventListener("click", () => this.close());
    this.dialog.addEventListener("close", () => {
      this.session = null;
      this.api.onClose?.();
    });
    // A click on the backdrop (outside the dialog's box) closes it, as a phone user expects.
    this.dialog.addEventListener("click", (ev) => {
      if (ev.target === this.dialog) this.close();
    });
    $("d-star").addEventListener("click", () => this.#toggleStar());
    $("d-book").addEventListener("click", () => this.#book());
    $("d-unbook").addEventListener("click", () => this.#unbook());
  }

  get current() {
    return this.session?.id || null;
  }

  async show(entry) {
    this.session = entry;
    this.message = null;
    this.open.clear();
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    $("d-title").focus();
    await this.refresh();
  }

  /** Fetch the detail (description, seats left) in the page language. */
  async refresh() {
    const id = this.current;
    if (!id) return;
    $("d-status").textContent = this.session.description === undefined
      ? this.api.t("detail.loading") : "";
    const [found] = await Promise.all([this.api.session(id), this.api.profiles()]);
    if (this.current !== id) return; // closed or replaced meanwhile
    if (found) this.session = { ...this.session, ...found };
    $("d-status").textContent = "";
    this.render();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  render() {
    const s = this.session;
    if (!s) return;
    const { t, locale, tz } = this.api;
    $("d-kind").textContent = t(`kind.${s.kind}`);
    $("d-title").textContent = s.title;
    $("d-cancelled").hidden = s.status !== "cancelled";
    $("d-when").textContent = `${dayLabel(dayKey(s.starts_at, tz), locale)}, `
      + timeRange(s.starts_at, s.ends_at, locale, tz);
    $("d-room").textContent = [s.room.name, s.room.location].filter(Boolean).join(" — ");
    $("d-track-row").hidden = !s.track;
    if (s.track) {
      const swatch = el("span", "swatch");
      swatch.style.setProperty("--track", s.track.colour);
      $("d-track").replaceChildren(swatch, ` ${s.track.name}`);
    }
    $("d-language").textContent = t(`talk.${s.language}`);
    $("d-interpretation").hidden = !s.room.interpretation;
    this.#seats();
    this.#speakers();
    this.#description();
    this.#actions();
  }

  #seats() {
    const s = this.session;
    const box = $("d-seats");
    if (typeof s.seats_left === "number") {
      box.textContent = s.seats_left > 0 ? this.api.t("detail.seats_left", { n: s.seats_left })
        : this.api.t("book.full");
      box.dataset.full = String(s.seats_left <= 0);
      box.hidden = false;
    } else if (s.bookable && s.capacity) {
      box.textContent = this.api.t("detail.capacity", { n: s.capacity });
      box.dataset.full = "false";
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  #speakers() {
    const { t, locale } = this.api;
    const speakers = this.session.speakers || [];
    $("d-speakers-section").hidden = !speakers.length;
    const profiles = this.api.knownProfiles();
    $("d-speakers").replaceChildren(...speakers.map((ref) => {
      const li = el("li");
      li.dataset.speaker = ref.id;
      const profile = profiles.get(ref.id);
      if (profile?.photo) li.append(photo(profile.photo));
      li.append(el("span", "name", ref.name), " ",
        el("span", "role", `· ${t(`role.${ref.role}`)}`));
      if (profile) {
        const affiliation = [profile.title, profile.organization, countryName(profile.country, locale)]
          .filter(Boolean).join(", ");
        if (affiliation) li.append(el("p", "affiliation", affiliation));
        const feed = el("a", "speaker-feed", t("subscribe.speaker"));
        feed.href = feedUrl(this.api.base, locale, { speaker: ref.id });
        li.append(feed, " ");
        if (profile.bio || profile.links?.length) {
          const unfolded = this.open.has(ref.id);
          const toggle = el("button", "profile-toggle",
            t(unfolded ? "detail.profile_hide" : "detail.profile"));
          toggle.type = "button";
          toggle.setAttribute("aria-expanded", String(unfolded));
          toggle.addEventListener("click", () => {
            if (unfolded) this.open.delete(ref.id);
            else this.open.add(ref.id);
            this.#speakers();
          });
          li.append(toggle);
          if (unfolded) {
            if (profile.bio) li.append(el("p", "bio", profile.bio));
            if (profile.links?.length) {
              const links = el("ul", "links");
              for (const link of profile.links) {
                const a = el("a", "", link.label || link.url);
                a.href = link.url;
                a.rel = "noopener noreferrer";
                a.target = "_blank";
                const item = el("li");
                item.append(a);
                links.append(item);
              }
              li.append(links);
            }
          }
        }
      }
      return li;
    }));
  }

  #description() {
    const text = this.session.description || "";
    $("d-description").replaceChildren(...text.split(/\n\s*\n/).filter((p) => p.trim())
      .map((p) => el("p", "", p.trim())));
  }

  #actions() {
    const { t, agenda } = this.api;
    const s = this.session;
    const guest = ["guest", "invalid"].includes(agenda.state);
    $("d-member").hidden = !agenda.member;
    $("d-guest").hidden = !guest;
    // Offline or unavailable: the page's note says why; nothing to press here.
    $("d-actions").hidden = !agenda.member && !guest;
    if (!agenda.member) return;
    const starred = agenda.has(s.id);
    const star = $("d-star");
    star.textContent = `${starred ? "★" : "☆"} ${t(starred ? "agenda.remove" : "agenda.add")}`;
    star.setAttribute("aria-pressed", String(starred));
    const bookable = s.bookable && s.status !== "cancelled";
    $("d-booking").hidden = !bookable;
    const booking = agenda.bookings.get(s.id);
    const full = typeof s.seats_left === "number" && s.seats_left <= 0;
    const book = $("d-book");
    book.hidden = Boolean(booking);
    book.disabled = this.busy;
    book.textContent = t(this.busy ? "book.busy" : full ? "book.waitlist_button" : "book.button");
    $("d-book-note").hidden = Boolean(booking);
    $("d-unbook").hidden = !booking;
    $("d-unbook").disabled = this.busy;
    const status = $("d-book-status");
    let message = this.message;
    if (!message && booking) message = { key: `book.${booking}`, tone: booking === "booked" ? "ok" : "wait" };
    status.textContent = message ? message.text || t(message.key) : "";
    status.dataset.tone = message?.tone || "";
  }

  async #toggleStar() {
    const id = this.current;
    const outcome = await this.api.agenda.toggle(id);
    if (this.current !== id) return;
    this.message = { key: outcome.key, tone: outcome.tone };
    this.#actions();
    this.api.onChange();
  }

  async #book() {
    if (this.busy) return;
    const id = this.current;
    this.busy = true;
    this.message = null;
    this.#actions();
    const outcome = await this.api.agenda.book(id);
    this.busy = false;
    if (this.current !== id) return;
    if (outcome.status) {
      this.message = outcome.key ? { key: outcome.key, tone: "ok" }
        : { key: `book.${outcome.status}`, tone: outcome.status === "booked" ? "ok" : "wait" };
      const clash = (outcome.overlaps || []).map((other) => this.api.title(other)).filter(Boolean);
      if (clash.length) {
        this.message.text = `${this.api.t(this.message.key)} ${this.api.t("book.overlaps",
          { titles: clash.join("; ") })}`;
      }
    } else {
      this.message = { key: outcome.key, tone: "error",
        text: outcome.problem ? this.api.problemText(outcome.problem, outcome.key) : undefined };
    }
    this.render();
    this.api.onChange();
    await this.refresh(); // the seats left, as the server now counts them
    this.api.onBooked?.();
  }

  async #unbook() {
    if (this.busy) return;
    const id = this.current;
    this.busy = true;
    this.#actions();
    const outcome = await this.api.agenda.unbook(id);
    this.busy = false;
    if (this.current !== id) return;
    this.message = { key: outcome.key, tone: outcome.problem ? "error" : "ok",
      text: outcome.problem ? this.api.problemText(outcome.problem, outcome.key) : undefined };
    this.render();
    this.api.onChange();
    await this.refresh();
    this.api.onBooked?.();
  }
}
