"""`flask keys`: encryption keys for personal data and plugin secrets."""

import click
from flask.cli import AppGroup

from storefront.crypto import KeyringError, new_key

keys_cli = AppGroup("keys", help="Encryption keys for data at rest (ENCRYPTION_KEYS).")


@keys_cli.command("new", with_appcontext=False)
def new_key_command() -> None:
    """Print a new key: put it first in ENCRYPTION_KEYS, keep the old ones after it."""
    click.echo(new_key())


@keys_cli.command("rotate")
def rotate_command() -> None:
    """Re-encrypt every stored value with the first key of ENCRYPTION_KEYS."""
    from storefront.services.key_rotation import rotate_keys

    try:
        count = rotate_keys()
    except KeyringError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{count} value(s) re-encrypted with the newest key.")
