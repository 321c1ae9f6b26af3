"""The check-in POST of the benchmark: signed-in workers scan the sessions of a course whose sixty sessions
(thirty seconds each, a minute apart) all have their scan window open now, so that every request of the
run writes a check-in (scan, mark, audit). Tokens are made just before the run: they live 90 seconds."""
import urllib.parse

WORKERS = 60  # the synthetic workers with the highest numbers, apart from the enrol/withdraw targets
SESSIONS = 60

PREPARE = """
from datetime import timedelta
from decimal import Decimal
from academy.core.models import now_utc
from academy.courses.models import CourseSession, DeliveryMode
from academy.enrolment.models import EnrolmentStatus
from academy.programmes.models import Programme
now = now_utc().replace(microsecond=0)
phones = db.session.scalars(select(User.phone).where(User.phone.like("16%")).order_by(User.phone.desc())
                            .limit(payload)).all()
code = "BENCH-CHECKIN-" + now.strftime("%Y%m%d%H%M%S")
course = Course(code=code, title="扫码签到基准", programme=db.session.scalar(select(Programme).limit(1)),
                mode=DeliveryMode.IN_PERSON, capacity=len(phones), seats_taken=len(phones),
                status=CourseStatus.PUBLISHED, starts_on=now.date(), ends_on=now.date() + timedelta(days=1))
db.session.add(course)
for index in range(SESSIONS_COUNT):
    start = now - timedelta(minutes=25) + timedelta(minutes=index)
    course.sessions.append(CourseSession(starts_at=start, ends_at=start + timedelta(seconds=30), topic=str(index),
                                         hours=Decimal("0.5")))
for phone in phones:
    worker = db.session.scalar(select(User).where(User.phone == phone))
    db.session.add(Enrolment(course=course, worker_id=worker.id, status=EnrolmentStatus.ENROLLED))
db.session.commit()
print(json.dumps({"sessions": [item.id for item in course.sessions], "phones": phones}))
""".replace("SESSIONS_COUNT", str(SESSIONS))

TOKENS = """
from academy.attendance.checkin import make_token
from academy.attendance.models import ScanDirection
with app.test_request_context():
    print(json.dumps({str(s): make_token(s, ScanDirection.IN) for s in payload}))
"""

SCANS = """
from academy.attendance.models import AttendanceScan
print(json.dumps(db.session.scalar(select(func.count()).select_from(AttendanceScan))))
"""


def prepare(in_app, sign_in, csrf_of, env: dict, base: str, password: str, target_file, workers=WORKERS) -> None:
    """Sessions open now, signed-in workers enrolled in them, and the Lua list of (cookie, CSRF token,
    address, scan token) for every worker and session."""
    prepared = in_app(env, PREPARE, workers)
    session_ids, phones = prepared["sessions"], prepared["phones"]
    people = []
    for phone in phones:
        cookie, opener = sign_in(base, phone, password)
        people.append((cookie, csrf_of(opener, f"{base}/checkin")))
    tokens = in_app(env, TOKENS, session_ids)
    lines = []
    for session_id in session_ids:  # every worker scans the first session, then the next, and so on
        for cookie, csrf in people:
            body = urllib.parse.urlencode({"csrf_token": csrf, "token": tokens[str(session_id)]})
            lines.append(f'  {{cookie = "{cookie}", path = "/checkin/{session_id}", body = "{body}"}},\n')
    target_file.write_text("targets = {\n" + "".join(lines) + "}\n")


def scans(in_app, env: dict) -> int:
    return in_app(env, SCANS, None)
