"""Hand-built XLSX files for the importer's limits: the few parts a workbook needs, so that a test can
put in what no spreadsheet program would write (a 20 MB cell, a DOCTYPE, 200,000 rows)."""
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def cell(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_of(rows, *, prologue: str = "") -> bytes:
    """A workbook whose first sheet holds `rows` (iterables of cell texts, written as inline strings);
    `prologue` goes between the XML declaration and the sheet (a DOCTYPE, say)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(('<?xml version="1.0" encoding="UTF-8"?>' + prologue +
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                         ).encode())
            for row in rows:
                sheet.write(("<row>" + "".join(cell(text) for text in row) + "</row>").encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def huge_cell() -> bytes:
    """About 25 KB packed: one cell of 20 MB."""
    return xlsx_of([["13810000000", "A" * (20 * 1024 * 1024)]])


def many_rows(count: int = 200_000) -> bytes:
    return xlsx_of((f"138{index:08d}", "IMPORT-01") for index in range(count))


def with_doctype() -> bytes:
    return xlsx_of([["13810000000", "&x;"]], prologue='<!DOCTYPE worksheet [<!ENTITY x "IMPORT-01">]>')
