"""CSV (streamed, UTF-8 with BOM so Excel on Chinese Windows shows the text) and XLSX (XlsxWriter,
row by row in constant memory) for every report, list and registry export."""
import csv
import io
import tempfile
from datetime import date
from decimal import Decimal

import xlsxwriter
from flask import Response, send_file, stream_with_context

from flask_babel import gettext as _

from academy.core.database import needs_transaction
from academy.core.i18n import LOCAL_TZ
from academy.core.models import now_utc
from academy.core.masking import mask_phone, mask_resident_id
from academy.core.spreadsheets import WORKBOOK_OPTIONS, spreadsheet_safe


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


def csv_stream(filename: str, header: list, batches) -> Response:
    """Stream batches of ready rows as they are read: memory stays flat however long the list."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow([str(h) for h in header])
        for batch in batches:
            writer.writerows(batch)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate(0)
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}.csv"})


def csv_response(filename: str, header: list, rows) -> Response:
    """Rows of Python values (decimals, labels) written as Excel reads them."""
    return csv_stream(filename, header, ([[_cell(value) for value in row]] for row in rows))


def csv_export(session, filename: str, header: list, statement) -> Response:
    """A statement's final-form rows as CSV: on PostgreSQL written by the server itself (COPY ... TO
    STDOUT), elsewhere a batch at a time through the csv module. Both read back as the same rows."""
    if session.connection().dialect.name != "postgresql":
        return csv_stream(filename, header, driver_batches(session, statement))

    def generate():
        head = io.StringIO()
        csv.writer(head, lineterminator="\n").writerow([str(h) for h in header])  # COPY ends lines with \n too
        yield ("\ufeff" + head.getvalue()).encode()
        sql, params = _driver_sql(session.connection(), statement)
        raw = session.connection().connection.driver_connection
        buffer = bytearray()
        with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:  # nosec B608
            for row in copy:  # one row per block: sent on in pieces of 64 KiB
                buffer += row
                if len(buffer) > 64 * 1024:
                    yield bytes(buffer)
                    buffer.clear()
        yield bytes(buffer)

    return Response(stream_with_context(generate()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}.csv"})


def driver_batches(session, statement, batch: int = 5000):
    """The statement's rows exactly as the database driver returns them, a batch at a time from a
    server-side cursor where there is one: no per-value type processing, for exports of 100,000 rows.
    The statement must select its values in their final form (strings, numbers)."""
    connection = session.connection()
    needs_transaction(connection)  # a server-side cursor lives in a transaction
    sql, params = _driver_sql(connection, statement)
    result = connection.exec_driver_sql(sql, params, execution_options={"stream_results": True})
    yield from result.partitions(batch)


def _driver_sql(connection, statement) -> tuple:
    """The statement as the driver takes it: its SQL (lists in IN written out) and its parameters."""
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    return compiled.string, params


HEADER_ROW = 2  # below the title and the time of export


def xlsx_response(filename: str, sheet_title: str, header: list, rows, widths: list[int] | None = None,
                  ready: bool = False, title: str | None = None, percent_columns=()):
    """An XLSX as an office makes one (see write_xlsx), sent as a download."""
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(handle, sheet_title, header, rows, widths, ready, title=title, percent_columns=percent_columns)
    handle.seek(0)
    return send_file(handle, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"{filename}.xlsx")


def write_xlsx(handle, sheet_title: str, header: list, rows, widths: list[int] | None = None,
               ready: bool = False, title: str | None = None, percent_columns=()) -> int:
    """A title row (what and whose), the time of export, a styled header row that stays in view and
    filters, set column widths; rows written one by one to a binary file; returns the number of rows.
    Values in `percent_columns` are percentages (85.0) shown as 85.0%. `ready` rows hold only strings,
    numbers and None (driver rows), written without conversion."""
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False, **WORKBOOK_OPTIONS})
    sheet = workbook.add_worksheet(sheet_title[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#8C1C13", "font_color": "#FFFFFF", "border": 1})
    percent = workbook.add_format({"num_format": "0.0%"})
    for column, width in enumerate(widths or [16] * len(header)):
        sheet.set_column(column, column, width)
    sheet.write(0, 0, spreadsheet_safe(str(title or sheet_title)), workbook.add_format({"bold": True, "font_size": 14}))
    exported = now_utc().astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    sheet.write(1, 0, str(_("Exported %(time)s (Beijing time)", time=exported)))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.write_row(HEADER_ROW, 0, [str(h) for h in header], head)
    last = HEADER_ROW
    for last, row in enumerate(rows, start=HEADER_ROW + 1):
        if ready:
            sheet.write_row(last, 0, row)
            continue
        cells = [_xlsx_cell(value) for value in row]
        sheet.write_row(last, 0, cells)
        for column in percent_columns:
            if isinstance(cells[column], (int, float)):
                sheet.write_number(last, column, cells[column] / 100, percent)
    sheet.autofilter(HEADER_ROW, 0, last, max(len(header) - 1, 0))
    workbook.close()
    return last - HEADER_ROW


def write_csv(handle, header: list, batches) -> int:
    """Batches of ready rows as CSV (UTF-8 with BOM) to a binary file; returns the number of rows."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([str(h) for h in header])
    count = 0
    for batch in batches:
        writer.writerows(batch)
        count += len(batch)
    text.flush()
    text.detach()
    return count


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # translated labels and the like


def masked(phone, resident_id, full: bool) -> tuple[str, str]:
    """Personal data is masked unless a full export was asked for with a reason."""
    if full:
        return phone or "", resident_id or ""
    return mask_phone(phone), mask_resident_id(resident_id)
