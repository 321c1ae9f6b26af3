"""Finding 8 of the pen test (issue 27): the XLSX import parsed the whole workbook before its limits
(a 25 KB file with a 20 MB cell: 2.8 s; 200,000 rows: 7.5 s before "over 5,000 rows"), and a
DOCTYPE answered 500. Now the unpacked size is capped before parsing, declarations are refused, and
rows are streamed and no more read than the limit needs."""
from pathlib import Path

import pytest

from academy.core import spreadsheets
from academy.core.imports import MAX_ROWS, ImportFileError, read_table
from academy.enrolment.importer import parse_rows
from tests.enrolment.test_import import enrolment_count, upload
from tests.enrolment.xlsx_files import huge_cell, many_rows, with_doctype, xlsx_of


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if openpyxl is asked to open the workbook at all."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.parametrize(("build", "message"), [
    (huge_cell, "XLSX 文件解压后超过 4 MB"),
    (many_rows, "XLSX 文件解压后超过 4 MB"),
    (with_doctype, "XLSX 文件含有文档类型声明（DOCTYPE）"),
])
def test_bombs_are_refused_before_any_parsing_and_nothing_is_stored(client, make, login, app, no_parsing, build,
                                                                     message):
    login(make.create_admin())
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    before, enrolled = (set(folder.glob("*")) if folder.exists() else set()), enrolment_count()
    response = upload(client, build(), "名单.xlsx")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert (set(folder.glob("*")) if folder.exists() else set()) == before and enrolment_count() == enrolled


def test_an_entity_declared_anywhere_in_any_part_is_refused(no_parsing):
    data = xlsx_of([["13810000000", "IMPORT-01"]] * 3000, prologue="<!-- " + "x" * 70_000 + " --><!ENTITY y 'z'>")
    with pytest.raises(ImportFileError, match="DOCTYPE"):
        read_table(data)


def test_rows_are_streamed_and_reading_stops_past_the_limit(monkeypatch):
    read = []
    real = spreadsheets._cell_text
    monkeypatch.setattr(spreadsheets, "_cell_text", lambda value: read.append(value) or real(value))
    data = many_rows(20_000)  # 2.2 MB unpacked: under the cap, four times the rows allowed
    with pytest.raises(ImportFileError, match="5000"):
        parse_rows(read_table(data))
    assert len(read) == 2 * (MAX_ROWS + 2)  # two cells a row, a header's worth past the limit, no more


def test_a_list_at_the_limit_is_read_whole():
    rows = read_table(xlsx_of([("手机号", "课程代码")] + [(f"138{index:08d}", "IMPORT-01") for index in range(MAX_ROWS)]))
    assert len(parse_rows(rows)) == MAX_ROWS


def test_long_cells_and_wide_rows_are_cut():
    rows = read_table(xlsx_of([["13810000000", "X" * 5000] + ["y"] * 100]))
    assert rows == [["13810000000", "X" * 200] + ["y"] * 18]
