"""What happens to a course, announced for the domains built on courses (enrolment reacts to them), so
that courses never call into the domains that depend on them. Receivers run inside the operation's
transaction: what they change is committed or rolled back with it."""
from blinker import Namespace

_signals = Namespace()

# sender: the course; actor=, the user who raised it
capacity_raised = _signals.signal("course-capacity-raised")
# sender: the course; reason=
course_cancelled = _signals.signal("course-cancelled")
# sender: the course; each receiver returns whether its domain holds people in it (a place, a request,
# a waitlist entry, a completion), which makes moving the course's dates into the past an administrator's call
people_held = _signals.signal("course-people-held")


def holds_people(course) -> bool:
    """Whether any domain built on courses holds people in this course."""
    return any(answer for _receiver, answer in people_held.send(course))


# sender: a course session; each receiver returns whether its domain keeps records of it (attendance
# marks), which a session must not be removed from under
session_recorded = _signals.signal("course-session-recorded")


def has_records(session) -> bool:
    return any(answer for _receiver, answer in session_recorded.send(session))
