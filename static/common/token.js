// Private links (manage, speaker) carry their token in the URL fragment, never sent to the
// server or its logs: the page moves it to this tab's session storage and clears the address
// bar, its history entry and bookmarks of it.

/** The token of the fragment's ``token`` (stored under ``key``), else the one stored. */
export function takeToken(key) {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    try {
      sessionStorage.setItem(key, fromHash);
    } catch {
      // Storage disabled: the token lives only as long as this page.
    }
    history.replaceState(null, "", location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Forget the stored values under ``keys`` (signed out, or the token no longer works). */
export function dropStored(...keys) {
  try {
    for (const key of keys) sessionStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}
