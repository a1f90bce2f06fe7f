"""The browser clients in ``static/``: plain files, served as they are."""

from flask import Flask, redirect, send_from_directory

from forum import ROOT

STATIC = ROOT / "static"
NODE_MODULES = ROOT / "node_modules"

# Page path → HTML file under static/.
PAGES = {
    "/register": "register/index.html",
    "/manage": "register/manage.html",
    "/scanner": "scanner/index.html",
}


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


def _page(filename: str):
    def view():
        response = send_from_directory(STATIC, filename, max_age=0)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
            "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return view
