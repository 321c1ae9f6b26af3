"""Who holds the token a request presents: loaded, or refused with the 401 problem. Called by the API's
frame for every request and by a kept answer when it cannot answer from the cache (academy.api.kept)."""
import logging

from flask import g, request
from flask_babel import lazy_gettext as _l

from academy.api import tokens
from academy.core.errors import problem
from academy.core.models import now_utc

log = logging.getLogger("academy.api")
UNKNOWN_TOKEN = _l("The access token is unknown, revoked or expired.")


def load_token():
    """The presented token with its holder, or the 401 problem when it is unknown or may not be used."""
    token = tokens.find(g.api_presented)
    if token is None or not token.usable(now_utc()):
        log.info("api refused token %s: %s %s", g.api_presented[:12], request.method, request.path)
        return problem(401, UNKNOWN_TOKEN)
    g.api_token = token
    g.api_holder = (token.id, f"user={token.user_id}" if token.user_id else f"client={token.client_id}")
    if token.user is not None:  # a system's token acts for nobody: its client's scope is its own
        g._login_user = token.user
    return None
