"""Kuajing: the storefront application package.

`create_app` is the composition root: it binds the extensions and registers the shopper
pages, the webhooks and the consoles. It reads configuration only: no other I/O, no queries.
"""

import os
from pathlib import Path

from flask import Flask

from storefront import crypto, errors, events, i18n, input_hardening, jobs, log_redaction, security
from storefront.cli import register_commands
from storefront.config import load_config
from storefront.extensions import csrf, db, login_manager, migrate
from storefront.prepared_statements import keep_prepared_statements
from storefront.web import init_tenancy


def create_app(config: dict | None = None) -> Flask:
    """Build a configured application; `config` overrides every other source."""
    # KUAJING_INSTANCE_PATH moves the instance folder (settings.py, the SQLite file).
    instance = os.environ.get("KUAJING_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    load_config(app, config)
    crypto.init_app(app)
    log_redaction.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            keep_prepared_statements(engine)
    migrate.init_app(app, db, directory=str(_migrations_dir(app)))
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    init_tenancy(app)
    events.init_app(app, built_in_subscribers())
    jobs.init_app(app)
    errors.init_app(app)
    input_hardening.init_app(app)
    register_blueprints(app)
    register_commands(app)
    return app


def _migrations_dir(app: Flask) -> Path:
    return Path(app.root_path).parent / "migrations"


def built_in_subscribers():
    """The subscribers every deployment has (merchant webhooks, shopper notifications)."""
    from storefront.services.subscribers import BUILT_IN_SUBSCRIBERS

    return BUILT_IN_SUBSCRIBERS


def register_blueprints(app: Flask) -> None:
    """Mount every area; the consoles live outside the core package."""
    from admin import console, join, platform  # the composition root is the one place for this
    from storefront import api, shop, webhooks

    app.register_blueprint(webhooks.bp)
    app.register_blueprint(shop.site)
    app.register_blueprint(shop.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(platform.bp)
    app.register_blueprint(join.bp)
    api.init_app(app)
