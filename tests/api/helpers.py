"""Tokens for API tests, made by the same operation the account page uses."""
from academy.api import tokens
from academy.api.models import ApiScope
from academy.extensions import db

ALL = (ApiScope.LEARNING_READ, ApiScope.ENROL)


def token_for(user, scopes=ALL, days=30) -> str:
    _row, token = tokens.create(user, name="测试", scopes=scopes, days=days)
    db.session.commit()
    return token


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}
