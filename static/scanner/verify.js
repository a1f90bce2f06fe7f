// Offline badge checks with the scanner bundle: the token format of forum/badges/tokens.py
// (15-byte payload + 64-byte Ed25519 signature, uppercase base32 without padding), the
// signature through WebCrypto, then revocations and the zone's rules.

const PAYLOAD_LEN = 15;
const RAW_LEN = PAYLOAD_LEN + 64;
export const TOKEN_LENGTH = Math.ceil((RAW_LEN * 8) / 5); // 127 characters
const VERSION = 1;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// Signatures are bound to this use (the server signs DOMAIN + payload).
const DOMAIN = new TextEncoder().encode("digital-bridge badge\0");

function base32Decode(text) {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = ((value << 5) | ALPHABET.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >>> bits) & 0xff;
    }
  }
  // The unused low bits of the last character must be zero: one token, one spelling.
  if (value & ((1 << bits) - 1)) return null;
  return out;
}

function base32Encode(bytes) {
  let bits = 0;
  let value = 0;
  let text = "";
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += ALPHABET[(value >>> bits) & 31];
    }
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return text;
}

/** Claims of a code without checking the signature, or null when it is not a badge code. */
export function parseToken(code) {
  const text = String(code).trim().toUpperCase();
  if (text.length !== TOKEN_LENGTH || !/^[A-Z2-7]+$/.test(text)) return null;
  const raw = base32Decode(text);
  if (!raw || raw.length !== RAW_LEN || raw[0] !== VERSION) return null;
  const payload = raw.subarray(0, PAYLOAD_LEN);
  return {
    kid: ((raw[1] << 8) | raw[2]).toString(16).toUpperCase().padStart(4, "0"),
    tag: (raw[3] << 16) | (raw[4] << 8) | raw[5],
    serial: base32Encode(raw.subarray(6, 11)),
    revision: (raw[11] << 8) | raw[12],
    signed: new Uint8Array([...DOMAIN, ...payload]),
    signature: raw.subarray(PAYLOAD_LEN),
  };
}

const keyCache = new Map(); // base64 public key → Promise<CryptoKey>

function importKey(base64) {
  if (!keyCache.has(base64)) {
    const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const promise = crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    promise.catch(() => keyCache.delete(base64));
    keyCache.set(base64, promise);
  }
  return keyCache.get(base64);
}

/** Whether this browser can verify badge signatures (WebCrypto Ed25519, secure context). */
export async function canVerify(bundle) {
  const first = Object.values(bundle?.keys || {})[0];
  if (!first || !globalThis.crypto?.subtle) return false;
  try {
    await importKey(first);
    return true;
  } catch {
    return false;
  }
}

/** "YYYY-MM-DD" of a moment in a time zone (the event day a scan counts for). */
const dayFormats = new Map(); // time zone → Intl.DateTimeFormat (costly to build per scan)

export function eventDay(moment, timeZone) {
  if (!dayFormats.has(timeZone)) {
    dayFormats.set(timeZone, new Intl.DateTimeFormat("en-GB", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    }));
  }
  const parts = dayFormats.get(timeZone).formatToParts(moment);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const ALWAYS_OPEN = {
  slug: "", categories: [], delegation_heads: false, allows_reentry: false, hours: null, sessions: null,
};

function isOpen(zone, day, moment) {
  if (zone.hours === null || zone.hours === undefined) return true;
  const at = moment.getTime();
  return zone.hours.some((h) => h.day === day
    && Date.parse(h.opens_at) <= at && at < Date.parse(h.closes_at));
}

/**
 * A program room's door (forum/checkin/rooms.py): while one of its bookable sessions holds
 * the door (from 15 minutes before its start to its end; the later one when two touch), only
 * the badges booked for it enter. Cases shared with the server: tests/checkin/room_rule_cases.json.
 */
export function holdsSeat(zone, serial, moment) {
  const at = moment.getTime();
  let running = null;
  for (const s of zone.sessions || []) {
    if (Date.parse(s.opens_at) <= at && at < Date.parse(s.ends_at)) running = s;
  }
  return !running || running.booked.includes(serial);
}

/** Whether the bundle is past its expiry (the end of the event's last day): refused then. */
export function isExpired(bundle, moment) {
  return !bundle?.expires_at || moment.getTime() >= Date.parse(bundle.expires_at);
}

/**
 * The entrance rule of forum/checkin/rule.py over the bundle, for a badge whose signature and
 * event were checked: {status, serial, person, day, zone, allowsReentry}. The same order as the
 * server: revoked, then (entries only) the zone's people, a workshop door's bookings, the
 * zone's hours. The server lists in ``participants`` exactly the people the zone admits whose
 * badge stands; a badge missing from it (issued after this bundle) passes only where every
 * category may enter. Admission per zone and day is the caller's part. Cases shared with the
 * server: tests/checkin/entrance_rule_cases.json.
 */
export function decide({ serial, revision }, bundle, moment) {
  const zone = bundle.zone || { ...ALWAYS_OPEN, slug: bundle.device.zone };
  const day = eventDay(moment, bundle.event.timezone);
  const entry = bundle.participants[serial] || null;
  const person = entry && { display_name: entry.name, category: entry.category };
  const base = { serial, day, zone: zone.slug, person };
  if (bundle.revoked.some((r) => r.serial === serial && r.revision === revision)) {
    return { ...base, status: "revoked" };
  }
  if (bundle.device.direction === "exit") return { ...base, status: "ok" };
  if (!entry && zone.categories.length) return { ...base, status: "not_allowed" };
  if (!holdsSeat(zone, serial, moment)) return { ...base, status: "not_allowed" };
  if (!isOpen(zone, day, moment)) return { ...base, status: "outside_hours" };
  return { ...base, status: "ok", allowsReentry: zone.allows_reentry };
}

/** Decide a scan from the bundle alone, as the server would with what the bundle knows. */
export async function checkOffline(code, bundle, moment) {
  const claims = parseToken(code);
  if (!claims) return { status: "invalid" };
  const key = bundle.keys[claims.kid];
  if (!key) {
    return { status: claims.tag !== bundle.event.tag ? "wrong_event" : "invalid" };
  }
  const valid = await crypto.subtle.verify(
    { name: "Ed25519" }, await importKey(key), claims.signature, claims.signed);
  if (!valid) return { status: "invalid" };
  if (claims.tag !== bundle.event.tag) return { status: "wrong_event", serial: claims.serial };
  return decide(claims, bundle, moment);
}
