"""Course evaluations (课程评估): a versioned questionnaire, one answer per worker and course, and the
invitations sent once a course's last session has ended."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, now_utc
from academy.courses.models import Course
from academy.extensions import db

EVALUATIONS = "evaluations"  # the family of kept results that show evaluation results (the dashboard)
DIMENSIONS = ("content", "instructor", "organisation", "usefulness")
DIMENSION_LABELS = {
    "content": _l("Content"),
    "instructor": _l("Instructor"),
    "organisation": _l("Organisation"),
    "usefulness": _l("Usefulness for my work"),
}
DEFAULT_WORDING = {
    "intro": "请根据您的真实感受评价本课程（1 分最低，5 分最高）。",
    "q_content": "课程内容是否充实、准确？",
    "q_instructor": "讲师的讲授是否清楚、有启发？",
    "q_organisation": "课程组织（时间、场地、通知）是否妥当？",
    "q_usefulness": "所学内容对您的工作是否有用？",
    "comment_prompt": "意见和建议（选填）",
}


class EvaluationTemplate(IdMixin, db.Model):
    """One version of the questionnaire; a change is a new version, so that past answers keep theirs."""

    __tablename__ = "evaluation_templates"
    __feeds__ = Feeds()  # shown on live pages only
    __personal__ = Personal()

    version: Mapped[int] = mapped_column(unique=True)
    intro: Mapped[str] = mapped_column(Text)
    q_content: Mapped[str] = mapped_column(String(200))
    q_instructor: Mapped[str] = mapped_column(String(200))
    q_organisation: Mapped[str] = mapped_column(String(200))
    q_usefulness: Mapped[str] = mapped_column(String(200))
    comment_prompt: Mapped[str] = mapped_column(String(200))
    names_to_admins: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def question(self, dimension: str) -> str:
        return getattr(self, f"q_{dimension}")


class EvaluationAnswer(IdMixin, db.Model):
    __tablename__ = "evaluation_answers"
    __feeds__ = Feeds(owner="worker_id", families=(EVALUATIONS,))  # the dashboard's evaluations panel
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        UniqueConstraint("course_id", "worker_id"),
        *(CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"{name}_1_to_5") for name in DIMENSIONS),
    )

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("evaluation_templates.id"), index=True)
    content: Mapped[int] = mapped_column(SmallInteger)
    instructor: Mapped[int] = mapped_column(SmallInteger)
    organisation: Mapped[int] = mapped_column(SmallInteger)
    usefulness: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    course: Mapped[Course] = relationship()
    worker: Mapped[User] = relationship()
    template: Mapped[EvaluationTemplate] = relationship()


class EvaluationInvitation(IdMixin, db.Model):
    """The one invitation a worker gets to evaluate a course they attended."""

    __tablename__ = "evaluation_invitations"
    __feeds__ = Feeds()  # the notification it sends is what the worker sees
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (UniqueConstraint("course_id", "worker_id"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
