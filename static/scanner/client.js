// The scanner's calls to the check-in API (DESIGN §5), each with a deadline.

import { fetchJson } from "../common/http.js";

export { NetworkError, uuid } from "../common/http.js";

export const SCAN_TIMEOUT_MS = 2000;

/** One API call: a known-offline browser fails at once instead of waiting for the deadline. */
function call(method, url, options) {
  return fetchJson(method, url, { ...options, failOffline: true });
}

/** The scanner bundle; ``etag`` makes an unchanged one a cheap 304. */
export function fetchBundle(token, etag, timeoutMs = 15000) {
  const headers = etag ? { "If-None-Match": etag } : {};
  return call("GET", "/api/v1/scanner/bundle", { token, headers, timeoutMs });
}

/** A live scan: the server decides; answers within SCAN_TIMEOUT_MS or fails. */
export function sendScan(token, { code, gate, nonce }) {
  return call("POST", "/api/v1/checkins", {
    token, body: { code, gate, nonce }, timeoutMs: SCAN_TIMEOUT_MS,
  });
}

/** Upload queued offline scans (at most 500 per call), with their original times. */
export function sendBatch(token, scans, timeoutMs = 15000) {
  const body = {
    scans: scans.map(({ code, gate, nonce, scanned_at, local_status }) => ({
      code, gate, nonce, scanned_at, local_status,
    })),
  };
  return call("POST", "/api/v1/checkins/batch", { token, body, timeoutMs });
}
