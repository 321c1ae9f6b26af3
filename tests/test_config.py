import pytest

from academy import create_app
from academy.config import Config, normalise_database_url


def test_app_refuses_to_start_without_a_secret_key():
    class NoSecret(Config):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(NoSecret)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_cookies_are_hardened_by_default(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True


def test_secure_cookies_follow_the_environment(monkeypatch):
    import importlib

    import academy.config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    reloaded = importlib.reload(academy.config)
    try:
        assert reloaded.Config.SESSION_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("SESSION_COOKIE_SECURE")
        importlib.reload(academy.config)


def test_behind_a_proxy_the_client_address_is_taken_from_x_forwarded_for(app):
    """The sign-in counts per address (issue 27, finding 2) need the client's address, not the proxy's."""
    from flask import request
    from werkzeug.middleware.proxy_fix import ProxyFix

    from academy.config import TestConfig

    assert not isinstance(app.wsgi_app, ProxyFix)  # no proxy unless told
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    proxied = create_app({**config, "PROXY_FIX_X_FOR": 1})
    assert isinstance(proxied.wsgi_app, ProxyFix) and proxied.wsgi_app.x_for == 1
    seen = []
    proxied.before_request(lambda: seen.append(request.remote_addr))
    proxied.test_client().get("/healthz", headers={"X-Forwarded-For": "198.51.100.7"},
                              environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == ["198.51.100.7"]
