"""How many failed sign-ins are allowed, counted on the number as the account knows it.

A number is counted in its one spelling (validators.normalise_phone): `139-0000-0108`,
`+86 13900000108` and `13900000108` share one count, so formatting buys no fresh tries. Four
counts, each of failed attempts only (a successful sign-in costs nothing), each refusing with the
429 page once spent:

- an account from one address (LOGIN_RATE_LIMIT, 5 a minute): typos; a colleague at the next desk
  can still sign in;
- an account from anywhere (LOGIN_ACCOUNT_RATE_LIMIT, 30 an hour): guessing one account's password
  from many addresses;
- an address, whatever the accounts (LOGIN_ADDRESS_RATE_LIMIT, 20 in 10 minutes): one machine trying
  many numbers;
- everyone (LOGIN_GLOBAL_RATE_LIMIT, 1,000 an hour): many machines trying many numbers. Spent, it
  stops every sign-in until the hour turns, so it sits far above the district's honest failures.

The profile's refusals of an ID number another account holds are counted the same way
(limit_resident_id_refusals), so that ID numbers cannot be tried one after another.

Addresses are `request.remote_addr`: behind a reverse proxy, set PROXY_FIX_X_FOR so that it is the
client's (config.py), or every visitor shares the proxy's count.
"""
from flask import current_app, g, request
from flask_login import current_user

from academy.core.validators import is_mainland_mobile, normalise_phone
from academy.extensions import limiter


def login_identifier() -> str:
    """The account a sign-in names, as stored; every number that cannot be an account shares one key
    (no account has it, so such a sign-in never succeeds)."""
    phone = normalise_phone((request.form.get("phone") or "")[:40])
    return phone if is_mainland_mobile(phone) else "not-a-mobile-number"


def _failed(response) -> bool:
    return response.status_code != 302


def _limit(config_key: str, key_func):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"], key_func=key_func,
                         deduct_when=_failed)


def limit_sign_in(view):
    """The four counts of failed sign-ins on the sign-in view."""
    for config_key, key_func in (
        ("LOGIN_RATE_LIMIT", lambda: f"login:{request.remote_addr}|{login_identifier()}"),
        ("LOGIN_ACCOUNT_RATE_LIMIT", lambda: f"login-account:{login_identifier()}"),
        ("LOGIN_ADDRESS_RATE_LIMIT", lambda: f"login-address:{request.remote_addr}"),
        ("LOGIN_GLOBAL_RATE_LIMIT", lambda: "login-everyone"),
    ):
        view = _limit(config_key, key_func)(view)
    return view


def limit_resident_id_refusals(view):
    """Trying ID numbers on the profile to learn which are registered: the refusals (the view sets
    `g.resident_id_refused`) are counted per account and per address (RESIDENT_ID_RATE_LIMIT)."""
    for key_func in (lambda: f"resident-id-account:{getattr(current_user, 'id', None)}",
                     lambda: f"resident-id-address:{request.remote_addr}"):
        view = limiter.limit(lambda: current_app.config["RESIDENT_ID_RATE_LIMIT"], methods=["POST"],
                             key_func=key_func, deduct_when=lambda response: g.get("resident_id_refused", False))(view)
    return view
