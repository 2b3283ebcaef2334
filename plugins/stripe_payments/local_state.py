"""The local payment server's state, kept in one file so a restart forgets no payment.

localstripe pickles its store to a fixed file in the system temp dir (two instances would
collide); here its store, the registered webhooks, the wallet intents and the answers to
idempotent requests go to the file named on the command line, or nowhere.
"""

import os
import pickle
import tempfile
from pathlib import Path

from aiohttp import web

STATE: dict = {"intents": {}, "idempotent": {}}
_path: Path | None = None


def load(path: str | None) -> None:
    """Restore the state saved at `path` (if any) and save there from now on."""
    global _path
    from localstripe import resources, webhooks

    resources.Store.dump_to_disk = lambda self: save()
    _path = Path(path) if path else None
    if _path is None or not _path.exists():
        return
    saved = pickle.loads(_path.read_bytes())  # noqa: S301 - our own file in the instance folder
    dict.update(resources.store, saved["store"])
    webhooks._webhooks.update(saved["webhooks"])
    STATE.update(saved["local"])


def save() -> None:
    """Write the whole state atomically (a crash never leaves half a file)."""
    if _path is None:
        return
    from localstripe import resources, webhooks

    data = {
        "store": dict(resources.store),
        "webhooks": dict(webhooks._webhooks),
        "local": STATE,
    }
    handle, temporary = tempfile.mkstemp(dir=_path.parent, prefix=".localstripe-")
    with os.fdopen(handle, "wb") as file:
        pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, _path)


@web.middleware
async def idempotent(request: web.Request, handler):
    """Answer a repeated `Idempotency-Key` with the first answer, as Stripe does."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return await handler(request)
    seen = STATE["idempotent"].get(key)
    if seen is not None:
        return web.Response(body=seen[1], status=seen[0], content_type="application/json")
    response = await handler(request)
    if isinstance(response, web.Response) and response.body is not None and response.status < 500:
        STATE["idempotent"][key] = (response.status, bytes(response.body))
        save()
    return response
