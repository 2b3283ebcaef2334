"""Run localstripe, a Stripe-compatible test server, on loopback with state in memory.

localstripe's own command binds every interface and pickles its state into a fixed file in
the system temp dir after each write (two instances would collide); this runner does
neither.  `python -m plugins.stripe_payments.localserver --port 8420`
"""

import argparse
import urllib.parse
import urllib.request


def serve(port: int) -> None:
    """Serve until interrupted."""
    # Imported here: importing localstripe builds its app (and warns about its handlers).
    from aiohttp import web
    from localstripe import resources, server

    from plugins.stripe_payments.local_wallets import wallets

    resources.Store.dump_to_disk = lambda self: None  # memory only
    server.app.middlewares.insert(0, wallets)  # WeChat Pay and Alipay, which it lacks
    web.run_app(server.app, host="127.0.0.1", port=port, print=None)


def register_webhook(base_url: str, endpoint_id: str, url: str, secret: str) -> None:
    """Make the server send signed events for every type to `url`."""
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    request = urllib.request.Request(  # noqa: S310 - a loopback URL we control
        f"{base_url}/_config/webhooks/{endpoint_id}", data=data
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - a loopback URL we control
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8420)
    serve(parser.parse_args().port)


if __name__ == "__main__":
    main()
