"""The catalogue and a course's page, with the catalogue's filters; pages follow a cursor."""
import base64
import binascii
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from academy.api.access import errors
from sqlalchemy import and_, func, or_

from academy.api.schemas import CourseDetailSchema, CoursePageSchema, CourseQuerySchema
from academy.core.errors import problem
from academy.courses.models import Course
from academy.courses.queries import CatalogueFilters, catalogue_query, get_course_or_404
from academy.extensions import db

bp = Blueprint("api_courses", __name__, url_prefix="/api/v1/courses",
               description="Published courses, filtered as in the catalogue (public).")

BAD_CURSOR = _l("The cursor is not one this API gave: pass `next_cursor` of the previous page.")
NO_START = date(9999, 12, 31)  # the catalogue lists courses without a first day last


def _cursor(course: Course) -> str:
    text = f"{(course.starts_on or NO_START).isoformat()}:{course.id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _position(cursor: str) -> tuple[date, int] | None:
    try:
        day, _, course_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        return date.fromisoformat(day), int(course_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


@bp.route("")
@bp.arguments(CourseQuerySchema, location="query", as_kwargs=True)
@bp.response(200, CoursePageSchema)
@errors(bp, 400)
def course_list(limit, cursor=None, subdistrict=None, available=False, **filters):
    """Published courses, soonest first, as the catalogue lists them."""
    query = catalogue_query(CatalogueFilters(subdistrict_id=subdistrict, available=available, **filters))
    if cursor is not None:
        position = _position(cursor)
        if position is None:
            return problem(400, BAD_CURSOR)
        first_day, after_id = position
        starts = func.coalesce(Course.starts_on, NO_START)
        query = query.where(or_(starts > first_day, and_(starts == first_day, Course.id > after_id)))
    courses = db.session.scalars(query.limit(limit + 1)).all()
    more = len(courses) > limit
    return {"items": courses[:limit], "next_cursor": _cursor(courses[limit - 1]) if more else None}


@bp.route("/<int:course_id>")
@bp.response(200, CourseDetailSchema)
@errors(bp, 404)
def course_detail(course_id):
    """A published course with its sessions, as its page shows it."""
    return get_course_or_404(course_id)
