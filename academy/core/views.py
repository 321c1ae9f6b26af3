"""The one way views run a business operation: commit when it works, explain when it does not."""
from typing import Any, NamedTuple

from flask import flash
from sqlalchemy.orm.exc import StaleDataError

from academy.core.errors import CHANGED_MEANWHILE, OperationError
from academy.extensions import db


class Attempt(NamedTuple):
    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(action, *, form=None, success=None) -> Attempt:
    """Run `action()`. On success commit and flash `success`; on a refused rule roll back and show the
    reason beside the form field it names (or as a message), and when another request changed the same
    record meanwhile, roll back and say so. Truthy when it worked; `.value` is the result."""
    try:
        value = action()
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        if form is not None and error.field and error.field in form:
            form[error.field].errors.append(error.message)
        else:
            flash(error.message, "danger")
        return Attempt(False)
    except StaleDataError:  # another request changed the same record between our read and our write
        db.session.rollback()
        flash(CHANGED_MEANWHILE, "warning")
        return Attempt(False)
    if success:
        flash(success, "success")
    return Attempt(True, value)
