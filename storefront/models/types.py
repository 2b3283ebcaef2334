"""Column types shared by the models."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric, Text, TypeDecorator

from storefront.crypto import keyring

# Money: NUMERIC(14, 2) in yuan; Decimal in Python, on SQLite too.
Money = Numeric(14, 2, asdecimal=True)
# Exchange rates (yuan per unit of the settlement currency): six decimals, as banks quote them.
ExchangeRate = Numeric(12, 6, asdecimal=True)
# Tax rates stored as percents with up to four decimals (e.g. 9.1000).
Percent = Numeric(7, 4, asdecimal=True)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Encrypted(TypeDecorator):
    """A string stored encrypted with the deployment's keys (storefront.crypto); plain in Python.

    Look-ups cannot use the column (each encryption differs): keep a keyed hash beside it.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else keyring().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else keyring().decrypt(value)


def utcnow() -> datetime:
    return datetime.now(UTC)


ZERO = Decimal("0.00")
