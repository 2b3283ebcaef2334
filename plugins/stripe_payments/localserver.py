"""Run localstripe, a Stripe-compatible test server, on loopback.

localstripe's own command binds every interface and pickles its state into a fixed file in
the system temp dir after each write (two instances would collide); this runner binds
loopback only and keeps its state in memory, or in the file given with `--state` (the demo
keeps it in its instance folder, so payments survive a restart).
`python -m plugins.stripe_payments.localserver --port 8420 [--state instance/localstripe.pickle]`
"""

import argparse
import urllib.parse
import urllib.request


def serve(port: int, state: str | None = None) -> None:
    """Serve until interrupted."""
    # Imported here: importing localstripe builds its app (and warns about its handlers).
    from aiohttp import web
    from localstripe import server

    from plugins.stripe_payments import local_state
    from plugins.stripe_payments.local_balance import balance
    from plugins.stripe_payments.local_cards import cards
    from plugins.stripe_payments.local_wallets import wallets

    local_state.load(state)
    # Outermost first: replayed idempotent requests, then what localstripe lacks.
    server.app.middlewares[0:0] = [local_state.idempotent, cards, wallets, balance]
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
    parser.add_argument("--state", help="a file that keeps the state across restarts")
    arguments = parser.parse_args()
    serve(arguments.port, arguments.state)


if __name__ == "__main__":
    main()
