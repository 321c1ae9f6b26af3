"""The shared machinery of spreadsheet imports (class lists, annual exam results): read CSV (UTF-8 or
GB18030) or XLSX judged by content, keep the upload under a generated name between the preview and the
confirmation, and the two steps themselves. Each importer brings its own parse, judge and apply."""
import csv
import io
import re
import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.core.spreadsheets import (
    MAX_CELL_CHARACTERS, MAX_COLUMNS, SpreadsheetError, read_xlsx_rows, spreadsheet_safe,
)
from academy.core.errors import OperationError
from academy.extensions import db

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def read_table(data: bytes, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    """Rows of cell texts from CSV or XLSX bytes, judged by content, not by file name."""
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > max_bytes:
        raise ImportFileError(_l("The file is larger than 2 MB."))
    if data.startswith(b"PK\x03\x04"):
        try:  # streamed within limits, reading stops past MAX_ROWS (a header and one more row tell)
            return read_xlsx_rows(data, max_rows=MAX_ROWS + 2)
        except SpreadsheetError as error:
            raise ImportFileError(error.args[0]) from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(_l("This is not a CSV or XLSX file."))
    return _read_csv(data)


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_l("The file's text encoding is not UTF-8 or GB18030."))
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows, filled, blank = [], 0, 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            row = [cell.strip()[:MAX_CELL_CHARACTERS] for cell in row[:MAX_COLUMNS]]
            if not any(row):
                blank += 1  # kept as [] before the next row: a row's place stays its number in the file
                continue
            rows += [[] for _ in range(blank)] + [row]
            filled, blank = filled + 1, 0
            if filled >= MAX_ROWS + 2:
                break
    except csv.Error:
        raise ImportFileError(_l("The CSV file is malformed.")) from None
    return rows


def data_rows(table: list[list[str]], key_column: int = 0, width: int = 2) -> list[tuple[int, list[str]]]:
    """(row number as the spreadsheet shows it, the row's cells padded to `width`) for each non-empty
    row; a first row whose key column holds no run of six digits (a phone or ID number) is a header and
    skipped."""
    rows = [(number, row) for number, row in enumerate(table, start=1) if any(cell for cell in row)]
    if rows and not re.search(r"\d{6,}", rows[0][1][key_column] if len(rows[0][1]) > key_column else ""):
        rows = rows[1:]  # header
    if not rows:
        raise ImportFileError(_l("The file has no rows to import."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_l("The file has more than %(count)d rows.", count=MAX_ROWS))
    return [(number, (row + [""] * width)[:width]) for number, row in rows]


def kept_upload(token: str) -> Path:
    """Where the upload previewed under `token` is kept (for a job that applies it later)."""
    return _upload_path(token)


def _upload_path(token: str) -> Path:
    if not TOKEN_PATTERN.match(token or ""):
        abort(400)
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.upload"


def preview(form, judge_bytes):
    """Step one: read and judge the uploaded file. Returns (rows, token) with the upload kept under the
    token (a generated name, outside static/), or None with the reason on the form's file field."""
    data = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    try:
        rows = judge_bytes(data)
    except ImportFileError as error:
        form.file.errors.append(str(error))
        return None
    token = secrets.token_urlsafe(18)
    _upload_path(token).write_bytes(data)
    return rows, token


def confirm(form, judge_bytes, apply, upload_endpoint: str, done, refused=None):
    """Step two: judge the kept file again against the database as it is now, apply the good rows in one
    transaction, forget the file (it holds personal data). `done(written, rows)` is the success message.
    `refused(rows)` gives (header, rows) of the rows not written, kept for a day as a CSV to download and
    mend: the upload page is then opened with `refused=<token>`."""
    if not form.validate_on_submit():
        abort(400)
    path = _upload_path(form.token.data)
    if not path.exists():
        flash(_("This preview has expired or was already used. Upload the file again."), "warning")
        return redirect(url_for(upload_endpoint))
    rows = judge_bytes(path.read_bytes())
    try:
        written = apply(rows)
    except OperationError as error:
        db.session.rollback()
        flash(_("Nothing was written: %(reason)s Upload the file again to see the current outcomes.",
                reason=error.message), "danger")
        return redirect(url_for(upload_endpoint))
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(done(written, rows), "success")
    left = refused(rows) if refused is not None else None
    if left and left[1]:
        token = secrets.token_urlsafe(18)
        _refused_path(token).write_text(_csv_text(*left), encoding="utf-8-sig")
        return redirect(url_for(upload_endpoint, refused=token))
    return redirect(url_for(upload_endpoint))


KEPT_FOR = 24 * 3600  # seconds a file of refused rows stays downloadable


def _refused_path(token: str) -> Path:
    path = _upload_path(token)
    return path.with_suffix(".refused.csv")


def refused_file(token: str | None) -> Path | None:
    """The kept file of refused rows named by the token, if it is still there (older ones are removed)."""
    if not token or not TOKEN_PATTERN.match(token):
        return None
    path = _refused_path(token)
    for old in path.parent.glob("*.refused.csv"):
        if time.time() - old.stat().st_mtime > KEPT_FOR:
            old.unlink(missing_ok=True)
    return path if path.exists() else None


def _csv_text(header: list, rows: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(cell) for cell in header])
    writer.writerows([[spreadsheet_safe(str(cell)) for cell in row] for row in rows])
    return buffer.getvalue()


def summary(rows, outcomes) -> dict:
    return {outcome: sum(row.outcome == outcome for row in rows) for outcome in outcomes}
