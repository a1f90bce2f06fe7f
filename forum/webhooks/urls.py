"""Which URLs a webhook may point at: https in production, no credentials, and (in
production) no destination inside the server's own networks (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from urllib.parse import urlsplit


class UrlRefused(ValueError):
    """Why a URL cannot receive webhooks (a sentence for the organizer)."""


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified)


def resolved(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused(f"The host {host} cannot be resolved.") from exc
    return sorted({info[4][0] for info in infos})


def policy(config: Mapping[str, object]) -> dict[str, bool]:
    """``check``'s switches from the app config: production never allows private networks."""
    production = config["ENV_NAME"] == "production"
    return {"https_only": production,
            "allow_private": bool(config["FORUM_WEBHOOK_ALLOW_PRIVATE"]) and not production}


def check(url: str, *, https_only: bool, allow_private: bool) -> None:
    """Raise UrlRefused unless ``url`` may receive webhooks. Checked when the endpoint is
    saved and again before every delivery (a name may resolve elsewhere later)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UrlRefused("Give a full http(s):// address.")
    if https_only and parts.scheme != "https":
        raise UrlRefused("The address must use https.")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("The address must not carry a user name or password.")
    if parts.fragment:
        raise UrlRefused("The address must not have a #fragment.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UrlRefused("The port is not a number between 1 and 65535.") from exc
    if allow_private:
        return
    for address in resolved(parts.hostname, port):
        if _private(address):
            raise UrlRefused("The address leads into a private or local network.")
