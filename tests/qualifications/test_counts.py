"""The counts page against a raw Python count over generated data, and a subdistrict administrator's view."""
import random
import re
from decimal import Decimal

from sqlalchemy import select

from academy.auth.enums import Qualification
from academy.auth.models import User
from academy.core.permissions import Role
from academy.programmes.names import subdistrict_refs
from academy.extensions import db
from academy.qualifications.counts import build_counts, holder_rows, year_rows
from academy.qualifications.models import LEVELS, QualificationRecord, RecordStatus
from tests.qualifications.helpers import add_record

STREETS = ("110101001000", "110101003000", "110101016000")


def generate(make, seed=7):
    rng = random.Random(seed)
    units = [make.create_unit(parent=make.subdistrict(code)) for code in STREETS]
    for index in range(36):
        worker = make.create_worker(work_unit=units[index % 3], qualification=Qualification.NONE,
                                    active=index % 11 != 4)
        for level in LEVELS:
            if rng.random() < 0.45:
                status = rng.choice([RecordStatus.VERIFIED] * 3 + [RecordStatus.DECLARED, RecordStatus.REFUSED,
                                                                   RecordStatus.REVOKED])
                add_record(worker, level, number=f"GEN-{worker.id}-{level.rank}", year=rng.randint(2015, 2025),
                           status=status)


def raw():
    """The same figures counted in Python from every row."""
    workers = db.session.scalars(select(User).where(User.role == Role.WORKER)).all()
    records = db.session.scalars(select(QualificationRecord)).all()
    verified = [r for r in records if r.status == RecordStatus.VERIFIED]
    holders, workers_in = {}, {}
    for worker in workers:
        if not worker.active:
            continue
        street = worker.profile.subdistrict_id
        workers_in[street] = workers_in.get(street, 0) + 1
        levels = [r.level for r in verified if r.worker_id == worker.id]
        if levels:
            top = max(levels, key=lambda level: level.rank)
            holders[(street, top)] = holders.get((street, top), 0) + 1
    street_of = {w.id: w.profile.subdistrict_id for w in workers}
    per_year = {}
    for r in verified:
        per_year[(r.exam_year, r.level)] = per_year.get((r.exam_year, r.level), 0) + 1
    per_year_street = {}
    for r in verified:
        key = (street_of[r.worker_id], r.exam_year, r.level)
        per_year_street[key] = per_year_street.get(key, 0) + 1
    return holders, workers_in, per_year, per_year_street


def test_counts_equal_a_raw_count(make):
    generate(make)
    holders, workers_in, per_year, per_year_street = raw()
    target = make.subdistrict(STREETS[1]).id
    counts = build_counts(holder_rows(db.session), year_rows(db.session), subdistrict_refs(), target, 2026)
    for row in counts.streets:
        assert row.workers == workers_in.get(row.id, 0)
        for level in LEVELS:
            assert row.holders[level] == holders.get((row.id, level), 0)
    assert counts.district.certified == sum(holders.values())
    assert counts.district.workers == sum(workers_in.values())
    for row in counts.years:
        for level in LEVELS:
            assert row.new[level] == per_year.get((row.year, level), 0)
            assert row.cumulative[level] == sum(n for (y, lv), n in per_year.items() if lv == level and y <= row.year)
            before = per_year.get((row.year - 1, level), 0)
            if row.year > counts.years[0].year and before:
                expected = (Decimal(per_year.get((row.year, level), 0) - before) * 100 / before).quantize(Decimal("0.1"))
                assert row.change[level] == expected
    for row in counts.street_years:
        for level in LEVELS:
            assert row.new[level] == per_year_street.get((target, row.year, level), 0)
    certified = {street: sum(n for (s, _), n in holders.items() if s == street) for street in workers_in}
    for row in counts.streets:
        assert row.rank == 1 + sum(1 for other in counts.streets if other.certified > row.certified)
        if row.workers:
            assert row.share == (Decimal(certified.get(row.id, 0)) * 100 / row.workers).quantize(Decimal("0.1"))


def test_year_on_year_change_and_cumulative_on_a_small_case(make):
    worker = make.create_worker()
    for index in range(2):
        add_record(make.create_worker(), Qualification.ASSISTANT, number=f"Y23-{index}", year=2023)
    for index in range(3):
        add_record(make.create_worker(), Qualification.ASSISTANT, number=f"Y24-{index}", year=2024)
    add_record(worker, Qualification.ASSISTANT, number="Y25-0", year=2025, status=RecordStatus.DECLARED)
    counts = build_counts(holder_rows(db.session), year_rows(db.session), subdistrict_refs(), None, 2025)
    rows = {row.year: row for row in counts.years}
    assert rows[2024].new[Qualification.ASSISTANT] == 3 and rows[2024].change[Qualification.ASSISTANT] == Decimal("50.0")
    assert rows[2024].cumulative[Qualification.ASSISTANT] == 5
    assert rows[2025].new[Qualification.ASSISTANT] == 0 and rows[2025].change[Qualification.ASSISTANT] == Decimal("-100.0")


def test_the_page_shows_the_table_and_a_chart_per_level(client, make, login):
    generate(make, seed=3)
    login(make.create_admin())
    page = client.get("/admin/qualifications/counts").get_data(as_text=True)
    charts = page.split("<main", 1)[1].count("<svg")  # the page's own, not the bar's bell
    assert charts == 3 and 'id="holders"' in page and 'id="district-years"' in page
    assert "助理社会工作师：每年新取得证书" in page


def test_a_subdistrict_administrator_sees_their_subdistrict_beside_the_district(client, make, login):
    generate(make, seed=5)
    home = make.subdistrict(STREETS[0])
    login(make.create_street_admin(street=home))
    page = client.get("/admin/qualifications/counts").get_data(as_text=True)
    rows = re.findall(r'<tr data-street="([^"]+)"', page)
    assert rows == [str(home.id), "district"]
    assert 'id="street-years"' in page and 'id="district-years"' in page and "scope-certified" in page
