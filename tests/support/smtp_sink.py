"""A tiny SMTP server on 127.0.0.1 that keeps what it receives (tests of the SMTP mailer).

It speaks just enough SMTP: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
Recipients in `refuse` are answered 550; `user`/`password` set, AUTH must match them.
"""

import base64
import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Sink:
    host: str = "127.0.0.1"
    port: int = 0
    user: str | None = None
    password: str | None = None
    refuse: set[str] = field(default_factory=set)
    messages: list[dict] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


class _Session(socketserver.StreamRequestHandler):
    sink: Sink

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 sink ready")
        envelope: dict = {"from": None, "to": []}
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                extensions = ["250-sink", "250-8BITMIME"]
                if self.sink.user:
                    extensions.append("250-AUTH PLAIN")
                self.reply("\r\n".join([*extensions, "250 SMTPUTF8"]))
            elif verb == "AUTH":
                self._auth(command)
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<> "), "to": []}
                self.reply("250 ok")
            elif verb == "RCPT":
                address = command[8:].strip("<> ")
                if address in self.sink.refuse:
                    self.reply("550 no such user")
                else:
                    envelope["to"].append(address)
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                self.sink.messages.append({**envelope, "data": self._data()})
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")

    def _auth(self, command: str) -> None:
        parts = command.split(" ")
        if len(parts) < 3 or parts[1].upper() != "PLAIN":
            self.reply("504 only PLAIN")
            return
        _, user, password = base64.b64decode(parts[2]).decode().split("\0")
        if (user, password) == (self.sink.user, self.sink.password):
            self.sink.logins.append(user)
            self.reply("235 ok")
        else:
            self.reply("535 bad credentials")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


@contextmanager
def smtp_sink(**options):
    """Run a sink for the block; yield its Sink (port, received messages)."""
    sink = Sink(**options)
    handler = type("Handler", (_Session,), {"sink": sink})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
