"""What happens to a course, announced for the domains built on courses (enrolment reacts to them), so
that courses never call into the domains that depend on them. Receivers run inside the operation's
transaction: what they change is committed or rolled back with it."""
from blinker import Namespace

_signals = Namespace()

# sender: the course; actor=, the user who raised it
capacity_raised = _signals.signal("course-capacity-raised")
# sender: the course; reason=
course_cancelled = _signals.signal("course-cancelled")
