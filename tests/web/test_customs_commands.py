"""`flask customs ...` from a new shell on a demo database, driving the folder transport as an
operator's cron would: declare, answer in the inbox, receive, status; and validate."""

import json
import time
import uuid

from lxml import etree

from plugins.sandbox.customs_office import plan, read_declaration, receipt_xml
from tests.web.test_commands import flask

SETTINGS = """KUAJING_ENV = 'development'
SECRET_KEY = 'x'
ENCRYPTION_KEYS = 'lZ0hJbq2q1Wv0m0o9mKq3eH2qkq6Zx3GzE4bQq1p9Xo='
CUSTOMS_TRANSPORT = 'folder'
"""


def run(tmp_path, *args: str) -> str:
    result = flask(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def answer_outbox(folder, kinds: set[str]) -> list[str]:
    """Play customs: answer each message of `kinds` in the outbox in the inbox; its numbers."""
    inbox, numbers = folder / "inbox", []
    inbox.mkdir(parents=True, exist_ok=True)
    for path in sorted((folder / "outbox").glob("*.xml")):
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
        for document in read_declaration(root):
            if document["kind"] not in kinds:
                continue
            receipts = plan(document, time.time(), 0, None)
            items = [(document, receipt) for receipt in receipts]
            name = f"{document['kind']}-{uuid.uuid4().hex}.xml"
            (inbox / name).write_bytes(receipt_xml(document["kind"], items, str(uuid.uuid4())))
            numbers.append(document["fields"].get("orderNo") or "")
        path.unlink()  # the e-port client took it
    return numbers


def test_declare_receive_and_status_through_the_folder_transport(tmp_path):
    (tmp_path / "settings.py").write_text(SETTINGS)
    run(tmp_path, "db", "upgrade")
    run(tmp_path, "demo", "load")
    declared = run(tmp_path, "customs", "declare", "--all")
    assert declared.startswith("2 declarations")
    folder = tmp_path / "customs"
    assert len(list((folder / "outbox").glob("CEB311Message_*.xml"))) == 2
    numbers = [n for n in answer_outbox(folder, {"311", "411", "511"}) if n]
    assert len(numbers) == 2

    received = run(tmp_path, "customs", "receive")
    assert "12 applied" in received and not list((folder / "inbox").glob("*.xml"))
    status = json.loads(run(tmp_path, "customs", "status", numbers[0]))
    assert status["order_no"] == numbers[0] and status["state"] == "inventory_sent"
    assert {kind: doc["status"] for kind, doc in status["documents"].items()} == {
        "311": "accepted",
        "411": "accepted",
        "511": "accepted",
        "621": "sent",
    }
    answer_outbox(folder, {"621"})
    run(tmp_path, "customs", "receive")
    status = json.loads(run(tmp_path, "customs", "status", numbers[0]))
    assert status["state"] == "released" and status["reason"] is None

    unknown = flask(tmp_path, "customs", "status", "KJ0000")
    assert unknown.returncode == 2 and "no customs declaration" in unknown.stderr


def test_validate_prints_every_problem_and_fails(tmp_path):
    (tmp_path / "settings.py").write_text(SETTINGS)
    sample = tmp_path / "CEB311Message.xml"
    sample.write_bytes(b"<ceb:CEB311Message xmlns:ceb='http://www.chinaport.gov.cn/ceb'/>")
    result = flask(tmp_path, "customs", "validate", str(sample))
    assert result.returncode == 1
    assert result.stdout.count("CEB311Message.xml:") >= 1
