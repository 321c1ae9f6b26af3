"""Answering a course evaluation, versioning the questionnaire and inviting the workers who attended."""
from datetime import datetime, timedelta, timezone

from flask import url_for

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from academy.attendance.models import ATTENDED, AttendanceMark
from academy.audit.operations import record
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.courses.models import Course, CourseSession
from academy.enrolment.models import Enrolment
from academy.evaluations.models import (
    DEFAULT_WORDING, DIMENSIONS, EvaluationAnswer, EvaluationInvitation, EvaluationTemplate,
)
from academy.extensions import db
from academy.notifications.operations import notify


def current_template() -> EvaluationTemplate:
    """The newest version; before any is saved, the standard questionnaire (saved with the first answer)."""
    newest = db.session.scalar(select(EvaluationTemplate).order_by(EvaluationTemplate.version.desc()).limit(1))
    return newest or EvaluationTemplate(version=1, names_to_admins=False, **DEFAULT_WORDING)


def new_version(*, actor, names_to_admins: bool, **wording) -> EvaluationTemplate:
    """Administrators change the questionnaire by saving a new version; answers keep the one they had."""
    latest = db.session.scalar(select(func.max(EvaluationTemplate.version))) or 0
    template = EvaluationTemplate(version=latest + 1, names_to_admins=names_to_admins, created_by_id=actor.id,
                                  **{key: wording[key] for key in DEFAULT_WORDING})
    db.session.add(template)
    db.session.flush()
    record("evaluation.template", template, actor=actor, version=template.version)
    return template


def attended_condition(course_id, worker_id):
    """The worker was marked as attending at least one session of the course."""
    return exists().where(AttendanceMark.enrolment_id == Enrolment.id, Enrolment.course_id == course_id,
                          Enrolment.worker_id == worker_id, AttendanceMark.mark.in_(ATTENDED))


def last_end(course_id):
    return select(func.max(CourseSession.ends_at)).where(CourseSession.course_id == course_id).scalar_subquery()


def refusal(course: Course, worker_id: int, now: datetime | None = None):
    """Why the worker cannot evaluate the course now, or None (one statement)."""
    ends, attended, answered = db.session.execute(select(
        last_end(course.id), attended_condition(course.id, worker_id),
        exists().where(EvaluationAnswer.course_id == course.id, EvaluationAnswer.worker_id == worker_id))).one()
    if answered:
        return _l("You have already evaluated this course.")
    if not attended:
        return _l("Only workers who attended the course can evaluate it.")
    if ends is None or (now or now_utc()) < _aware(ends):
        return _l("The evaluation opens after the course's last session.")
    return None


def _aware(moment: datetime) -> datetime:
    """max() of a UTC column comes back without its zone on SQLite."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def answer(course: Course, worker, *, scores: dict[str, int], comment: str | None,
           now: datetime | None = None) -> EvaluationAnswer:
    reason = refusal(course, worker.id, now)
    if reason is not None:
        raise OperationError(reason)
    if set(scores) != set(DIMENSIONS) or any(not 1 <= int(value) <= 5 for value in scores.values()):
        raise OperationError(_l("Give every question a score from 1 to 5."))
    template = current_template()
    if template.id is None:
        db.session.add(template)
        db.session.flush()
    entry = EvaluationAnswer(course_id=course.id, worker_id=worker.id, template_id=template.id,
                             comment=comment or None, answered_at=now or now_utc(), **scores)
    db.session.add(entry)
    db.session.flush()
    record("evaluation.answer", entry, actor=worker, course=course.code, version=template.version)
    return entry


def invite(course: Course, now: datetime | None = None) -> int:
    """Ask every worker who attended, once, after the last session; returns how many were asked."""
    now = now or now_utc()
    if not course.sessions or now < course.sessions[-1].ends_at:
        return 0
    invited = select(EvaluationInvitation.worker_id).where(EvaluationInvitation.course_id == course.id)
    workers = db.session.scalars(
        select(Enrolment.worker_id).where(Enrolment.course_id == course.id,
                                          attended_condition(course.id, Enrolment.worker_id),
                                          Enrolment.worker_id.not_in(invited)).distinct()).all()
    for worker_id in workers:
        db.session.add(EvaluationInvitation(course_id=course.id, worker_id=worker_id, invited_at=now))
        notify(worker_id, "evaluation_invited", link=_form_link(course), course=course.title)
    db.session.flush()
    return len(workers)


def _form_link(course: Course) -> str:
    try:
        return url_for("evaluations.answer_form", course_id=course.id)
    except RuntimeError:  # outside a request (the scheduler's command)
        return f"/learning/evaluations/{course.id}"


def invite_due(now: datetime | None = None, days: int = 30) -> int:
    """Invitations for every course whose last session ended in the last `days` days (for the scheduler)."""
    now = now or now_utc()
    ended = (select(CourseSession.course_id).group_by(CourseSession.course_id)
             .having(func.max(CourseSession.ends_at) <= now, func.max(CourseSession.ends_at) >= now - timedelta(days=days)))
    return sum(invite(course, now) for course in db.session.scalars(select(Course).where(Course.id.in_(ended))))


def may_download_certificate(course: Course | None, worker_id: int) -> bool:
    """False only when the course asks for the evaluation first and the worker has not answered it."""
    if course is None or not course.evaluation_before_certificate:
        return True
    return bool(db.session.scalar(select(exists().where(EvaluationAnswer.course_id == course.id,
                                                        EvaluationAnswer.worker_id == worker_id))))
