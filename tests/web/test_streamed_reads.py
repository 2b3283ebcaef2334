"""Row-level security holds for streamed reads too: a server-side cursor that opens a
transaction still runs as the tenant in context (its settings go on a plain cursor)."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Product
from storefront.tenancy import tenant_context


def test_a_streamed_read_first_in_its_transaction_sees_the_tenant_s_rows(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        expected = {a.product.id, a.non_tax_product.id}
        db.session.commit()  # what follows starts a fresh transaction
        streamed = db.session.scalars(select(Product.id).execution_options(yield_per=1))
        assert expected <= set(streamed)
