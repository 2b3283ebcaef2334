"""The application factory, configuration, security headers, errors and languages."""

import pytest

from storefront import create_app
from storefront.config import ConfigError


@pytest.fixture(autouse=True)
def empty_instance(monkeypatch, tmp_path):
    """No instance/settings.py from a local demo run may configure these apps."""
    monkeypatch.setenv("KUAJING_INSTANCE_PATH", str(tmp_path))


def test_production_without_secret_key_is_a_clear_startup_error(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_environment_variables_configure_the_app(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("PUBLIC_URL", "https://shop.example.com/")
    monkeypatch.setenv("TRUSTED_HOSTS", "shop.example.com, .shop.example.com")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:1/x"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:1/0"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PUBLIC_URL"] == "https://shop.example.com"
    assert app.config["TRUSTED_HOSTS"] == ["shop.example.com", ".shop.example.com"]


def test_production_without_public_url_is_a_clear_startup_error(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_answers_only_the_public_host_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_URL": "https://shop.example.com:8443",
        }
    )
    assert app.config["TRUSTED_HOSTS"] == ["shop.example.com"]
    assert app.test_client().get("/", headers={"Host": "evil.example"}).status_code == 400


def test_a_public_url_that_is_not_an_address_is_refused(monkeypatch):
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_URL": "x"})


def test_development_defaults_to_embedded_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv("KUAJING_ENV", "development")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    app = create_app({"SECRET_KEY": "dev"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/kuajing.db"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["TRUSTED_HOSTS"] is None  # the demo answers on any address


def test_security_headers_on_every_page(client, tenants):
    response = client.get(f"/s/{tenants.a.tenant.slug}/")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_unknown_store_is_a_404_page_in_chinese_by_default(client, session):
    response = client.get("/s/no-such-store/")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_unknown_store_404_follows_accept_language(client, session):
    response = client.get("/s/no-such-store/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def test_language_switch_is_remembered(client, tenants):
    home = f"/s/{tenants.a.tenant.slug}/"
    assert "登录" in client.get(home).get_data(as_text=True)
    assert "Sign in" in client.get(home + "?lang=en").get_data(as_text=True)
    assert "Sign in" in client.get(home).get_data(as_text=True)
    assert "登录" in client.get(home + "?lang=zh_CN").get_data(as_text=True)


def test_flask_help_lists_the_project_commands(app):
    result = app.test_cli_runner().invoke(args=["--help"])
    for command in ("demo", "rq", "tax", "db"):
        assert command in result.output


def test_csrf_is_enforced_when_enabled(app, session, tenants):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post(
            f"/s/{tenants.a.tenant.slug}/login", data={"email": "x@example.com", "password": "y"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
