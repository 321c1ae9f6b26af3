"""The catalogue and a course's page, with the catalogue's filters; pages follow a cursor."""
from datetime import date

from flask_smorest import Blueprint
from sqlalchemy import and_, func, or_

from academy.api.access import errors
from academy.api.kept import kept_public
from academy.api.paging import BAD_CURSOR, decode_cursor, page_of
from academy.api.schemas import CourseDetailSchema, CoursePageSchema, CourseQuerySchema
from academy.core.errors import problem
from academy.courses.models import Course
from academy.courses.queries import CatalogueFilters, catalogue_query, get_course_or_404
from academy.extensions import db

bp = Blueprint("api_courses", __name__, url_prefix="/api/v1/courses",
               description="Published courses, filtered as in the catalogue (public).")

NO_START = date(9999, 12, 31)  # the catalogue lists courses without a first day last


def _position(course: Course) -> tuple:
    return (course.starts_on or NO_START).isoformat(), course.id


@bp.route("")
@kept_public
@bp.arguments(CourseQuerySchema, location="query", as_kwargs=True)
@bp.response(200, CoursePageSchema)
@errors(bp, 400)
def course_list(limit, cursor=None, subdistrict=None, available=False, **filters):
    """Published courses, soonest first, as the catalogue lists them."""
    query = catalogue_query(CatalogueFilters(subdistrict_id=subdistrict, available=available, **filters))
    if cursor is not None:
        position = decode_cursor(cursor, date.fromisoformat, int)
        if position is None or not 0 < position[1] < 2**31:
            return problem(400, BAD_CURSOR)
        first_day, after_id = position
        starts = func.coalesce(Course.starts_on, NO_START)
        query = query.where(or_(starts > first_day, and_(starts == first_day, Course.id > after_id)))
    return page_of(db.session.scalars(query.limit(limit + 1)).all(), limit, _position)


@bp.route("/<int:course_id>")
@kept_public
@bp.response(200, CourseDetailSchema)
@errors(bp, 404)
def course_detail(course_id):
    """A published course with its sessions, as its page shows it."""
    return get_course_or_404(course_id)
