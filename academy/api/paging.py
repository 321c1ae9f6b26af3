"""Cursor pages: a page ends with an opaque cursor naming the position of its last item; the next page
starts after it, so a page costs the same wherever it is and nothing is skipped or given twice while
rows are added."""
import base64
import binascii

from flask_babel import lazy_gettext as _l

BAD_CURSOR = _l("The cursor is not one this API gave: pass `next_cursor` of the previous page.")


def encode_cursor(*parts) -> str:
    text = ":".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *types) -> tuple | None:
    """The parts of a cursor, each read by its type (date.fromisoformat, int); None if it is not ours."""
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        if len(parts) != len(types):
            return None
        return tuple(read(part) for read, part in zip(types, parts))
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        return None


def after_id(cursor: str | None) -> int | None | bool:
    """The id a page of id-ordered rows starts after: None for the first page, False for a bad cursor."""
    if cursor is None:
        return None
    position = decode_cursor(cursor, int)
    return position[0] if position is not None and 0 < position[0] < 2**31 else False


def page_of(rows: list, limit: int, key) -> dict:
    """The first `limit` of up to limit + 1 rows, with the cursor of the next page if there is one."""
    more = len(rows) > limit
    return {"items": rows[:limit], "next_cursor": encode_cursor(*key(rows[limit - 1])) if more else None}
