"""The order's customs page lists customs' tax bills and what customs actually deducted."""

from storefront.services.customs_receipts import ingest
from storefront.tenancy import tenant_context
from tests.customs.test_tax_bill_parsing import ceb816, tax
from tests.support import factories
from tests.web.helpers import login_staff
from tests.web.test_chinese_pages import english_words

ZH = {"Accept-Language": "zh-CN"}
INVT = "224420261000000077"


def test_the_customs_page_shows_the_tax_bills_in_chinese(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        factories.customs_declaration(a.order, "released", invt_no=INVT)
    first = tax(invt_no=INVT, tax_no="TAX-77", time="20261123093000000")
    later = tax(invt_no=INVT, tax_no="TAX-77", vat="30", ct="10", time="20261125100000000",
                extra="<ceb:note>部分退货，退还税款</ceb:note>")  # fmt: skip
    ingest([("bills.xml", ceb816(first, later))])
    login_staff(client, a.owner)
    page = client.get(f"/admin/orders/{a.order.id}/customs", headers=ZH).get_data(as_text=True)
    assert "电子税单" in page and page.count('class="customs-tax-bill"') == 2
    assert "TAX-77" in page and "2026-11-23 09:30:00" in page and "2026-11-25 10:00:00" in page
    assert page.index("2026-11-23 09:30:00") < page.index("2026-11-25 10:00:00")
    assert "¥37.31" in page and "¥12.69" in page and "¥50.00" in page and "¥40.00" in page
    assert "已生成" in page and "部分退货，退还税款" in page
    assert "海关实扣税款： ¥40.00" in page.replace("\n", " ").replace("    ", " ")
    assert f"订单代扣税款： ¥{a.order.tax_due}" in page
    data = {a.order.number, a.owner.name, a.tenant.name, INVT}
    assert english_words(page, data) == set()


def test_before_any_bill_the_page_says_so(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        factories.customs_declaration(a.order, "released", invt_no=INVT)
    login_staff(client, a.owner)
    page = client.get(f"/admin/orders/{a.order.id}/customs", headers=ZH).get_data(as_text=True)
    assert "海关尚未发来电子税单。" in page and "海关实扣税款： —" in page
