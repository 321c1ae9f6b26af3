"""The theory scores import: preview judges every row against the teams; confirm writes the good rows
as imported scores; bad files and a stale preview write nothing."""
import io
import re
from decimal import Decimal

import xlsxwriter
from sqlalchemy import func, select

from academy.competitions import judging
from academy.competitions.models import TheoryScore
from academy.extensions import db
from tests.competitions.helpers import build_competition, team


def upload(client, module, data: bytes, name="成绩.csv"):
    return client.post("/admin/competitions/theory-import", data={"module": module.id, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def outcomes(page: str) -> list[str]:
    return re.findall(r'data-outcome="([a-z_]+)"', page)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(TheoryScore))


def _csv(rows):
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def _scene(make):
    world = build_competition(make)
    entry = team(make, world)
    first, second = (m.worker for m in entry.members)
    judging.enter_theory_score(world["theory"], world["admin"], worker_id=second.id, score=Decimal("70"))
    outsider = make.create_worker()
    db.session.commit()
    rows = [["姓名", "手机号", "成绩"],
            [first.name, first.phone, "88.5"],      # will be written
            [second.name, second.phone, "75"],      # replaces 70
            [outsider.name, outsider.phone, "90"],  # in no team
            ["某某", "13000000000", "60"],          # unknown
            ["别人", world["admin"].phone, "60"],   # name does not match
            [first.name, first.phone, "88.5"],      # duplicate
            [second.name, second.phone, "150"],     # above the maximum
            [second.name, second.phone, "abc"]]     # not a number
    return world, first, second, rows


def test_preview_judges_every_row_and_writes_nothing(client, make, login):
    world, _first, _second, rows = _scene(make)
    login(world["admin"])
    before = count()
    page = upload(client, world["theory"], _csv(rows)).get_data(as_text=True)
    assert outcomes(page) == ["will_write", "will_replace", "not_in_team", "unknown_person", "name_mismatch",
                              "duplicate", "invalid", "invalid"]
    assert count() == before


def test_confirm_writes_the_good_rows_as_imported(client, make, login):
    world, first, second, rows = _scene(make)
    login(world["admin"])
    page = upload(client, world["theory"], _csv(rows)).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/competitions/theory-import/confirm",
                           data={"token": token, "module": world["theory"].id})
    assert response.status_code == 302
    scores = {s.worker_id: (s.score, s.source) for s in db.session.scalars(select(TheoryScore))}
    assert scores[first.id] == (Decimal("88.5"), "imported") and scores[second.id] == (Decimal("75"), "imported")
    again = client.post("/admin/competitions/theory-import/confirm", data={"token": token, "module": world["theory"].id})
    assert again.status_code == 302 and count() == 2  # the preview is used up


def test_an_xlsx_file_is_read_too(client, make, login):
    world, first, _second, _rows = _scene(make)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for index, row in enumerate([["姓名", "手机号", "成绩"], [first.name, first.phone, "91"]]):
        sheet.write_row(index, 0, row)
    book.close()
    login(world["admin"])
    assert outcomes(upload(client, world["theory"], buffer.getvalue(), "成绩.xlsx").get_data(as_text=True)) == [
        "will_write"]


def test_a_file_that_is_no_table_is_refused(client, make, login):
    world, *_ = _scene(make)
    login(world["admin"])
    page = upload(client, world["theory"], b"\x00\x01binary").get_data(as_text=True)
    assert "data-outcome" not in page and count() == 1


def test_a_confirm_for_another_module_is_refused(client, make, login):
    world, *_ = _scene(make)
    login(world["admin"])
    response = client.post("/admin/competitions/theory-import/confirm", data={"token": "x" * 24,
                                                                               "module": world["case"].id})
    assert response.status_code == 400
