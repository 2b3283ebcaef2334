"""The folder transport and the sandbox customs that answers through the same folders."""

import base64
import shutil
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from plugins.customs.folder import FolderCustomsTransport
from plugins.sandbox.customs import SandboxCustomsTransport
from storefront.customs.receipts import parse_receipts
from storefront.customs.schema import schema_problems
from storefront.ports import CustomsMessage, PortError, PortUnavailable

CEB = "http://www.chinaport.gov.cn/ceb"
DXP = "http://www.chinaport.gov.cn/dxp"
DXP_XSD = (
    Path(__file__).resolve().parents[2] / "storefront/customs/xsd/dxp_terminal_node_202205.xsd"
)
START = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))).timestamp()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- folder transport


def message(guid="A" * 36, message_type="CEB311Message", xml=b"<x/>"):
    return CustomsMessage(guid, message_type, xml)


def test_folder_send_writes_the_outbox_once_per_message(tmp_path):
    transport = FolderCustomsTransport.from_settings({"folder": str(tmp_path)})
    name = transport.send(message(xml=b"<first/>"))
    assert name == f"CEB311Message_{'A' * 36}.xml"
    outbox = tmp_path / "outbox" / name
    assert outbox.read_bytes() == b"<first/>"
    assert transport.send(message(xml=b"<second/>")) == name
    assert outbox.read_bytes() == b"<first/>"
    outbox.unlink()  # the e-port client picked the file up
    transport.send(message(xml=b"<first/>"))
    assert not outbox.exists() and list((tmp_path / "outbox").iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []  # nothing half written is left behind


@pytest.mark.parametrize(
    "bad", [message(guid="../../etc/x"), message(message_type="a/b"), message(guid="")]
)
def test_folder_send_refuses_ids_that_are_not_file_names(tmp_path, bad):
    with pytest.raises(PortError) as raised:
        FolderCustomsTransport.from_settings({"folder": str(tmp_path)}).send(bad)
    assert raised.value.code == "bad_message"


def test_folder_collect_is_sorted_and_acknowledge_moves(tmp_path):
    transport = FolderCustomsTransport.from_settings({"folder": str(tmp_path)})
    assert transport.collect() == ()
    inbox = tmp_path / "inbox"
    for name in ("b.xml", "a.xml", "c.txt", "回执 1.xml"):
        (inbox / name).write_bytes(name.encode())
    files = transport.collect()
    assert [f.name for f in files] == ["a.xml", "b.xml", "回执 1.xml"]
    assert files[0].content == b"a.xml"
    assert [f.name for f in transport.collect()] == ["a.xml", "b.xml", "回执 1.xml"]
    transport.acknowledge("a.xml")
    transport.acknowledge("回执 1.xml")
    assert (tmp_path / "processed" / "a.xml").read_bytes() == b"a.xml"
    assert [f.name for f in transport.collect()] == ["b.xml"]
    transport.acknowledge("a.xml")  # moved already: ignored
    with pytest.raises(PortError, match="not in the inbox"):
        transport.acknowledge("never.xml")


@pytest.mark.parametrize("name", ["../outbox/x.xml", "a/b.xml", "..", "", "/etc/passwd", "..\\x"])
def test_folder_acknowledge_refuses_paths(tmp_path, name):
    transport = FolderCustomsTransport.from_settings({"folder": str(tmp_path)})
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "x.xml").write_bytes(b"x")
    with pytest.raises(PortError) as raised:
        transport.acknowledge(name)
    assert raised.value.code == "bad_name"
    assert (tmp_path / "outbox" / "x.xml").exists()


def test_folder_transport_needs_its_folder():
    with pytest.raises(PortError):
        FolderCustomsTransport.from_settings({})


# ---------------------------------------------------------------- declarations by hand


def element(name, text):
    return f"<ceb:{name}>{text}</ceb:{name}>"


def declaration(root, wrapper, head, heads, lines=()):
    records = ""
    for fields, items in zip(heads, lines or [()] * len(heads), strict=True):
        body = "".join(element(k, v) for k, v in fields.items())
        listed = "".join(
            f"<ceb:{head.replace('Head', 'List')}>{element('totalPrice', total)}"
            f"</ceb:{head.replace('Head', 'List')}>"
            for total in items
        )
        records += f"<ceb:{wrapper}><ceb:{head}>{body}</ceb:{head}>{listed}</ceb:{wrapper}>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ceb:{root} guid="{heads[0]["guid"]}" '
        f'version="1.0" xmlns:ceb="{CEB}">{records}</ceb:{root}>'
    ).encode()


