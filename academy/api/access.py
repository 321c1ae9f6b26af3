"""What a resource's view needs of the API's frame: the problems it documents, the scope it requires, and
running an operation the way the pages do (commit, or the rule's reason as a problem)."""
import http
from functools import wraps

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from academy.core.scope import Scope
from academy.core.errors import CHANGED_MEANWHILE, OperationError, problem
from academy.extensions import db


def errors(blueprint, *codes):
    """Document the problems a view may answer besides the default one."""

    def decorator(view):
        for code in codes:
            view = blueprint.alt_response(code, response=http.HTTPStatus(code).name)(view)
        return view

    return decorator


def requires(scope):
    """The view needs a token carrying `scope`, held by an account whose role may use it."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = g.get("api_token")
            if token is None:
                return problem(401)
            if not token.may(scope):
                return problem(403, _l("This token does not carry the permission “%(scope)s”.", scope=scope.value))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def own_credentials(view):
    """The view reads the credentials itself (the token endpoint's client authentication)."""
    view.own_credentials = True
    return view


def caller_scope() -> Scope:
    """Whose data the token reads: a system's client's subdistrict (or the district), a person's as on the
    pages (a subdistrict's administrator their own)."""
    token = g.api_token
    if token.user is not None:
        return Scope.of(token.user)
    return Scope(token.client.subdistrict_id)


def carry_out(action):
    """Run an operation and commit; a refused rule is a 409 problem with its reason, as the page says it."""
    try:
        value = action()
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        members = {"errors": {error.field: [str(error.message)]}} if error.field else {}
        return None, problem(409 if not error.field else 422, error.message, **members)
    except StaleDataError:
        db.session.rollback()
        return None, problem(409, CHANGED_MEANWHILE)
    return value, None
