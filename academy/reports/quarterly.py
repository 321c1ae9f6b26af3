"""The quarterly report to the District Committee Social Work Department: its figures, frozen as JSON
when the report is issued (academy.plans.models.QuarterlyReport keeps them with the documents made from
them, academy/reports/quarterly_documents.py).

Plan against actual per programme and subdistrict (as of the quarter's last day, or today within it), the
quarter's highlights (courses that started, hours credited by the courses ending in its months, course
certificates issued and not revoked, agreements signed in it and ending within 90 days after it) and the
continuing-education standing by subdistrict. Courses and certificates are counted through their indexes
(status and first day; issue time), the rest from the summary tables. The figures are in Chinese whatever the administrator's
language: the report goes to the district."""
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import and_, func, select

from academy.certificates.models import Certificate
from academy.core.i18n import LOCAL_TZ
from academy.courses.models import Course, CourseStatus
from academy.partners.models import Agreement
from academy.programmes.names import reference_names
from academy.reports.dashboard import rate
from academy.reports.models import MonthlyHours, WorkerTally
from academy.reports.plans_progress import progress_against_plans

EXPIRING_DAYS = 90
RUN = (CourseStatus.PUBLISHED, CourseStatus.CLOSED, CourseStatus.ARCHIVED)  # neither draft nor cancelled


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, after - timedelta(days=1)


def _number(value) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


def _plans(session, year: int, as_of: date) -> list:
    rows = []
    for item in progress_against_plans(session, year, None, as_of):
        plan = item.plan
        rows.append({
            "programme": plan.programme.name_zh, "code": plan.programme.code,
            "scope": plan.subdistrict.name_zh if plan.subdistrict else "全区",
            "share_due": _number((item.share_due * 100).quantize(Decimal("0.1"))),
            "status": item.status.value, "status_label": str(item.status.label),
            "targets": [{"name": row.name, "label": str(row.label), "planned": _number(row.target),
                         "actual": _number(row.actual), "reached": _number(row.share) if row.share is not None else "",
                         "due": _number(row.expected), "status": row.status.value,
                         "status_label": str(row.status.label), "rate": row.rate} for row in item.rows]})
    return rows


def _highlights(session, year: int, first: date, last: date) -> dict:
    start = datetime.combine(first, time(), LOCAL_TZ)
    end = datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ)
    courses = session.scalar(select(func.count(Course.id)).where(
        Course.status.in_(RUN), Course.starts_on.between(first, last)))
    hours = session.scalar(select(func.coalesce(func.sum(MonthlyHours.hours), 0)).where(
        MonthlyHours.year == year, MonthlyHours.month.between(first.month, last.month)))
    certificates = session.scalar(select(func.count(Certificate.id)).where(
        Certificate.issued_at >= start, Certificate.issued_at < end, Certificate.revoked_at.is_(None)))
    signed, expiring = session.execute(select(
        func.count(Agreement.id).filter(Agreement.signed_on.between(first, last)),
        func.count(Agreement.id).filter(and_(Agreement.effective_to > last,
                                             Agreement.effective_to <= last + timedelta(days=EXPIRING_DAYS))))).one()
    return {"courses": courses or 0, "hours": _number(Decimal(str(hours))),
            "certificates": certificates or 0, "agreements_signed": signed or 0, "agreements_expiring": expiring or 0}


def _standing(session) -> dict:
    by_street = {street: (applicable or 0, compliant or 0) for street, applicable, compliant in session.execute(
        select(WorkerTally.subdistrict_id, func.sum(WorkerTally.ce_applicable), func.sum(WorkerTally.ce_compliant))
        .group_by(WorkerTally.subdistrict_id))}
    streets = []
    for unit in reference_names().subdistricts:
        applicable, compliant = by_street.get(unit.id, (0, 0))
        found = rate(compliant, applicable)
        streets.append({"subdistrict": unit.name_zh, "applicable": applicable, "compliant": compliant,
                        "rate": _number(found) if found is not None else ""})
    applicable = sum(value[0] for value in by_street.values())
    compliant = sum(value[1] for value in by_street.values())
    total = rate(compliant, applicable)
    return {"applicable": applicable, "compliant": compliant, "rate": _number(total) if total is not None else "",
            "subdistricts": streets}


def quarterly_figures(session, year: int, quarter: int, text: str, today: date) -> dict:
    """Everything the report shows, as plain JSON-ready values (in Chinese)."""
    first, last = quarter_bounds(year, quarter)
    as_of = min(today, last)
    with force_locale("zh_CN"):
        plans = _plans(session, year, as_of)
    return {"year": year, "quarter": quarter, "first": first.isoformat(), "last": last.isoformat(),
            "as_of": as_of.isoformat(), "text": text, "plans": plans,
            "highlights": _highlights(session, year, first, last), "standing": _standing(session)}


def frozen(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, sort_keys=True)
