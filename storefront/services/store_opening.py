"""A new store's owner works through the opening checklist and opens the store (issue 13).

A store approved from an application shows shoppers an "opening soon" page and takes no
orders until its owner opens it; the owner can do so once every checklist item is done
(storefront.queries.opening). Seed 000 step 2: only after all reviews passed may it sell.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import PluginSetting, Tenant
from storefront.models.opening import OpeningChoice
from storefront.models.types import utcnow
from storefront.queries import opening
from storefront.services.errors import NotFound
from storefront.tenancy import require_tenant_id


def choose_platform_default(item: str, who: str) -> None:
    """Record the owner's choice of the platform's own service for a settings item's ports
    that have no settings of the store's own; refused where the platform offers none."""
    ports = opening.SETTINGS_ITEMS.get(item)
    if ports is None:
        raise NotFound(f"checklist item {item}")
    own = set(db.session.scalars(select(PluginSetting.port)))
    open_ports = [port for port in ports if port not in own]
    if not all(opening.platform_default_offered(port) for port in open_ports):
        raise Refused(ErrorCode.OPENING_INCOMPLETE, f"no platform default for {item}")
    chosen = set(db.session.scalars(select(OpeningChoice.port)))
    for port in open_ports:  # a second click records nothing new
        if port not in chosen:
            db.session.add(OpeningChoice(port=str(port), chosen_by=who[:200]))
    try:
        db.session.commit()
    except IntegrityError:  # the same choice made at the same moment: it is recorded
        db.session.rollback()


def open_store(who: str) -> bool:
    """Open the store in context to shoppers; False when it already was open.

    Refused (OPENING_INCOMPLETE) while a checklist item is not done. The store's row is locked,
    so two owners clicking at once open it once.
    """
    tenant_id = require_tenant_id()
    tenant = db.session.scalar(
        select(Tenant)
        .where(Tenant.id == tenant_id)
        .with_for_update()
        .execution_options(populate_existing=True)  # the request read its store before
    )
    if tenant.opened_at is not None:
        db.session.rollback()
        return False
    left = opening.missing(opening.checklist())
    if left:
        db.session.rollback()
        raise Refused(ErrorCode.OPENING_INCOMPLETE, ", ".join(left))
    tenant.opened_at = utcnow()
    db.session.commit()
    return True
