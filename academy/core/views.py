"""The one way views run a business operation: commit when it works, explain when it does not."""
from typing import Any, NamedTuple

from flask import flash

from academy.core.errors import OperationError
from academy.extensions import db


class Attempt(NamedTuple):
    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(action, *, form=None, success=None) -> Attempt:
    """Run `action()`. On success commit and flash `success`; on a refused rule roll back and show the
    reason beside the form field it names (or as a message). Truthy when it worked; `.value` is the result."""
    try:
        value = action()
    except OperationError as error:
        db.session.rollback()
        if form is not None and error.field and error.field in form:
            form[error.field].errors.append(error.message)
        else:
            flash(error.message, "danger")
        return Attempt(False)
    db.session.commit()
    if success:
        flash(success, "success")
    return Attempt(True, value)