def guid(n):
    return f"00000000-0000-0000-0000-{n:012d}"


def order(n, app_type="1", order_no=None):
    fields = {
        "guid": guid(n),
        "appType": app_type,
        "orderNo": order_no or f"KJ{n:04d}",
        "ebpCode": "3122480001",
        "ebcCode": "3122480002",
    }
    xml = declaration("CEB311Message", "Order", "OrderHead", [fields])
    return CustomsMessage(guid(n), "CEB311Message", xml)


def payment(n):
    fields = {"guid": guid(n), "appType": "1", "payCode": "312226T001", "payTransactionId": f"P{n}"}
    xml = declaration("CEB411Message", "Payment", "PaymentHead", [fields])
    return CustomsMessage(guid(n), "CEB411Message", xml)


def waybill(n):
    fields = {
        "guid": guid(n),
        "appType": "1",
        "logisticsCode": "3122480063",
        "logisticsNo": f"SF{n}",
    }
    xml = declaration("CEB511Message", "Logistics", "LogisticsHead", [fields])
    return CustomsMessage(guid(n), "CEB511Message", xml)


def inventory(n, cop_no=None, totals=("100.00",), buyer="110101199003070011", app_type="1"):
    fields = {
        "guid": guid(n),
        "appType": app_type,
        "orderNo": f"KJ{n:04d}",
        "ebpCode": "3122480001",
        "ebcCode": "3122480002",
        "copNo": cop_no or f"KJ{n:04d}-1",
        "customsCode": "2244",
        "buyerIdNumber": buyer,
        "buyerName": "张三",
        "agentCode": "3122480003",
        "freight": "10.00",
        "insuredFee": "0",
    }
    xml = declaration("CEB621Message", "Inventory", "InventoryHead", [fields], [totals])
    return CustomsMessage(guid(n), "CEB621Message", xml)


def customs(tmp_path, clock, delay=60, **settings):
    values = {"delay_seconds": str(delay), "folder": str(tmp_path), **settings}
    return SandboxCustomsTransport(values, clock=clock)


def receipts_of(files):
    """Every distinct receipt in the files, by business key (duplicates collapse)."""
    seen = {}
    for file in files:
        for receipt in parse_receipts(file.content):
            seen[(receipt.key, receipt.return_status, receipt.return_time)] = receipt
    by_key = {}
    for receipt in sorted(seen.values(), key=lambda r: r.return_time):
        by_key.setdefault(receipt.key, []).append(receipt)
    return by_key


def statuses(files):
    return {key: [r.return_status for r in found] for key, found in receipts_of(files).items()}


def bare(content):
    root = etree.fromstring(content)
    if etree.QName(root).namespace == DXP:
        return base64.b64decode(root.find(f"{{{DXP}}}Data").text)
    return content


# ---------------------------------------------------------------- sandbox customs


def test_full_answer_sequence_with_the_delay(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock)
    for sent in (order(1), payment(2), waybill(3), inventory(4)):
        assert sandbox.send(sent).endswith(f"{sent.message_id}.xml")
    assert sandbox.collect() == ()
    clock.now += 60
    first = {key: s for key, s in statuses(sandbox.collect()).items()}
    assert first == {
        "3122480001|KJ0001": ["2"],
        "312226T001|P2": ["2"],
        "3122480063|SF3": ["2"],
        "KJ0004-1": ["2"],
    }
    clock.now += 60
    assert statuses(sandbox.collect())["3122480001|KJ0001"] == ["2", "120"]
    clock.now += 120
    final = receipts_of(sandbox.collect())
    assert {key: [r.return_status for r in found] for key, found in final.items()} == {
        "3122480001|KJ0001": ["2", "120"],
        "312226T001|P2": ["2", "120"],
        "3122480063|SF3": ["2", "120"],
        "KJ0004-1": ["2", "120", "399", "800"],
    }
    inventory_receipts = final["KJ0004-1"]
    times = [r.return_time for r in inventory_receipts]
    assert times == sorted(set(times)) and all(len(t) == 17 and t.isdigit() for t in times)
    # The first receipt is due 60 s after sending, stamped in China time.
    assert times[0] == "20260301093100000"
    assert {len(r.pre_no) for r in inventory_receipts} == {18}
    assert [len(r.invt_no) for r in inventory_receipts] == [0, 18, 18, 18]
    assert inventory_receipts[0].info == f"新增申报成功[{guid(4)}]"


