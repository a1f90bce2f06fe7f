// The panel's calls to /api/v1: signed in by the session cookie, with the CSRF token on
// every write. Every answer resolves to {ok, status, data}; problem+json bodies included.

let csrfToken = null;

export function setCsrf(token) {
  csrfToken = token;
}

export class NetworkError extends Error {}

export async function call(method, url, { body, form, query, headers: extra = {} } = {}) {
  const headers = { Accept: "application/json, application/problem+json", ...extra };
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let payload;
  if (form) {
    payload = form; // multipart: the browser sets the boundary
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(key, value);
    }
    const text = params.toString();
    if (text) url += (url.includes("?") ? "&" : "?") + text;
  }
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: payload, credentials: "same-origin", cache: "no-store",
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (response.status === 401 && !url.startsWith("/api/v1/auth/")) {
    window.dispatchEvent(new Event("forum:unauthorized"));
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data, etag: response.headers.get("ETag") };
}

/** The URL of a file the browser downloads itself (the cookie goes along). */
export function fileUrl(path, query = {}) {
  const params = new URLSearchParams(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ).toString();
  return params ? `${path}?${params}` : path;
}
