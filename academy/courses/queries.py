"""Read helpers: the public catalogue, a course with everything its page shows, my courses."""
import calendar
from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from academy.auth.models import User
from academy.core.i18n import local_today
from academy.core.models import now_utc
from academy.courses.models import (
    Course, CourseSession, CourseStatus, course_instructors, course_prerequisites, course_subdistricts,
)
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.programmes.models import Programme

PAGE_SIZE = 20


@dataclass(frozen=True)
class CatalogueFilters:
    q: str | None = None
    programme: str | None = None  # programme slug
    tier: str | None = None
    mode: str | None = None
    subdistrict_id: int | None = None
    month: str | None = None  # YYYY-MM
    available: bool = False


def catalogue_query(filters: CatalogueFilters):
    """Published courses matching the filters, soonest first, with their programme loaded."""
    query = (
        select(Course)
        .join(Course.programme)
        .options(contains_eager(Course.programme))
        .where(Course.status == CourseStatus.PUBLISHED)
    )
    if filters.programme:
        query = query.where(Programme.code == filters.programme.upper())
    if filters.tier:
        query = query.where(Programme.tier == filters.tier)
    if filters.mode:
        query = query.where(Course.mode == filters.mode)
    if filters.subdistrict_id:
        query = query.where(
            or_(~Course.subdistricts.any(), Course.subdistricts.any(OrgUnit.id == filters.subdistrict_id))
        )
    if filters.month:
        year, month = (int(part) for part in filters.month.split("-"))
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        query = query.where(Course.starts_on.between(first, last))
    if filters.available:  # can enrol now: a free seat, the window open, the course not over
        now = now_utc()
        query = query.where(Course.seats_taken < Course.capacity,
                            or_(Course.enrol_opens_at.is_(None), Course.enrol_opens_at <= now),
                            or_(Course.enrol_closes_at.is_(None), Course.enrol_closes_at > now),
                            or_(Course.ends_on.is_(None), Course.ends_on >= local_today()))
    for alternatives in search_terms(filters.q or ""):  # every word, each by any of its names, in title or summary
        query = query.where(or_(*(column.icontains(word, autoescape=True)
                                  for word in alternatives for column in (Course.title, Course.summary))))
    return query.order_by(Course.starts_on.asc().nulls_last(), Course.id)


# Words the district writes two ways; a search for either finds both.
SYNONYMS = (("社工", "社会工作"), ("社工师", "社会工作师"), ("个案", "个案工作"), ("小组", "小组工作"),
            ("老年", "养老", "为老"), ("儿童", "未成年人"), ("残疾", "残障", "助残"), ("心理", "心理健康"))


def search_terms(text: str) -> list[tuple[str, ...]]:
    """The words of a search (split on spaces, full-width ones too), each with the other names it goes by."""
    terms = []
    for word in text.replace("\u3000", " ").split()[:8]:
        names = {word}
        for group in SYNONYMS:
            if any(name in word.lower() for name in group):  # the word names one of them (社工, 社工们, 社会工作者)
                names.update(group)
        terms.append(tuple(sorted(names)))
    return terms


# Made once: the same aliases make the same statement, which SQLAlchemy then compiles only once.
_COURSE_PAGE_ALIASES = (aliased(OrgUnit), aliased(Course), aliased(User))


def load_course(course_id: int, *, page: bool = True) -> Course | None:
    """A course with everything its page shows, in a fixed number of queries; with page=False only
    what the enrolment rules read (an enrol request need not load every session).

    The course's few instructors, subdistricts and prerequisites come in the same query through flat
    LEFT JOINs along the association tables. (joinedload nests each pair of joins in parentheses, which
    SQLite answers by materialising the whole association table on every call, growing with the
    number of courses; docs/performance.md has the figures.)"""
    subdistrict, prerequisite, instructor = _COURSE_PAGE_ALIASES
    query = (select(Course).where(Course.id == course_id)
             .outerjoin(course_subdistricts, course_subdistricts.c.course_id == Course.id)
             .outerjoin(subdistrict, subdistrict.id == course_subdistricts.c.org_unit_id)
             .outerjoin(course_prerequisites, course_prerequisites.c.course_id == Course.id)
             .outerjoin(prerequisite, prerequisite.id == course_prerequisites.c.prerequisite_id)
             .options(joinedload(Course.programme),
                      contains_eager(Course.subdistricts.of_type(subdistrict)),
                      contains_eager(Course.prerequisites.of_type(prerequisite))))
    order = [subdistrict.code, prerequisite.code]
    if page:
        query = (query.outerjoin(course_instructors, course_instructors.c.course_id == Course.id)
                 .outerjoin(instructor, instructor.id == course_instructors.c.user_id)
                 .options(contains_eager(Course.instructors.of_type(instructor)), joinedload(Course.practice_base),
                          selectinload(Course.sessions).joinedload(CourseSession.instructor)))
        order.insert(0, instructor.name)
    # Every row read (one per instructor x subdistrict x prerequisite) fills the collections.
    return db.session.scalars(query.order_by(*order)).unique().one_or_none()


def get_course_or_404(course_id: int, *, editable: bool = False, page: bool = True) -> Course:
    """The course with what its pages show (see load_course); 404 when missing (or a draft the user may
    not see), 403 when `editable` and the signed-in user is not one of its instructors or an administrator."""
    course = load_course(course_id, page=page)
    if course is None:
        abort(404)
    may_edit = course.can_edit(current_user)
    if editable and not may_edit:
        abort(403)
    if not (course.is_public or may_edit):
        abort(404)
    return course


def upcoming_courses_of_programme(programme: Programme, limit: int = 10) -> list[Course]:
    """A programme's published courses, upcoming first (by first day), for its page."""
    today = local_today()
    return db.session.scalars(
        select(Course)
        .where(Course.programme_id == programme.id, Course.status == CourseStatus.PUBLISHED)
        .order_by((Course.starts_on < today).asc(), Course.starts_on.asc(), Course.id)
        .limit(limit)
    ).all()


def courses_taught_by(user, *, include_all: bool = False):
    """An instructor's courses (every course for an administrator), newest first."""
    query = select(Course).options(joinedload(Course.programme)).order_by(
        Course.starts_on.desc().nulls_first(), Course.id.desc()
    )
    if not include_all:
        query = query.join(course_instructors, course_instructors.c.course_id == Course.id).where(
            course_instructors.c.user_id == user.id
        )
    return query
