"""Pages turned by seeking from the rows at hand instead of skipping an offset.

A numbered page N reads and throws away the (N - 1) x per_page rows before it, so the last pages of
a long list cost in proportion to its length (docs/performance.md has the figures). The Next link
instead asks for the rows after the page's last key, Previous for those before its first, and Last
reads from the end: every page costs what the first does. The page number still travels in the address, for display; a number typed alone still
skips its offset. Templates draw the links with render_seek_pagination (_macros/pagination.html).
"""
from flask import abort
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from academy.core.urls import MAX_ID

SEEK_ARGUMENTS = ("page", "after", "before", "last")


def seek_from(args):
    """Where the requested page starts: ("after", key), ("before", key), ("last", None), or None for a
    page found by its number; 400 when a key is not a whole number."""
    for how in ("after", "before"):
        if args.get(how):
            try:
                key = int(args[how])
            except ValueError:
                abort(400)
            if not 0 <= key <= MAX_ID:  # no row has such a key, and the database could not compare it
                abort(400)
            return how, key
    return ("last", None) if args.get("last") else None


class SeekPagination(Pagination):
    """A Pagination whose rows are in the order of one unique key. Subclasses give `_seek_key()` (the
    column), `_seek_rows(statement)` (the page's rows from the statement they build with `_seek`) and
    `_count()`; the constructor takes `seek` (seek_from) and `descending`."""

    def _seek(self, statement):
        """The statement narrowed to this page, and whether its rows come in reverse."""
        key, descending = self._seek_key(), self._query_args.get("descending", False)
        how, value = self._query_args.get("seek") or (None, None)
        forward, backward = (key.desc(), key) if descending else (key, key.desc())
        if how == "after":
            return statement.where(key < value if descending else key > value).order_by(forward).limit(
                self.per_page), False
        if how == "before":
            return statement.where(key > value if descending else key < value).order_by(backward).limit(
                self.per_page), True
        if how == "last":  # the last page holds what the pages before it leave
            self._total = self._count()
            self.page = max(1, -(-self._total // self.per_page))
            return statement.order_by(backward).limit(self._total - (self.page - 1) * self.per_page), True
        return statement.order_by(forward).limit(self.per_page).offset(self._query_offset), False

    def _query_items(self) -> list:
        statement, reverse = self._seek(self._seek_statement())
        rows = self._seek_rows(statement)
        return rows[::-1] if reverse else rows

    def _query_count(self) -> int:
        total = getattr(self, "_total", None)  # counted already for the last page
        return total if total is not None else self._count()


class SeekSelectPagination(SeekPagination, SelectPagination):
    """db.paginate's pages of a select statement (without ORDER BY: `key` orders it), turned by seeking."""

    def _seek_key(self):
        return self._query_args["key"]

    def _seek_statement(self):
        return self._query_args["select"]

    def _seek_rows(self, statement) -> list:
        return list(self._query_args["session"].execute(statement).unique().scalars())

    def _count(self) -> int:
        return SelectPagination._query_count(self)


class RowSelectPagination(SelectPagination):
    """db.paginate's pages of a select of several columns (a grouped list): each item is a whole row."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())
