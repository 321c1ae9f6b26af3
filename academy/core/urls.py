"""Addresses: redirect targets (only local paths are followed), ids in paths and whole numbers in
query strings (never beyond the database's integer range: such an id names nothing, a 404)."""
import unicodedata
from urllib.parse import urlsplit

from flask import abort, request
from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns: PostgreSQL's range; SQLite's is wider, so this bound holds on both.
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number beyond MAX_ID matches no route, so it is a 404 rather than
    an error of the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def whole_number_arg(name: str, *, minimum: int = 0, maximum: int = MAX_ID, default=None):
    """A whole number from the query string within [minimum, maximum], else `default`."""
    value = request.args.get(name, "")
    if not value.isascii() or not value.isdigit() or not minimum <= int(value) <= maximum:
        return default
    return int(value)


def refuse_out_of_range_pages():
    """`page` and `per_page` are read by Flask-SQLAlchemy's paginate itself: beyond MAX_ID they are
    no page at all, and would overflow the OFFSET (400, before any view runs)."""
    for name in ("page", "per_page"):
        value = request.args.get(name, "")
        if value.isascii() and value.isdigit() and int(value) > MAX_ID:
            abort(400)


def is_safe_local_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    # No control, format or line-separator character: a CR/LF would split the Location header.
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
