// The visitor's personal agenda and workshop bookings, with the private manage token.
// The token is the one of the manage page: it arrives in the URL fragment (#token=…), never
// in a request line, and lives in this tab's session storage under the same key.

import { NetworkError, fetchJson } from "../common/http.js";
import { dropStored, takeToken } from "../common/token.js";

const TOKEN_KEY = "forum.manageToken";
const BOOKINGS_KEY = "forum.programBookings";
const IDS_KEY = "forum.programAgenda";
const AGENDA = "/api/v1/registrations/me/agenda";
const BOOKINGS = "/api/v1/registrations/me/bookings";

/** The problem of a failed answer, with a code even when the body was not ours. */
export function problemOf(result) {
  const data = result.data && typeof result.data === "object" ? result.data : {};
  const fallback = result.status === 429 ? "rate_limited"
    : result.status >= 500 ? "internal_error" : "bad_request";
  return { ...data, status: result.status, code: data.code || fallback };
}

/**
 * ``state``: "guest" (no token), "loading", "ready", "invalid" (the token was refused),
 * "unavailable" (the server has no agenda for us now) or "offline".
 */
export class Agenda {
  constructor() {
    this.token = takeToken(TOKEN_KEY);
    this.state = this.token ? "loading" : "guest";
    this.ids = new Set(this.#stored(IDS_KEY)); // the last known, for reading offline
    this.calendarUrl = null;
    this.bookings = new Map(this.#stored(BOOKINGS_KEY)); // session id → "booked" | "waitlisted"
    this.listeners = [];
  }

  get member() {
    return this.state === "ready";
  }

  /** The agenda can be read (the last known copy while offline), if not changed. */
  get readable() {
    return this.member || (this.state === "offline" && this.ids.size > 0);
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  has(id) {
    return this.ids.has(id);
  }

  async load() {
    if (!this.token) return;
    let result;
    try {
      result = await fetchJson("GET", AGENDA, { token: this.token, timeoutMs: 8000 });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      this.#set("offline");
      return;
    }
    if (result.status === 401) {
      this.#forget();
      this.#set("invalid");
    } else if (result.ok) {
      this.#adopt(result.data);
      await this.#loadBookings();
      this.#set("ready");
    } else {
      this.#set("unavailable");
    }
  }

  async #loadBookings() {
    try {
      const result = await fetchJson("GET", BOOKINGS, { token: this.token, timeoutMs: 8000 });
      if (result.ok) this.#adopt({ bookings: result.data?.bookings });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      // The bookings this tab made are still known from session storage.
    }
  }

  /** Add or remove one session; resolves with a text key saying what happened. */
  async toggle(id) {
    const had = this.ids.has(id);
    const wanted = new Set(this.ids);
    if (had) wanted.delete(id);
    else wanted.add(id);
    this.ids = wanted; // shown at once; put back if the server refuses
    this.#emit();
    let result;
    try {
      result = await fetchJson("PUT", AGENDA, { token: this.token, body: { sessions: [...wanted] } });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return this.#revert(id, had, "agenda.offline");
    }
    if (result.status === 401) {
      this.#forget();
      this.#set("invalid");
      return { key: "agenda.invalid_token", tone: "error" };
    }
    if (!result.ok) return this.#revert(id, had, "agenda.failed", problemOf(result));
    this.#adopt(result.data);
    this.#emit();
    return { key: had ? "agenda.removed" : "agenda.added", tone: "ok" };
  }

  /** Book a seat: resolves with {status} or {key, problem} for the page to show. */
  async book(id) {
    let result;
    try {
      result = await fetchJson("POST", BOOKINGS, { token: this.token, body: { session: id } });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return { key: "book.offline" };
    }
    if (result.ok) {
      this.#booked(id, result.data?.status === "waitlisted" ? "waitlisted" : "booked");
      // A clash with another booked session is a warning, not a refusal.
      const overlaps = (result.data?.warnings || []).filter((w) => w.code === "overlaps")
        .map((w) => String(w.session));
      return { status: this.bookings.get(id), overlaps };
    }
    const problem = problemOf(result);
    if (result.status === 401) {
      this.#forget();
      this.#set("invalid");
      return { key: "agenda.invalid_token" };
    }
    if (problem.code === "already_booked") {
      if (!this.bookings.has(id)) this.#booked(id, "booked");
      return { status: this.bookings.get(id), key: "code.already_booked" };
    }
    return { problem, key: "book.failed" };
  }

  /** Give the seat (or the waiting-list place) back. */
  async unbook(id) {
    let result;
    try {
      result = await fetchJson("DELETE", `${BOOKINGS}/${encodeURIComponent(id)}`,
        { token: this.token });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      return { key: "book.offline" };
    }
    if (result.ok || result.status === 404) {
      this.#booked(id, null);
      return { key: "book.cancelled" };
    }
    if (result.status === 401) {
      this.#forget();
      this.#set("invalid");
      return { key: "agenda.invalid_token" };
    }
    return { problem: problemOf(result), key: "book.failed" };
  }

  #adopt(data) {
    if (!data || typeof data !== "object") return;
    if (Array.isArray(data.sessions)) {
      this.ids = new Set(data.sessions.map(String));
      this.#store(IDS_KEY, [...this.ids]);
    }
    if (data.calendar_url) this.calendarUrl = data.calendar_url;
    // Bookings, when the answer lists them ([{session, status}]): the server knows best.
    if (Array.isArray(data.bookings)) {
      this.bookings = new Map(data.bookings.filter((b) => b && b.session)
        .map((b) => [String(b.session), b.status === "waitlisted" ? "waitlisted" : "booked"]));
      this.#storeBookings();
    }
  }

  #revert(id, had, key, problem) {
    const back = new Set(this.ids);
    if (had) back.add(id);
    else back.delete(id);
    this.ids = back;
    this.#emit();
    return { key, problem, tone: "error" };
  }

  #booked(id, status) {
    if (status) this.bookings.set(id, status);
    else this.bookings.delete(id);
    this.#storeBookings();
    this.#emit();
  }

  #stored(key) {
    try {
      const stored = JSON.parse(sessionStorage.getItem(key) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch {
      return [];
    }
  }

  #store(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Not kept across reloads; the server still holds it.
    }
  }

  #storeBookings() {
    this.#store(BOOKINGS_KEY, [...this.bookings]);
  }

  #forget() {
    this.token = null;
    this.ids = new Set();
    this.bookings = new Map();
    dropStored(TOKEN_KEY, BOOKINGS_KEY, IDS_KEY);
  }

  #set(state) {
    this.state = state;
    this.#emit();
  }

  #emit() {
    this.listeners.forEach((fn) => fn());
  }
}
