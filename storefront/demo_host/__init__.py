"""The demo's host page (SPEC §10): a fake mini-program shell at phone size, on an origin of
its own, that embeds a store with the merchant's snippet and logs the events it receives.

It stands for a merchant's site: a separate little app on another port (scripts/demo runs it
on 127.0.0.1:5001 and allows that origin for the demo store). One site, two origins: same
host, another port, so the store's Lax session cookie flows in the frame over plain http.
"""

import argparse
from urllib.parse import urlsplit

from flask import Flask, render_template


def create_host_app(store_url: str, store: str) -> Flask:
    """Build the host app for the store `store` served at `store_url` (scheme://host:port)."""
    app = Flask(__name__)
    parts = urlsplit(store_url)
    store_origin = f"{parts.scheme}://{parts.netloc}"

    @app.get("/")
    def shell():
        return render_template("shell.html", embed_js=f"{store_origin}/embed.js", store=store)

    @app.after_request
    def _policy(response):
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' {store_origin}; "
            f"frame-src {store_origin}; style-src 'self'; object-src 'none'"
        )
        return response

    return app


def main() -> None:
    """Serve the host page: python -m storefront.demo_host --port 5001 --store demo."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--store-url", default="http://127.0.0.1:5000")
    parser.add_argument("--store", default="demo")
    options = parser.parse_args()
    app = create_host_app(options.store_url, options.store)
    app.run(host="127.0.0.1", port=options.port)
