"""How the operator's review pages show merchant applications (seed 000 step 1): the company,
its contact (phone masked), the store asked for and the four documents inline; a search finds
the company name, the credit code or the store address."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from admin.review_views import QueueView, register_queue_view
from storefront.domain.onboarding import mask_phone
from storefront.models import MerchantApplication
from storefront.services.applications import KIND

DOCUMENT_LABELS = {
    "business_licence": _l("Business licence"),
    "legal_person_id": _l("Legal person's ID card"),
    "tax_registration": _l("Tax registration certificate"),
    "agreement": _l("Signed cooperation agreement"),
}


def _fields(application: MerchantApplication) -> list[tuple[str, object]]:
    a = application
    return [
        (_l("Company name"), a.company_name),
        (_l("Unified social credit code"), a.credit_code),
        (_l("Legal person"), a.legal_person),
        (_l("Contact person"), a.contact_name),
        (_l("Contact phone"), mask_phone(a.contact_phone)),
        (_l("Contact e-mail"), a.contact_email),
        (_l("Store name"), a.store_name),
        (_l("Store address"), f"/s/{a.store_slug}/"),
    ]


def _documents(application: MerchantApplication) -> list[tuple[str, int | None]]:
    ids = application.document_ids()
    return [(DOCUMENT_LABELS[purpose], ids[purpose]) for purpose in DOCUMENT_LABELS]


register_queue_view(
    QueueView(
        kind=KIND,
        search_hint=_l("Company name, credit code or store address"),
        headings=(_l("Company name"), _l("Unified social credit code"), _l("Store address")),
        cells=lambda a: (a.company_name, a.credit_code, a.store_slug),
        name=lambda a: a.company_name or a.store_name,
        fields=_fields,
        matches=lambda search: or_(
            MerchantApplication.company_name.icontains(search, autoescape=True),
            MerchantApplication.credit_code.startswith(search.upper(), autoescape=True),
            MerchantApplication.store_slug.icontains(search, autoescape=True),
        ),
        documents=_documents,
    )
)
