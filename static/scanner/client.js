// The scanner's calls to the check-in API (DESIGN §5), each with a deadline.

export class NetworkError extends Error {}

export const SCAN_TIMEOUT_MS = 2000;

/** A random UUID (v4), also where ``crypto.randomUUID`` is missing (plain-HTTP origins). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One API call. Resolves with {ok, status, data, etag} for every HTTP answer; rejects with
 * NetworkError when the network is gone or no answer came within ``timeoutMs``.
 */
export async function call(method, url, { token, body, headers = {}, timeoutMs }) {
  if (navigator.onLine === false) throw new NetworkError("offline");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const sent = { Accept: "application/json, application/problem+json", ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  if (body !== undefined) sent["Content-Type"] = "application/json";
  try {
    const response = await fetch(url, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
    });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null; // a proxy's error page: the status code tells
    }
    return { ok: response.ok, status: response.status, data, etag: response.headers.get("ETag") };
  } catch (error) {
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
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
