"""Re-encrypt every value stored with an `Encrypted` column under the newest key."""

from sqlalchemy import Table, column, select, table, update

from storefront.crypto import keyring
from storefront.extensions import db
from storefront.models.types import Encrypted
from storefront.tenancy import system_context


def encrypted_columns() -> list[tuple[Table, str]]:
    """Return (table, column name) for every encrypted column of the schema."""
    return [
        (model_table, col.name)
        for model_table in db.metadata.sorted_tables
        for col in model_table.columns
        if isinstance(col.type, Encrypted)
    ]


def rotate_keys() -> int:
    """Re-encrypt all stored values with the first key of ENCRYPTION_KEYS; return the count.

    Reads and writes the raw ciphertext (a lightweight table without the type), so the
    rotation never holds plaintext longer than one value.
    """
    ring, count = keyring(), 0
    with system_context():
        for model_table, name in encrypted_columns():
            raw = table(model_table.name, column("id"), column(name))
            rows = db.session.execute(select(raw.c.id, raw.c[name]).where(raw.c[name].is_not(None)))
            for row_id, token in rows.all():
                db.session.execute(
                    update(raw).where(raw.c.id == row_id).values({name: ring.rotate(token)})
                )
                count += 1
        db.session.commit()
    return count
