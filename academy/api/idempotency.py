"""Idempotency-Key on POSTs: a retried request is answered with the first answer, never done twice.

The key is claimed (committed) before the work, so two copies of one request sent at once cannot both do
it: the second waits for nothing and is told the first is still under way (409), then replayed once the
first answer is kept. A claim left by a request that died is taken over after CLAIM_TIMEOUT."""
import hashlib
import re
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from academy.api.models import IdempotentRequest
from academy.core.errors import problem
from academy.core.models import now_utc
from academy.extensions import db

HEADER = "Idempotency-Key"
KEY_PATTERN = "[!-~]{1,100}"  # visible ASCII
KEY = re.compile(KEY_PATTERN)
UNDER_WAY = 0  # the status of a claim whose answer is still to come
CLAIM_TIMEOUT = timedelta(minutes=5)
BAD_KEY = _l("An Idempotency-Key is 1 to 100 visible characters.")
OTHER_REQUEST = _l("This Idempotency-Key was used for a different request.")
STILL_RUNNING = _l("A request with this Idempotency-Key is still under way; try again in a moment.")


def _fingerprint() -> str:
    return hashlib.sha256(b"\n".join((request.method.encode(), request.path.encode(),
                                      request.get_data()))).hexdigest()


def _claim(key: str, fingerprint: str):
    """(the kept row, whether it is ours to fill)."""
    token_id = g.api_token.id
    kept = db.session.scalar(select(IdempotentRequest).where(IdempotentRequest.token_id == token_id,
                                                             IdempotentRequest.key == key))
    if kept is not None and kept.status == UNDER_WAY and kept.created_at < now_utc() - CLAIM_TIMEOUT:
        db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == kept.id))  # a dead claim
        kept = None
    if kept is not None:
        db.session.rollback()
        return kept, False
    claim = IdempotentRequest(token_id=token_id, key=key, fingerprint=fingerprint, status=UNDER_WAY, body="")
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:  # the same request, sent twice at once: the other copy claimed it first
        db.session.rollback()
        return db.session.scalar(select(IdempotentRequest).where(IdempotentRequest.token_id == token_id,
                                                                 IdempotentRequest.key == key)), False
    return claim, True


def idempotent(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not KEY.fullmatch(key):
            return problem(400, BAD_KEY)
        fingerprint = _fingerprint()
        row, ours = _claim(key, fingerprint)
        if not ours:
            if row.fingerprint != fingerprint:
                return problem(422, OTHER_REQUEST)
            if row.status == UNDER_WAY:
                return problem(409, STILL_RUNNING)
            return _replay(row)
        claim_id = row.id
        try:
            response = view(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            _release(claim_id)
            raise
        if response.status_code >= 500:  # not an answer: the retry may do the work
            _release(claim_id)
            return response
        db.session.rollback()  # the view committed its work; only the answer is left to keep
        kept = db.session.get(IdempotentRequest, claim_id)
        kept.status, kept.body = response.status_code, response.get_data(as_text=True)
        db.session.commit()
        return response

    return wrapped


def _replay(row: IdempotentRequest):
    return current_app.response_class(row.body, status=row.status, mimetype=(
        "application/json" if row.status < 400 else "application/problem+json"),
        headers={"Idempotent-Replayed": "true"})


def _release(claim_id: int) -> None:
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == claim_id,
                                                       IdempotentRequest.status == UNDER_WAY))
    db.session.commit()
