"""The folder transport: messages go where the e-port client picks them up, receipts come back.

NOTES §2: most enterprises hand files to the China E-port client software, which sends what
it finds in an outbox folder and leaves customs' receipts in an inbox folder. The layout under
the tenant's `folder`: outbox/ (for the client), sent/ (one marker per message_id sent),
inbox/ (receipts), processed/ (acknowledged receipts), tmp/ (files being written).
"""

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from wtforms import Form

from storefront.ports import CustomsMessage, InboundFile, Port, PortError, PortUnavailable

# A guid and a root element's name are plain words; nothing else becomes part of a file name.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def is_safe_name(text: str) -> bool:
    """Tell whether `text` may become a file name: a plain word, no path, no ".."."""
    return bool(SAFE_NAME.match(text)) and ".." not in text


class FolderSettingsForm(Form):
    """Nothing to set: the registry gives each tenant its own folder."""


class CustomsFolder:
    """The outbox, inbox and records of one folder; what the file-based transports share."""

    def __init__(self, folder: str | Path) -> None:
        self.root = Path(folder)

    def _dir(self, name: str) -> Path:
        path = self.root / name
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PortUnavailable("folder_unavailable", f"cannot use {name}/: {error}") from None
        return path

    def write_atomically(self, directory: str, name: str, content: bytes) -> None:
        """Write a file so readers never see it half written (tmp/ + rename)."""
        target = self._dir(directory) / name
        handle, tmp = tempfile.mkstemp(dir=self._dir("tmp"), suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, target)
        except OSError as error:
            Path(tmp).unlink(missing_ok=True)
            raise PortUnavailable("folder_unavailable", f"cannot write {name}: {error}") from None

    def send(self, message: CustomsMessage) -> str:
        """Put the message in outbox/ once; return its file name."""
        for part in (message.message_id, message.message_type):
            if not is_safe_name(part):
                raise PortError("bad_message", f"{part!r} cannot be part of a file name")
        name = f"{message.message_type}_{message.message_id}.xml"
        marker = self._dir("sent") / message.message_id
        if marker.exists():
            return name  # sent before; the client may already have taken the file away
        if not (self._dir("outbox") / name).exists():
            self.write_atomically("outbox", name, message.xml)
        self.write_atomically("sent", message.message_id, name.encode())
        return name

    def collect(self) -> tuple[InboundFile, ...]:
        """Return the *.xml files waiting in inbox/, sorted by name."""
        inbox = self._dir("inbox")
        files = []
        for path in sorted(inbox.glob("*.xml")):
            try:
                files.append(InboundFile(path.name, path.read_bytes()))
            except FileNotFoundError:
                continue  # acknowledged by another process meanwhile
        return tuple(files)

    def acknowledge(self, name: str) -> None:
        """Move an inbox file to processed/; a name moved already is ignored."""
        # The e-port client names receipt files as it likes; only a path is refused.
        if not name or name != Path(name).name or ".." in name or "\\" in name or "\0" in name:
            raise PortError("bad_name", f"{name!r} is not a file name of the inbox")
        source, target = self._dir("inbox") / name, self._dir("processed") / name
        try:
            os.replace(source, target)
        except FileNotFoundError:
            if not target.exists():
                raise PortError("unknown_file", f"{name!r} is not in the inbox") from None


class FolderCustomsTransport:
    """Hands signed messages to the e-port client through folders and reads its receipts."""

    PLUGIN_ID = "folder_customs_transport"
    KIND = Port.CUSTOMS_TRANSPORT
    SANDBOX = "sandbox_customs_transport"
    KEEPS_FILES = True  # the registry passes a folder of the tenant's own as `folder`
    SECRET_FIELDS = ()
    SettingsForm = FolderSettingsForm

    def __init__(self, folder: str | Path) -> None:
        self.files = CustomsFolder(folder)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> Self:
        """Build the transport over the tenant's folder."""
        if not settings.get("folder"):
            raise PortError("bad_settings", "the folder transport needs its folder")
        return cls(settings["folder"])

    def send(self, message: CustomsMessage) -> str:
        """Write outbox/<message_type>_<guid>.xml once per message_id; return the file name."""
        return self.files.send(message)

    def collect(self) -> tuple[InboundFile, ...]:
        """Return the receipt files in inbox/, sorted by name (they stay until acknowledged)."""
        return self.files.collect()

    def acknowledge(self, name: str) -> None:
        """Move a receipt file from inbox/ to processed/ (a name moved already is ignored)."""
        self.files.acknowledge(name)
