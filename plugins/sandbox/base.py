"""What every sandbox shares: where it keeps its records, its delay and its failures.

Like the real services, a sandbox answers later (after `delay_seconds`, on the next poll)
and fails when told to by its settings: `fail = reject` answers negatively, `fail =
unavailable` refuses calls as if the service were down. Records live in memory, or as JSON
files in `folder` so that web and job processes share them: the registry gives each tenant
its own folder (KEEPS_FILES), so a merchant never picks a path on the server.
"""

import json
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from wtforms import Form, IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional

from storefront.ports import N_, PortError, PortUnavailable

FAILURES = ("", "reject", "unavailable")


class SandboxSettingsForm(Form):
    delay_seconds = IntegerField(
        N_("Answer after (seconds)"),
        default=0,
        validators=[Optional(), NumberRange(0, 86400, message=N_("Between 0 and 86400 seconds."))],
    )
    fail = SelectField(
        N_("Failure on demand"),
        choices=[
            SelectChoice("", N_("None")),
            SelectChoice("reject", N_("Reject")),
            SelectChoice("unavailable", N_("Unavailable")),
        ],
        default="",
    )


class RecordStore:
    """Records of one kind by id: JSON files in a folder, or a dict."""

    def __init__(self, folder: str | None, kind: str) -> None:
        self._folder = Path(folder) / kind if folder else None
        self._memory: dict[str, dict] = {}
        if self._folder:
            self._folder.mkdir(parents=True, exist_ok=True)

    def put(self, record_id: str, record: dict) -> None:
        if self._folder is None:
            self._memory[record_id] = dict(record)
            return
        path = self._folder / f"{record_id}.json"
        path.with_suffix(".tmp").write_text(json.dumps(record, ensure_ascii=False))
        path.with_suffix(".tmp").replace(path)  # readers never see half a record

    def get(self, record_id: str) -> dict:
        if self._folder is None:
            record = self._memory.get(record_id)
        else:
            path = self._folder / f"{record_id}.json"
            record = json.loads(path.read_text()) if path.is_file() else None
        if record is None:
            raise PortError("unknown_request", f"no request {record_id!r} in the sandbox")
        return dict(record)

    def find(self, record_id: str, default: dict | None = None) -> dict | None:
        """Return the record, or `default` when there is none."""
        try:
            return self.get(record_id)
        except PortError:
            return default

    def ids(self) -> list[str]:
        """Return the ids of the records, sorted, without reading them."""
        if self._folder is None:
            return sorted(self._memory)
        return sorted(path.stem for path in self._folder.glob("*.json"))

    def delete(self, record_id: str) -> None:
        if self._folder is None:
            self._memory.pop(record_id, None)
        else:
            (self._folder / f"{record_id}.json").unlink(missing_ok=True)

    def all(self) -> list[dict]:
        if self._folder is None:
            return [dict(record) for record in self._memory.values()]
        return [json.loads(path.read_text()) for path in sorted(self._folder.glob("*.json"))]


class Sandbox:
    """Base of the sandboxes: settings, clock, store and the failure switch."""

    SANDBOX_KINDS: tuple[str, ...] = ()
    KEEPS_FILES = True  # the registry passes a folder of the tenant's own as `folder`
    SECRET_FIELDS: tuple[str, ...] = ()
    SettingsForm = SandboxSettingsForm

    def __init__(self, settings: Mapping[str, str], clock: Callable[[], float] = time.time):
        self.settings = settings
        self.clock = clock
        self.delay = int(settings.get("delay_seconds") or 0)
        self.failure = settings.get("fail") or ""
        if self.failure not in FAILURES:
            raise PortError("bad_settings", f"unknown failure mode {self.failure!r}")
        folder = settings.get("folder") or None
        self.stores = {kind: RecordStore(folder, kind) for kind in self.SANDBOX_KINDS}

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]):
        return cls(settings)

    def check_available(self) -> None:
        """Refuse the call when the settings ask for an outage."""
        if self.failure == "unavailable":
            raise PortUnavailable("unavailable", "the sandbox service is down (as configured)")

    def new_request(self, store: str, **fields) -> str:
        """Store a request that gets its answer after the configured delay."""
        request_id = uuid.uuid4().hex
        record = {"id": request_id, "ready_at": self.clock() + self.delay, **fields}
        self.stores[store].put(request_id, record)
        return request_id

    def is_ready(self, record: dict) -> bool:
        return self.clock() >= record["ready_at"]

    @property
    def rejecting(self) -> bool:
        return self.failure == "reject"
