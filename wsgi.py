"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

import sys

from storefront import create_app
from storefront.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # A person reads this, from a command or a server start: one line, not a traceback.
    sys.exit(f"Configuration error: {error}")
