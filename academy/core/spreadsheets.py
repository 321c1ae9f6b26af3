"""Text written to CSV and XLSX files stays text when a spreadsheet opens them; uploaded XLSX files
are read within limits."""
import io
import re
import zipfile

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, func, literal

# A cell beginning with one of these is a formula to Excel and LibreOffice: a name typed as
# =HYPERLINK(...) would run in the administrator's spreadsheet. Such text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}  # XlsxWriter: text stays text


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_STARTS else text


def spreadsheet_safe_sql(column):
    """spreadsheet_safe in SQL, for exports written by the database (a test keeps them equal)."""
    return case((func.substr(column, 1, 1).in_(FORMULA_STARTS), literal("'", String) + column), else_=column)


# -- reading uploaded XLSX ---------------------------------------------------------------------------
# An XLSX is a ZIP of XML parts: 25 KB can unpack to a 20 MB cell, and a sheet can hold a million rows.
# So the parts' unpacked sizes are capped before anything is parsed, no part may declare a DOCTYPE
# (entities: nothing a spreadsheet needs, the classic XML bombs), and rows are streamed (openpyxl's
# read-only mode) and no more are read than the caller's limit.

MAX_UNPACKED_BYTES = 4 * 1024 * 1024  # a 5,000-row class list unpacks to well under 1 MB
MAX_CELL_CHARACTERS = 200  # an identifier or a course code; more is not ours to keep
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class SpreadsheetError(Exception):
    """The upload cannot be read as a spreadsheet; the message (translated) says why."""


def _check_archive(data: bytes, max_unpacked: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(_l("The XLSX file is damaged or is not a spreadsheet.")) from None
    if sum(part.file_size for part in parts) > max_unpacked:
        raise SpreadsheetError(_l("The XLSX file unpacks to more than %(mb)d MB: save it again with only the list.",
                                  mb=max_unpacked // (1024 * 1024)))
    try:
        for part in parts:  # the declared sizes bound what is read: zipfile stops at them (and checks the CRC)
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(64 * 1024):
                    if _DECLARATIONS.search(tail + chunk):
                        raise SpreadsheetError(_l("The XLSX file contains a document type declaration "
                                                  "(DOCTYPE), which spreadsheets never need; it is refused."))
                    tail = chunk[-16:]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise SpreadsheetError(_l("The XLSX file is damaged or is not a spreadsheet.")) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores long digit strings typed as numbers as floats
    if hasattr(value, "date") and hasattr(value, "hour"):  # a date cell comes back as a datetime
        return value.date().isoformat()
    return str(value).strip()[:MAX_CELL_CHARACTERS]


def read_xlsx_rows(data: bytes, *, max_rows: int, max_unpacked: int = MAX_UNPACKED_BYTES) -> list[list[str]]:
    """The first sheet's rows as cell texts, an empty row kept as [] so that a row's place is its number in
    the spreadsheet (trailing empty rows dropped); at most `max_rows` non-empty ones: the caller learns there
    are more when it gets exactly `max_rows` (ask for one more than you accept)."""
    from openpyxl import load_workbook

    _check_archive(data, max_unpacked)
    rows = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            filled, blank = 0, 0
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                row = [_cell_text(value) for value in values[:MAX_COLUMNS]]
                if not any(row):
                    blank += 1
                    continue
                rows += [[] for _ in range(blank)] + [row]
                filled, blank = filled + 1, 0
                if filled >= max_rows:
                    break
        finally:
            workbook.close()
    except SpreadsheetError:
        raise
    except Exception:  # noqa: BLE001 - whatever a hostile workbook makes openpyxl raise is a refusal
        raise SpreadsheetError(_l("The XLSX file is damaged or is not a spreadsheet.")) from None
    return rows


MAX_COLUMNS = 20  # a class list has two; a row of 16,384 cells is not read
