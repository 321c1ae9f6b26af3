"""A course's eligibility rules, in words, and which of them a worker does not meet."""
from flask_babel import lazy_gettext as _l

from academy.core.i18n import name_list
from academy.courses.models import Course


def describe_rules(course: Course) -> list:
    """Every rule of the course as a sentence, for the course page."""
    rules = []
    if course.subdistricts:
        names = name_list(unit.name for unit in course.subdistricts)
        rules.append(_l("Open to social workers of: %(names)s.", names=names))
    else:
        rules.append(_l("Open to social workers of every subdistrict."))
    if course.min_qualification is not None and course.min_qualification.rank > 0:
        rules.append(_l("Qualification: %(level)s or higher.", level=course.min_qualification.label))
    if course.min_education is not None:
        rules.append(_l("Education: %(level)s or higher.", level=course.min_education.label))
    for prerequisite in course.prerequisites:
        rules.append(_l("Completed first: %(code)s %(title)s.", code=prerequisite.code, title=prerequisite.title))
    return rules


def unmet_rules(course: Course, profile, completed_course_ids: set[int]) -> list:
    """The rules this worker's profile does not meet, each named; empty when eligible."""
    if profile is None:
        return [_l("Only social workers with a profile can enrol.")]
    unmet = []
    if course.subdistricts and profile.subdistrict_id not in {unit.id for unit in course.subdistricts}:
        unmet.append(_l("The course is not open to your subdistrict."))
    if course.min_qualification is not None and profile.qualification.rank < course.min_qualification.rank:
        unmet.append(_l("It requires the qualification %(level)s or higher.", level=course.min_qualification.label))
    elif (course.min_qualification is not None and course.min_qualification.rank > 0
          and not profile.qualification_verified):
        # A level the worker declared counts once the academy has verified it.
        unmet.append(_l("It requires the qualification %(level)s or higher, verified by the academy: yours is "
                        "not verified yet.", level=course.min_qualification.label))
    if course.min_education is not None and (
        profile.education is None or profile.education.rank < course.min_education.rank
    ):
        unmet.append(_l("It requires %(level)s or higher education.", level=course.min_education.label))
    for prerequisite in course.prerequisites:
        if prerequisite.id not in completed_course_ids:
            unmet.append(_l("Complete %(code)s %(title)s first.", code=prerequisite.code, title=prerequisite.title))
    return unmet
