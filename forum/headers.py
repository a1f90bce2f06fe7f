"""Security headers every answer carries, set once here instead of in each view.

- ``X-Content-Type-Options: nosniff`` everywhere: a browser never guesses a type.
- API answers default to ``Cache-Control: no-store`` (most carry personal data: a manage
  token's registration, a search, a bundle); views that mean to be cached (the public
  program, countries) set their own header, which is kept.
- ``Strict-Transport-Security`` outside development, where the site is only served over HTTPS.
- ``Permissions-Policy``: no page may use the camera, except the scanner (``web.py`` sets its).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

HSTS = "max-age=31536000; includeSubDomains"
NO_CAMERA = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CAMERA_HERE = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"


def init_app(app: Flask) -> None:
    app.after_request(_secure)


def _secure(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Permissions-Policy", NO_CAMERA)
    if request.path.startswith("/api/") and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    if current_app.config["ENV_NAME"] != "development":
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