def test_receipts_are_schema_valid_duplicated_and_alternately_enveloped(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0)
    for sent in (order(1), inventory(2)):
        sandbox.send(sent)
    files = sandbox.collect()
    contents = Counter(file.content for file in files)
    assert len(files) == 4 and set(contents.values()) == {2}  # every file twice
    names = [file.name for file in files]
    assert names == sorted(names) and len(set(names)) == 4
    roots = [etree.QName(etree.fromstring(content)) for content in contents]
    assert sorted(root.namespace for root in roots) == [CEB, DXP]
    dxp_schema = etree.XMLSchema(etree.parse(str(DXP_XSD)))
    for content in contents:
        root = etree.fromstring(content)
        if etree.QName(root).namespace == DXP:
            dxp_schema.assertValid(root)
        assert schema_problems(bare(content)) == []


def test_receipts_due_together_are_batched_newest_first(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0)
    sandbox.send(order(1))
    sandbox.send(order(2))
    sandbox.send(inventory(3))
    files = sandbox.collect()
    by_type = {}
    for file in files:
        root = etree.fromstring(bare(file.content))
        by_type[etree.QName(root).localname] = root
    assert set(by_type) == {"CEB312Message", "CEB622Message"}
    orders = by_type["CEB312Message"].findall(f"{{{CEB}}}OrderReturn")
    assert len(orders) == 4
    inventory_statuses = [r.findtext(f"{{{CEB}}}returnStatus") for r in by_type["CEB622Message"]]
    assert inventory_statuses == ["800", "399", "120", "2"]
    assert statuses(files)["KJ0003-1"] == ["2", "120", "399", "800"]


def test_the_same_guid_is_taken_once_and_folders_are_shared(tmp_path):
    clock = Clock()
    web = customs(tmp_path, clock)
    web.send(order(1))
    clock.now += 1
    web.send(order(1))
    job = customs(tmp_path, clock)
    job.send(order(1))
    clock.now += 600
    files = job.collect()
    assert statuses(files) == {"3122480001|KJ0001": ["2", "120"]}
    assert len(files) == 2  # "2" and "120" came due at once: one file, and its twin
    assert web.collect() == files  # nothing is answered twice
    for file in files:
        job.acknowledge(file.name)
    assert web.collect() == ()
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == sorted(
        f.name for f in files
    )


def test_reject_on_demand_gives_100_with_a_chinese_reason(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0, fail="reject")
    sandbox.send(order(1))
    sandbox.send(inventory(2))
    found = receipts_of(sandbox.collect())
    assert [r.return_status for r in found["3122480001|KJ0001"]] == ["2", "100"]
    assert [r.return_status for r in found["KJ0002-1"]] == ["2", "100"]
    assert "退单" in found["KJ0002-1"][-1].info


def test_reject_once_refuses_new_declarations_and_accepts_the_correction(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0, fail="reject_once")
    sandbox.send(order(1, app_type="1"))
    clock.now += 5
    sandbox.send(order(2, app_type="2", order_no="KJ0001"))
    found = receipts_of(sandbox.collect())["3122480001|KJ0001"]
    assert [r.return_status for r in found] == ["2", "100", "2", "120"]
    assert found[2].info.startswith("变更申报成功")


def test_annual_limit_is_checked_at_the_inventory(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0)
    sandbox.send(inventory(1, totals=("15000.00", "4990.00")))  # 19990 + 10 freight
    sandbox.send(inventory(2, totals=("6000.00",)))  # 20000 + 6010 > 26000
    sandbox.send(inventory(3, totals=("5990.00",)))  # exactly 26000: allowed
    sandbox.send(inventory(4, totals=("9000.00",), buyer="110101199003070038"))
    found = receipts_of(sandbox.collect())
    assert [r.return_status for r in found["KJ0001-1"]][-1] == "800"
    over = found["KJ0002-1"]
    assert [r.return_status for r in over] == ["2", "-621018"]
    assert over[-1].info == (
        "清单[KJ0002-1]中购买人[张三]已用购买额度为[20000.00]，本次购买将超过年度限额[26000]"
    )
    assert found["KJ0003-1"][-1].return_status == "800"
    assert found["KJ0004-1"][-1].return_status == "800"


