"""The dashboard's figures and chart series: three statements over the summary tables (the year's course
evaluations ride in the first)."""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import format_date
from sqlalchemy import String, cast, func, literal, select, true

from academy.auth.models import User, WorkerProfile
from academy.core.i18n import local_to_utc
from academy.courses.models import Course, course_instructors
from academy.evaluations.models import DIMENSIONS, EvaluationAnswer

from academy.programmes.names import reference_names
from academy.enrolment.models import SEATED_STATUSES, EnrolmentStatus
from academy.programmes.models import Programme, Tier
from academy.reports.models import EnrolmentTally as T
from academy.reports.models import MonthlyHours
from academy.reports.models import ReachTally as R
from academy.reports.models import WorkerTally

S = EnrolmentStatus


@dataclass
class Dashboard:
    year: int
    active_workers: int = 0
    enrolled: int = 0
    completion_rate: Decimal | None = None
    ce_rate: Decimal | None = None
    hours: Decimal = Decimal("0")
    by_programme: list = field(default_factory=list)   # (label, enrolled)
    by_tier: list = field(default_factory=list)        # (label, workers)
    by_subdistrict: list = field(default_factory=list)  # (label, completion rate)
    by_month: list = field(default_factory=list)       # (month, hours)
    # The year's course evaluations: (label, answers, average of the four scores out of 5)
    evaluations_by_programme: list = field(default_factory=list)
    evaluations_by_instructor: list = field(default_factory=list)  # the most answered first


def rate(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


PEOPLE = "*"  # the tier key of the row of head counts in _workers()


def _evaluations(year: int, in_street):
    """The year's evaluation answers (by the workers of the scope) per programme and per instructor of the
    course, keyed "programme:<code>" and "instructor:<id>:<name>": answers, the sum of their scores, 0."""
    starts, ends = (local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1)))
    scores = sum((getattr(EvaluationAnswer, name) for name in DIMENSIONS[1:]), getattr(EvaluationAnswer, DIMENSIONS[0]))

    def answers(key, *joins):
        query = (select(key, func.count(EvaluationAnswer.id), func.sum(scores), literal(0)).select_from(EvaluationAnswer)
                 .outerjoin(WorkerProfile, WorkerProfile.user_id == EvaluationAnswer.worker_id))
        for table, on in joins:
            query = query.join(table, on)
        return (query.where(EvaluationAnswer.answered_at >= starts, EvaluationAnswer.answered_at < ends,
                            in_street(WorkerProfile.subdistrict_id)).group_by(key))

    programme = literal("programme:") + Programme.code
    instructor = literal("instructor:") + cast(User.id, String) + literal(":") + User.name
    return [answers(programme, (Course, Course.id == EvaluationAnswer.course_id),
                    (Programme, Programme.id == Course.programme_id)),
            answers(instructor, (course_instructors, course_instructors.c.course_id == EvaluationAnswer.course_id),
                    (User, User.id == course_instructors.c.user_id))]


def _workers(session, year: int, in_street):
    """Workers reached per tier this year, the head counts (active workers, continuing education
    applicable, compliant) as one more row keyed PEOPLE, and the year's evaluations: one statement for all."""
    tiers = (select(R.tier, func.sum(R.workers), literal(0), literal(0))
             .where(R.programme_id == 0, R.tier != "", R.year == year, in_street(R.subdistrict_id))
             .group_by(R.tier))
    people = select(literal(PEOPLE), func.coalesce(func.sum(WorkerTally.active_workers), 0),
                    func.coalesce(func.sum(WorkerTally.ce_applicable), 0),
                    func.coalesce(func.sum(WorkerTally.ce_compliant), 0)).where(in_street(WorkerTally.subdistrict_id))
    return {key: numbers for key, *numbers in session.execute(tiers.union_all(people, *_evaluations(year, in_street)))}


def _average(answers, total) -> Decimal:
    return (Decimal(total) / (answers * len(DIMENSIONS))).quantize(Decimal("0.01"))


def _evaluation_panel(board: Dashboard, workers: dict, names, scoped: bool) -> None:
    """Split the evaluation rows off the head counts; a subdistrict's administrator sees a group's figures
    only from EVALUATION_MIN_ANSWERS answers, as an instructor does."""
    minimum = current_app.config["EVALUATION_MIN_ANSWERS"] if scoped else 1
    by_programme, by_instructor = {}, []
    for key in [key for key in workers if key.startswith(("programme:", "instructor:"))]:
        answers, total, _zero = workers.pop(key)
        if answers < minimum or not answers:
            continue
        kind, _sep, rest = key.partition(":")
        if kind == "programme":
            by_programme[rest] = (answers, _average(answers, total))
        else:
            by_instructor.append((rest.partition(":")[2], answers, _average(answers, total)))
    board.evaluations_by_programme = [(p.short_name, *by_programme[p.code]) for p in names.programmes
                                      if p.code in by_programme]
    board.evaluations_by_instructor = sorted(by_instructor, key=lambda row: (-row[1], row[0]))[:10]


def build_dashboard(session, year: int, subdistrict_id: int | None) -> Dashboard:
    board = Dashboard(year=year)
    in_street = (lambda column: column == subdistrict_id) if subdistrict_id else (lambda column: true())
    workers = _workers(session, year, in_street)
    names = reference_names()
    _evaluation_panel(board, workers, names, scoped=subdistrict_id is not None)
    board.active_workers, applicable, compliant = workers.pop(PEOPLE)
    board.ce_rate = rate(compliant, applicable)
    cells = session.execute(
        select(Programme.code, T.subdistrict_id,
               func.sum(T.count_of(*SEATED_STATUSES)), func.sum(T.completed), func.sum(T.not_completed),
               func.coalesce(func.sum(T.hours), 0))
        .join(Programme, Programme.id == T.programme_id).where(T.year == year, in_street(T.subdistrict_id))
        .group_by(Programme.code, T.subdistrict_id)).all()
    months = session.execute(
        select(MonthlyHours.month, func.sum(MonthlyHours.hours))
        .where(MonthlyHours.year == year, MonthlyHours.month > 0, in_street(MonthlyHours.subdistrict_id))
        .group_by(MonthlyHours.month)).all()

    by_programme, by_street = {}, {}
    completed = not_completed = 0
    for code, street, enrolled, done, failed, hours in cells:  # a few hundred summary rows at most
        by_programme[code] = by_programme.get(code, 0) + enrolled
        done_so_far, failed_so_far = by_street.get(street, (0, 0))
        by_street[street] = (done_so_far + done, failed_so_far + failed)
        board.enrolled += enrolled
        board.hours += Decimal(hours)
        completed, not_completed = completed + done, not_completed + failed
    board.completion_rate = rate(completed, completed + not_completed)
    board.by_programme = [(p.short_name, by_programme.get(p.code, 0)) for p in names.programmes]
    board.by_subdistrict = [(u.name, rate(by_street.get(u.id, (0, 0))[0], sum(by_street.get(u.id, (0, 0)))))
                            for u in names.subdistricts if subdistrict_id in (None, u.id)]
    by_month = {month: Decimal(hours) for month, hours in months}
    board.by_month = [(format_date(date(year, m, 1), "MMM"), by_month.get(m, Decimal("0"))) for m in range(1, 13)]

    board.by_tier = [(tier.label, workers.get(tier.value, (0,))[0]) for tier in Tier]
    return board
