"""The browser clients in ``static/``: plain files, served as they are."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, redirect, request, send_from_directory

from forum import ROOT
from forum.headers import CAMERA_HERE, NO_CAMERA

STATIC = ROOT / "static"
NODE_MODULES = ROOT / "node_modules"

# Page path → HTML file under static/.
PAGES = {
    "/register": "register/index.html",
    "/manage": "register/manage.html",
    "/apply": "register/apply.html",  # a company applies (exhibitors, partners)
    "/scanner": "scanner/index.html",
    "/admin": "admin/index.html",
    "/program": "program/index.html",
    "/speaker": "speaker/index.html",  # a speaker's own profile (private link in the fragment)
}

# Every offline page's worker begins with this (the page and its files kept for reloads).
WORKER_SHELL = STATIC / "sw-shell.js"
SCANNER_WORKER = STATIC / "scanner" / "sw.js"
# Folders under static/ whose every module and style sheet the scanner's worker precaches:
# the page's own and the ones shared by all pages (listed, so a new module needs no naming).
SCANNER_FOLDERS = ("scanner", "common")
# Loaded by the scanner page from elsewhere under static/ or from node_modules.
SCANNER_EXTRAS = {
    "/static/register/countries.js": STATIC / "register" / "countries.js",
    "/vendor/jsqr/dist/jsQR.js": NODE_MODULES / "jsqr" / "dist" / "jsQR.js",
}
PROGRAM_WORKER = STATIC / "program" / "sw.js"


@dataclass(frozen=True)
class OfflinePage:
    """A page that a service worker keeps for offline reloads: its shell and worker file."""

    page: str
    worker: Path
    folders: tuple[str, ...]
    extras: dict[str, Path] = field(default_factory=dict)


SCANNER = OfflinePage("/scanner", SCANNER_WORKER, SCANNER_FOLDERS, SCANNER_EXTRAS)
# The program page names speakers' countries as the registration form does.
PROGRAM = OfflinePage("/program", PROGRAM_WORKER, ("program", "common"),
                      {"/static/register/countries.js": STATIC / "register" / "countries.js"})
_worker_cache: dict[str, tuple[tuple, bytes, str]] = {}


def init_app(app: Flask) -> None:
    @app.get("/")
    def home():
        return redirect("/register", code=302)

    for path, filename in PAGES.items():
        app.add_url_rule(path, f"page_{path.strip('/')}", _page(filename))

    @app.get("/static/<path:filename>")
    def static_files(filename: str):
        return send_from_directory(STATIC, filename, max_age=300)

    @app.get("/vendor/<path:filename>")
    def vendor_files(filename: str):
        # Browser libraries installed from npm (package.json), never copied into the tree.
        return send_from_directory(NODE_MODULES, filename, max_age=3600)

    @app.get("/scanner-sw.js")
    def scanner_worker():
        # Served from the root so that its scope may cover /scanner; no-cache, so a change to
        # the page's files reaches the browser as a new worker on the next visit.
        return _worker_response(SCANNER)

    @app.get("/program-sw.js")
    def program_worker():
        # The same for the public program (scope /program).
        return _worker_response(PROGRAM)


def _worker_response(offline: OfflinePage) -> Response:
    body, etag = worker_script(offline)
    response = Response(body, content_type="text/javascript; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    return response.make_conditional(request)


def page_shell(offline: OfflinePage) -> dict[str, Path]:
    """URL → file of everything an offline page loads: what its service worker precaches."""
    shell = {offline.page: STATIC / PAGES[offline.page]}
    for name in offline.folders:
        folder = STATIC / name
        for path in sorted([*folder.glob("*.js"), *folder.glob("*.css")]):
            if path != offline.worker:
                shell[f"/static/{name}/{path.name}"] = path
    # Files from npm exist once `npm ci` ran (the scanner's QR decoder, say).
    shell.update({url: path for url, path in offline.extras.items() if path.exists()})
    return shell


def scanner_shell() -> dict[str, Path]:
    """URL → file of everything the scanner page loads: what its service worker precaches."""
    return page_shell(SCANNER)


def worker_script(offline: OfflinePage) -> tuple[bytes, str]:
    """The worker: its shell's URLs, their content hash (the cache version) and its page,
    then static/sw-shell.js and the page's own worker file."""
    shell = page_shell(offline)
    files = [*shell.values(), WORKER_SHELL, offline.worker]
    # Rebuilt only when a file changed: browsers ask for the worker on every visit.
    stamp = tuple((str(p), (st := p.stat()).st_mtime_ns, st.st_size) for p in files)
    cached = _worker_cache.get(offline.page)
    if cached is None or cached[0] != stamp:
        digest = hashlib.sha256()
        for url, path in shell.items():
            digest.update(url.encode() + b"\0" + path.read_bytes() + b"\0")
        version = digest.hexdigest()[:16]
        body = (f"const SHELL = {json.dumps(list(shell))};\n"
                f"const VERSION = {json.dumps(version)};\n"
                f"const PAGE = {json.dumps(offline.page)};\n").encode() \
            + WORKER_SHELL.read_bytes() + offline.worker.read_bytes()
        cached = (stamp, body, hashlib.sha256(body).hexdigest()[:32])
        _worker_cache[offline.page] = cached
    return cached[1], cached[2]


def scanner_worker_script() -> tuple[bytes, str]:
    """The scanner worker's text (see ``worker_script``)."""
    return worker_script(SCANNER)


def _page(filename: str):
    # Only the scanner films; every other page answers with forum.headers' camera=().
    camera = CAMERA_HERE if filename == PAGES["/scanner"] else NO_CAMERA

    def view():
        response = send_from_directory(STATIC, filename, max_age=0)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
            "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Permissions-Policy"] = camera
        return response

    return view
