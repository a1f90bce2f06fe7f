// The offline verifier (static/scanner/verify.js) against the entrance rule's shared cases
// (tests/checkin/entrance_rule_cases.json, which the server's tests read too), over the bundle
// each case states, and its token checks with codes signed here. Run: node --test tests/js/

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  TOKEN_LENGTH, checkOffline, decide, eventDay, isExpired, parseToken,
} from "../../static/scanner/verify.js";

const CASES = JSON.parse(readFileSync(new URL("../checkin/entrance_rule_cases.json", import.meta.url)));
const TIME_ZONE = "UTC"; // the rule reads the bundle's zone; UTC keeps the test off tz data
const DAY = eventDay(new Date(), TIME_ZONE); // today: never a fixed calendar date
const at = (hhmm) => new Date(`${DAY}T${hhmm}:00Z`);
const SERIAL = "ABCDEFGH";
const TAG = 0x0a0b0c;

function badgeOf(entry) {
  return { category: "attendee", head: false, revision: 1, revoked: false, status: "confirmed", ...entry.badge };
}

/** The bundle the case says the server sends for its door. */
function bundleFor(entry, extra = {}) {
  const slug = entry.zone || "open";
  const spec = CASES.zones[slug];
  const hours = spec.hours && [{
    day: DAY, opens_at: at(spec.hours[0]).toISOString(), closes_at: at(spec.hours[1]).toISOString(),
  }];
  return {
    event: { slug: "digital-bridge", timezone: TIME_ZONE, tag: TAG },
    expires_at: new Date(Date.now() + 86400000).toISOString(),
    device: { gate: `${slug}-door`, zone: slug, direction: entry.direction || "entry" },
    keys: {},
    revoked: (entry.revoked_revisions || []).map((revision) => ({ serial: SERIAL, revision })),
    zone: {
      slug, categories: spec.categories, delegation_heads: spec.delegation_heads,
      allows_reentry: false, hours: hours || null, sessions: null,
    },
    participants: entry.listed ? { [SERIAL]: { name: "Aigerim Nurlanqyzy", category: badgeOf(entry).category } } : {},
    ...extra,
  };
}

for (const entry of CASES.cases) {
  test(`entrance rule: ${entry.name}`, () => {
    const badge = badgeOf(entry);
    const claims = { serial: SERIAL, revision: entry.scanned_revision || badge.revision };
    const got = decide(claims, bundleFor(entry), at(entry.at || "10:00"));
    assert.equal(got.status, entry.offline_status || entry.status);
    assert.equal(got.serial, SERIAL);
    // The guard sees who the bundle lists, and nothing more than name and category.
    assert.deepEqual(got.person, entry.listed
      ? { display_name: "Aigerim Nurlanqyzy", category: badge.category } : null);
  });
}

test("a bundle is refused from its expiry on, and without one", () => {
  const bundle = bundleFor(CASES.cases[0], { expires_at: at("12:00").toISOString() });
  assert.equal(isExpired(bundle, at("11:59")), false);
  assert.equal(isExpired(bundle, at("12:00")), true);
  assert.equal(isExpired({ ...bundle, expires_at: undefined }, at("11:59")), true);
});

// ---- codes signed here, in the token format of forum/badges/tokens.py ---------------------

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DOMAIN = new TextEncoder().encode("digital-bridge badge\0");

function base32(bytes) {
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
  return bits ? text + ALPHABET[(value << (5 - bits)) & 31] : text;
}

function serialBytes(serial) {
  let value = 0n;
  for (const char of serial) value = (value << 5n) | BigInt(ALPHABET.indexOf(char));
  return Array.from({ length: 5 }, (_, i) => Number((value >> BigInt(8 * (4 - i))) & 0xffn));
}

async function signer() {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const key = Buffer.from(raw).toString("base64");
  const sign = async ({ tag = TAG, serial = SERIAL, revision = 1 } = {}) => {
    const payload = new Uint8Array([1, 0x00, 0x01, tag >> 16, (tag >> 8) & 255, tag & 255,
      ...serialBytes(serial), revision >> 8, revision & 255, 0, 1]);
    const signature = new Uint8Array(await crypto.subtle.sign(
      { name: "Ed25519" }, pair.privateKey, new Uint8Array([...DOMAIN, ...payload])));
    return base32(new Uint8Array([...payload, ...signature]));
  };
  return { key, sign };
}

test("a signed code is checked, then decided by the rule", async () => {
  const { key, sign } = await signer();
  const bundle = bundleFor(CASES.cases[0], { keys: { "0001": key } });
  const code = await sign();
  assert.equal(code.length, TOKEN_LENGTH);
  assert.equal(parseToken(code.toLowerCase()).serial, SERIAL);
  const good = await checkOffline(code, bundle, at("10:00"));
  assert.equal(good.status, "ok");
  assert.equal(good.person.display_name, "Aigerim Nurlanqyzy");
  const revoked = { ...bundle, revoked: [{ serial: SERIAL, revision: 1 }] };
  assert.equal((await checkOffline(code, revoked, at("10:00"))).status, "revoked");
});

test("an altered, foreign or unsigned code is refused", async () => {
  const { key, sign } = await signer();
  const bundle = bundleFor(CASES.cases[0], { keys: { "0001": key } });
  const code = await sign();
  const flipped = code.slice(0, 40) + (code[40] === "A" ? "B" : "A") + code.slice(41);
  assert.equal((await checkOffline(flipped, bundle, at("10:00"))).status, "invalid");
  assert.equal((await checkOffline(await sign({ tag: 0x010203 }), bundle, at("10:00"))).status,
    "wrong_event");
  assert.equal((await checkOffline("NOT-A-BADGE", bundle, at("10:00"))).status, "invalid");
  const other = await signer(); // signed, but not by this event's key
  assert.equal((await checkOffline(await other.sign(), bundle, at("10:00"))).status, "invalid");
});
