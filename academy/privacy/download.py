"""A person's data as files: JSON (every table, every column given out) and XLSX (a sheet a table)."""
import io
import json

import xlsxwriter

from academy.core.spreadsheets import WORKBOOK_OPTIONS, spreadsheet_safe


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return spreadsheet_safe(str(value))


def as_xlsx(data: dict) -> io.BytesIO:
    """One sheet a table that holds rows of the person (its name the table's, cut to Excel's 31
    characters), the columns as headers, a frozen header row."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "in_memory": True})
    bold = workbook.add_format({"bold": True})
    for table, rows in data["tables"].items():
        if not rows:
            continue
        sheet = workbook.add_worksheet(table[:31])
        columns = list(rows[0])
        sheet.write_row(0, 0, columns, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [_cell(row[column]) for column in columns])
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, len(columns) - 1, 18)
    if not workbook.worksheets():
        workbook.add_worksheet("users")
    workbook.close()
    buffer.seek(0)
    return buffer
