"""Reading evaluations: what a worker still has to answer, and the results (aggregated in SQL)."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import and_, case, exists, func, select

from academy.auth.models import User
from academy.core.models import now_utc
from academy.courses.models import Course, course_instructors
from academy.evaluations.models import DIMENSIONS, EvaluationAnswer, EvaluationTemplate
from academy.evaluations.operations import attended_condition, last_end
from academy.extensions import db
from academy.programmes.models import Programme


def pending_for(worker_id: int, now: datetime | None = None, limit: int = 5) -> list[tuple[int, str]]:
    """(course id, title) of the courses the worker attended, whose last session has ended, not yet
    evaluated: the banner on my learning (one statement)."""
    answered = exists().where(EvaluationAnswer.course_id == Course.id, EvaluationAnswer.worker_id == worker_id)
    return db.session.execute(
        select(Course.id, Course.title).where(attended_condition(Course.id, worker_id), ~answered,
                                              last_end(Course.id) <= (now or now_utc()))
        .order_by(Course.id.desc()).limit(limit)
    ).all()


@dataclass
class Summary:
    answers: int = 0
    averages: dict = field(default_factory=dict)  # dimension -> average (None without answers)
    distribution: dict = field(default_factory=dict)  # dimension -> [count of 1, ..., count of 5]


def _summary_columns():
    columns = [func.count(EvaluationAnswer.id)]
    for name in DIMENSIONS:
        column = getattr(EvaluationAnswer, name)
        columns.append(func.avg(column))
        columns += [func.sum(case((column == score, 1), else_=0)) for score in range(1, 6)]
    return columns


def _summary(row) -> Summary:
    summary, values = Summary(answers=row[0] or 0), list(row[1:])
    for index, name in enumerate(DIMENSIONS):
        chunk = values[index * 6:(index + 1) * 6]
        summary.averages[name] = round(float(chunk[0]), 2) if chunk[0] is not None else None
        summary.distribution[name] = [int(value or 0) for value in chunk[1:]]
    return summary


def course_summary(course_id: int) -> Summary:
    return _summary(db.session.execute(select(*_summary_columns()).where(EvaluationAnswer.course_id == course_id)).one())


def comments_query(course_id: int):
    """The comments, newest first, with the worker and the answer's version (names shown per version)."""
    return (select(EvaluationAnswer.comment, EvaluationAnswer.answered_at, User.name, EvaluationTemplate.names_to_admins)
            .join(User, User.id == EvaluationAnswer.worker_id)
            .join(EvaluationTemplate, EvaluationTemplate.id == EvaluationAnswer.template_id)
            .where(EvaluationAnswer.course_id == course_id, EvaluationAnswer.comment.is_not(None))
            .order_by(EvaluationAnswer.answered_at.desc(), EvaluationAnswer.id.desc()))


def report_query(group: str, starts: datetime, ends: datetime):
    """Answers in [starts, ends) per instructor (an answer counts for each instructor of its course) or per
    programme: name, number of answers, the four averages."""
    if group == "instructor":
        key = (User.id, User.name, User.name)
        joins = lambda query: (query.join(course_instructors, course_instructors.c.course_id == EvaluationAnswer.course_id)  # noqa: E731
                               .join(User, User.id == course_instructors.c.user_id))
    else:
        key = (Programme.id, Programme.name_zh, Programme.name_en)
        joins = lambda query: (query.join(Course, Course.id == EvaluationAnswer.course_id)  # noqa: E731
                               .join(Programme, Programme.id == Course.programme_id))
    averages = [func.avg(getattr(EvaluationAnswer, name)) for name in DIMENSIONS]
    query = select(*key, func.count(EvaluationAnswer.id), *averages).select_from(EvaluationAnswer)
    return (joins(query).where(and_(EvaluationAnswer.answered_at >= starts, EvaluationAnswer.answered_at < ends))
            .group_by(*key).order_by(key[1]))


def taught_query(instructor_id: int, starts: datetime, ends: datetime):
    """Per course the instructor teaches: id, code, title, answers in [starts, ends), the four averages."""
    averages = [func.avg(getattr(EvaluationAnswer, name)) for name in DIMENSIONS]
    return (select(Course.id, Course.code, Course.title, func.count(EvaluationAnswer.id), *averages)
            .join(EvaluationAnswer, EvaluationAnswer.course_id == Course.id)
            .join(course_instructors, course_instructors.c.course_id == Course.id)
            .where(course_instructors.c.user_id == instructor_id, EvaluationAnswer.answered_at >= starts,
                   EvaluationAnswer.answered_at < ends)
            .group_by(Course.id, Course.code, Course.title).order_by(Course.code))


class RowPagination(SelectPagination):
    """A page of rows (several columns each), where db.paginate gives the first column only."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def paginate_rows(statement, per_page: int) -> RowPagination:
    return RowPagination(select=statement, session=db.session, per_page=per_page, max_per_page=per_page,
                         error_out=False)
