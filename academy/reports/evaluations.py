"""Course evaluations beside the progress report's rows, for its exports: per cell of the report's dimensions
(programme, tier, year of the course; subdistrict and qualification level of the worker who answered) and
under its filters, the number of answers and the average of each score, in one statement."""
from decimal import Decimal

from sqlalchemy import Integer, cast, extract, func, select

from academy.auth.models import WorkerProfile
from academy.courses.models import Course
from academy.evaluations.models import DIMENSIONS, EvaluationAnswer
from academy.programmes.models import Programme
from academy.reports.queries import ReportFilters

COLUMNS = {"programme": Programme.code, "tier": Programme.tier, "subdistrict": WorkerProfile.subdistrict_id,
           "qualification": WorkerProfile.qualification, "year": cast(extract("year", Course.starts_on), Integer)}


def _key(value):
    return str(value.value) if hasattr(value, "value") else value


def evaluation_cells(session, dimensions: list[str], filters: ReportFilters, *, minimum: int = 1) -> dict:
    """{cell keys (as the report's rows hold them; () for the whole): (answers, [average per score])}; the
    averages of a cell with fewer than `minimum` answers are left out (None), as instructors see them."""
    grouped = [COLUMNS[name] for name in dimensions]
    query = (select(*grouped, func.count(EvaluationAnswer.id),
                    *[func.avg(getattr(EvaluationAnswer, name)) for name in DIMENSIONS])
             .select_from(EvaluationAnswer)
             .join(Course, Course.id == EvaluationAnswer.course_id)
             .join(Programme, Programme.id == Course.programme_id)
             .outerjoin(WorkerProfile, WorkerProfile.user_id == EvaluationAnswer.worker_id))
    query = filters.apply(query)
    cells = {}
    for row in session.execute(query.group_by(*grouped) if grouped else query):
        keys, answers, averages = tuple(_key(k) for k in row[:len(grouped)]), row[len(grouped)] or 0, row[len(grouped) + 1:]
        shown = answers >= max(minimum, 1)
        cells[keys] = (answers, [Decimal(str(value)).quantize(Decimal("0.01")) if shown and value is not None else None
                                 for value in averages])
    return cells
