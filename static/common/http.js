// JSON calls to the forum API, shared by the registration, manage and scanner pages.

export class NetworkError extends Error {}

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
 * One call. Resolves with {ok, status, data, etag} for every HTTP answer (problem+json
 * included; ``data`` is null when the body is not JSON); rejects with NetworkError when no
 * complete answer came within ``timeoutMs``, or at once when ``failOffline`` is set and the
 * browser knows it is offline.
 */
export async function fetchJson(method, url, {
  body, headers = {}, token, timeoutMs = 20000, failOffline = false,
} = {}) {
  if (failOffline && navigator.onLine === false) throw new NetworkError("offline");
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
      data = null; // a proxy's HTML error page: the status code tells
    }
    return { ok: response.ok, status: response.status, data, etag: response.headers.get("ETag") };
  } catch (error) {
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
}
