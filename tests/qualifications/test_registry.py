"""/admin/qualifications: filters, pending first, pages, masked exports, a subdistrict administrator's
scope."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.qualifications.models import RecordStatus
from academy.qualifications.queries import RegistryFilters, registry_query
from tests.qualifications.helpers import add_record

ID = "110105198803150029"


def world(make):
    home, away = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    ann = make.create_worker(name="安静", work_unit=make.create_unit(parent=home), resident_id=ID)
    bo = make.create_worker(name="薄明", work_unit=make.create_unit(parent=away))
    records = {
        "ann_assistant": add_record(ann, Qualification.ASSISTANT, number="REG-A-2015", year=2015),
        "ann_intermediate": add_record(ann, Qualification.SOCIAL_WORKER, number="REG-Z-2020", year=2020,
                                       status=RecordStatus.DECLARED),
        "bo_assistant": add_record(bo, Qualification.ASSISTANT, number="REG-A-2020", year=2020),
        "bo_refused": add_record(bo, Qualification.SOCIAL_WORKER, number="REG-Z-2021", year=2021,
                                 status=RecordStatus.REFUSED),
    }
    return home, away, records


def numbers(page: str, candidates=("REG-A-2015", "REG-Z-2020", "REG-A-2020", "REG-Z-2021")) -> list[str]:
    """The certificate numbers on the page, in the order shown."""
    return [number for _, number in sorted((page.index(n), n) for n in candidates if n in page)]


def test_pending_first_then_the_newest(client, make, login):
    world(make)
    login(make.create_admin())
    page = client.get("/admin/qualifications").get_data(as_text=True)
    assert numbers(page) == ["REG-Z-2020", "REG-Z-2021", "REG-A-2020", "REG-A-2015"]
    assert ID not in page and "110***********0029" in page


def test_a_registry_page_is_read_in_the_order_of_its_index_not_sorted(make):
    """The order by the index on the same expression: without it every record of the district is sorted
    for each page of 50 (PostgreSQL chooses by cost, so SQLite's plan is the one asserted)."""
    world(make)
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL picks the index by the table's size")
    statement = registry_query(RegistryFilters()).limit(50).compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
    assert "ix_qualification_records_registry_order" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_filters_by_level_subdistrict_year_and_status(client, make, login):
    home, away, _ = world(make)
    login(make.create_admin())
    assert numbers(client.get("/admin/qualifications?level=assistant").get_data(as_text=True)) == ["REG-A-2020", "REG-A-2015"]
    assert numbers(client.get(f"/admin/qualifications?subdistrict={away.id}").get_data(as_text=True)) == [
        "REG-Z-2021", "REG-A-2020"]
    assert numbers(client.get("/admin/qualifications?year=2020").get_data(as_text=True)) == ["REG-Z-2020", "REG-A-2020"]
    assert numbers(client.get("/admin/qualifications?status=refused").get_data(as_text=True)) == ["REG-Z-2021"]
    # a bad filter is dropped, never an error page
    assert len(numbers(client.get("/admin/qualifications?level=grandmaster&year=abc").get_data(as_text=True))) == 4


def test_a_subdistrict_administrator_sees_only_their_subdistrict_whatever_they_ask(client, make, login):
    home, away, _ = world(make)
    login(make.create_street_admin(street=home))
    assert numbers(client.get("/admin/qualifications").get_data(as_text=True)) == ["REG-Z-2020", "REG-A-2015"]
    assert numbers(client.get(f"/admin/qualifications?subdistrict={away.id}").get_data(as_text=True)) == [
        "REG-Z-2020", "REG-A-2015"]
    exported = client.get(f"/admin/qualifications?format=csv&subdistrict={away.id}").get_data(as_text=True)
    assert "REG-A-2020" not in exported and "REG-A-2015" in exported


def test_pages_of_fifty(client, make, login):
    worker = make.create_worker()
    for index in range(55):
        add_record(worker, number=f"PAGE-{index:03d}", year=2010 + index % 10)
    login(make.create_admin())
    first = client.get("/admin/qualifications").get_data(as_text=True)
    second = client.get("/admin/qualifications?page=2").get_data(as_text=True)
    assert first.count("PAGE-") == 50 and second.count("PAGE-") == 5
    assert "共 55 份证书" in first


def test_exports_are_masked_and_keep_text_as_text(client, make, login):
    world(make)
    make_formula = make.create_worker(name="=HYPERLINK(\"x\")")
    add_record(make_formula, number="REG-F-2019", year=2019)
    login(make.create_admin())
    response = client.get("/admin/qualifications?format=csv&status=verified")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["姓名", "居民身份证号", "街道"]
    body = {row[4]: row for row in rows[1:]}
    assert set(body) == {"REG-A-2015", "REG-A-2020", "REG-F-2019"}
    assert body["REG-A-2015"][1] == "110***********0029" and ID not in response.get_data(as_text=True)
    assert body["REG-F-2019"][0].startswith("'=")
    xlsx = client.get("/admin/qualifications?format=xlsx&level=assistant")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]  # below the title and time
    assert {row[4] for row in values[1:]} == {"REG-A-2015", "REG-A-2020", "REG-F-2019"}
    assert ID not in str(values)
