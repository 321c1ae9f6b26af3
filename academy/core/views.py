"""The one way views run a business operation: commit when it works, explain when it does not."""
from typing import Any, NamedTuple

from flask import flash
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

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


class RowPagination(Pagination):
    """Pagination of a select that returns rows (several columns), not ORM objects."""

    def _query_items(self) -> list:
        statement = self._query_args["select"]
        return list(db.session.execute(statement.limit(self.per_page).offset(self._query_offset)).all())

    def _query_count(self) -> int:
        statement = self._query_args["select"].order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(statement))


def paginate_rows(statement, per_page: int = 50) -> RowPagination:
    return RowPagination(select=statement, per_page=per_page, error_out=False)