def test_a_change_replaces_its_inventory_and_a_new_year_starts_afresh(tmp_path):
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0)
    sandbox.send(inventory(1, cop_no="C1", totals=("20000.00",)))
    sandbox.send(inventory(2, cop_no="C1", totals=("21000.00",), app_type="2"))
    sandbox.send(inventory(3, cop_no="C2", totals=("5000.00",)))  # 21010 + 5010 = 26020
    clock.now = datetime(2027, 1, 1, 0, 0, 1, tzinfo=timezone(timedelta(hours=8))).timestamp()
    sandbox.send(inventory(4, cop_no="C3", totals=("5000.00",)))
    found = receipts_of(sandbox.collect())
    assert found["C1"][-1].return_status == "800"
    assert found["C2"][-1].return_status == "-621018"
    assert "已用购买额度为[21010.00]" in found["C2"][-1].info
    assert found["C3"][-1].return_status == "800"


def test_a_send_reads_only_what_it_checks_and_answered_messages_are_left_alone(tmp_path):
    """Each send used to read every declaration ever taken: slower with each one. Now an
    answered message of another order and buyer is never read again."""
    clock = Clock()
    sandbox = customs(tmp_path, clock, delay=0)
    sandbox.send(inventory(1, buyer="110101199003070038"))
    assert receipts_of(sandbox.collect())["KJ0001-1"][-1].return_status == "800"
    (tmp_path / "messages" / f"{guid(1)}.json").write_text("not a record")
    sandbox.send(order(2))
    sandbox.send(inventory(3, totals=("25000.00",)))
    found = receipts_of(sandbox.collect())
    assert found["KJ0003-1"][-1].return_status == "800"
    assert found["3122480001|KJ0002"][-1].return_status == "120"


def test_messages_kept_before_the_indexes_are_indexed_once(tmp_path):
    clock = Clock()
    customs(tmp_path, clock, delay=0).send(inventory(1, totals=("25000.00",)))
    for index in ("buyers", "orders", "pending"):  # the layout of earlier versions
        shutil.rmtree(tmp_path / index)
    (tmp_path / "state" / "ledger.json").unlink()
    sandbox = customs(tmp_path, clock, delay=0)
    sandbox.send(inventory(2, totals=("2000.00",)))  # 25010 + 2010 > 26000
    found = receipts_of(sandbox.collect())
    assert found["KJ0001-1"][-1].return_status == "800"  # still answered
    assert found["KJ0002-1"][-1].return_status == "-621018"  # the year so far counts


def test_unavailable_on_demand(tmp_path):
    sandbox = customs(tmp_path, Clock(), fail="unavailable")
    with pytest.raises(PortUnavailable):
        sandbox.send(order(1))
    with pytest.raises(PortUnavailable):
        sandbox.collect()
    with pytest.raises(PortUnavailable):
        sandbox.acknowledge("x.xml")


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (b"hello", "not_xml"),
        (b"<a><b></a>", "not_xml"),
        (f'<CEB623Message xmlns="{CEB}"/>'.encode(), "unsupported_message"),
        (f'<CEB311Message xmlns="{CEB}"/>'.encode(), "bad_message"),
        (order(1).xml.replace(b"<ceb:orderNo>KJ0001</ceb:orderNo>", b""), "bad_message"),
    ],
)
def test_messages_it_cannot_read_are_refused(tmp_path, xml, code):
    sandbox = customs(tmp_path, Clock())
    with pytest.raises(PortError) as raised:
        sandbox.send(CustomsMessage(guid(1), "CEB311Message", xml))
    assert raised.value.code == code
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir())


def test_settings_of_the_sandbox_customs(tmp_path):
    with pytest.raises(PortError):
        SandboxCustomsTransport({"fail": "explode", "folder": str(tmp_path)})
    with pytest.raises(PortError):
        SandboxCustomsTransport({})
    form = SandboxCustomsTransport.SettingsForm()
    assert [choice.value for choice in form.fail.choices] == [
        "",
        "reject",
        "reject_once",
        "unavailable",
    ]
