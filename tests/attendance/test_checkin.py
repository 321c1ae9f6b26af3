"""QR check-in: the token is bound to its session and expires, every refusal says why and writes nothing,
a scan writes the mark the instructor's sheet writes. Time is moved, never slept."""
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from academy.attendance import checkin
from academy.attendance import operations as att
from academy.attendance.models import AttendanceChange, AttendanceMark, AttendanceScan, Mark, ScanDirection
from academy.audit.models import AuditEvent
from academy.core.i18n import local_today
from academy.core.querycount import count_queries
from academy.courses.models import Course
from academy.enrolment import operations as ops
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD

IN, OUT = ScanDirection.IN, ScanDirection.OUT


@pytest.fixture
def clock(monkeypatch):
    """clock.set(moment) freezes the check-in clock there; clock.move(seconds) moves it on."""

    class Clock:
        now = None

        def set(self, moment):
            self.now = moment

        def move(self, seconds):
            self.now += timedelta(seconds=seconds)

    frozen = Clock()
    monkeypatch.setattr(checkin, "clock", lambda: frozen.now)
    return frozen


@pytest.fixture
def room(make, clock):
    """A course today (sessions 09:00–12:00 Beijing time), its instructor, two enrolled workers and an
    outsider; the clock stands five minutes before the first session."""
    instructor = make.create_instructor()
    course = make.create_course(starts_on=local_today(), sessions=2, instructors=[instructor])
    workers = [make.create_worker() for _ in range(2)]
    for worker in workers:
        ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    first, second = course.sessions
    clock.set(first.starts_at - timedelta(minutes=5))
    return dict(instructor=instructor, course=course, first=first, second=second, workers=workers,
                outsider=make.create_worker())


def token_for(app, session, direction=IN):
    with app.test_request_context():
        return checkin.make_token(session.id, direction)


def written():
    return (db.session.scalar(select(func.count()).select_from(AttendanceScan)),
            db.session.scalar(select(func.count()).select_from(AttendanceMark)))


def scan(client, session, token):
    return client.post(f"/checkin/{session.id}", data={"token": token})


def test_a_scan_checks_the_worker_in_with_the_mark_the_sheet_writes(app, room, login, clock):
    worker, first = room["workers"][0], room["first"]
    client = login(worker)
    page = client.get(f"/checkin/{first.id}?t={token_for(app, first)}").get_data(as_text=True)
    assert "Check in" in page or "签到" in page
    response = scan(client, first, token_for(app, first))
    assert response.status_code == 302
    mark = db.session.scalar(select(AttendanceMark))
    assert (mark.session_id, mark.mark, mark.marked_by_id, mark.marked_at) == (first.id, Mark.PRESENT, worker.id,
                                                                                clock.now)
    scan_row = db.session.scalar(select(AttendanceScan))
    assert (scan_row.direction, scan_row.at, scan_row.by_code) == (IN, clock.now, False)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.scan")) is not None
    assert "08:55" in client.get(f"/checkin/{first.id}").get_data(as_text=True)
    # the instructor's sheet holds the same mark with the scan's time, and a correction of it is audited with its reason
    client.post("/logout")
    login(room["instructor"])
    sheet = client.get(f"/teach/courses/{room['course'].id}/sessions/{first.id}/attendance").get_data(as_text=True)
    assert "扫码签到 08:55" in sheet
    clock.move(3600)
    att.save_marks(first, {mark.enrolment_id: Mark.LATE}, actor=room["instructor"], reason="到得晚",
                   now=first.starts_at + timedelta(hours=1))
    change = db.session.scalar(select(AttendanceChange))
    assert (change.from_mark, change.to_mark, change.reason) == (Mark.PRESENT, Mark.LATE, "到得晚")


def test_a_second_scan_says_when_the_first_was_taken_and_writes_nothing(app, room, login, clock):
    client = login(room["workers"][0])
    first = room["first"]
    scan(client, first, token_for(app, first))
    before = written()
    clock.move(60)
    response = scan(client, first, token_for(app, first))
    assert response.status_code == 302
    assert "08:55" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert written() == before


def test_a_token_of_another_session_is_refused_and_nothing_is_written(app, room, login):
    client = login(room["workers"][0])
    response = scan(client, room["first"], token_for(app, room["second"]))
    assert response.status_code == 422
    assert "此码属于另一课次" in response.get_data(as_text=True)
    assert written() == (0, 0)


@pytest.mark.parametrize(("age", "accepted"), [(89, True), (90, True), (91, False), (600, False)])
def test_a_token_expires_after_its_age(app, room, login, clock, age, accepted):
    client = login(room["workers"][0])
    token = token_for(app, room["first"])
    clock.move(age)
    response = scan(client, room["first"], token)
    assert (response.status_code == 302) is accepted
    assert written() == ((1, 1) if accepted else (0, 0))
    if not accepted:
        assert "已过期" in response.get_data(as_text=True)


def test_a_token_is_stamped_with_its_step_and_expires_from_the_steps_start(app, room, login, clock):
    """Within one rotation step every screen gets the same token (its QR code is drawn once); a token made 20
    seconds into its step is refused 90 seconds after the step began, not after it was made."""
    client = login(room["workers"][0])
    clock.move(20)
    token = token_for(app, room["first"])
    clock.move(9)
    assert token_for(app, room["first"]) == token
    clock.move(1)  # the next step: a new token, which the screen asks for now
    assert token_for(app, room["first"]) != token and checkin.seconds_to_next_step() == 30
    clock.move(60)  # 90 seconds after the token's step began
    assert scan(client, room["first"], token).status_code == 302
    other = room["workers"][1]
    client.post("/logout")
    login(other)
    clock.move(1)
    refused = scan(client, room["first"], token)
    assert refused.status_code == 422 and "已过期" in refused.get_data(as_text=True)
    assert written() == (1, 1)


def test_a_forged_token_is_refused(app, room, login):
    client = login(room["workers"][0])
    token = token_for(app, room["first"])
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "", "not-a-token"):
        response = scan(client, room["first"], bad)
        assert response.status_code == 422
        assert "此码无效" in response.get_data(as_text=True)
    assert written() == (0, 0)


def test_a_worker_not_enrolled_is_refused(app, room, login):
    client = login(room["outsider"])
    response = scan(client, room["first"], token_for(app, room["first"]))
    assert response.status_code == 422
    assert "您未报名本课程" in response.get_data(as_text=True)
    assert written() == (0, 0)


@pytest.mark.parametrize(("minutes", "message"), [(-31, "将于 08:30 开放"), (31, "已于 09:30 截止")])
def test_a_scan_outside_the_window_is_refused(app, room, login, clock, minutes, message):
    clock.set(room["first"].starts_at + timedelta(minutes=minutes))
    client = login(room["workers"][0])
    response = scan(client, room["first"], token_for(app, room["first"]))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert written() == (0, 0)


def test_the_window_is_configured_per_course(app, room, login, clock):
    room["course"].checkin_opens_before = 60
    db.session.commit()
    clock.set(room["first"].starts_at - timedelta(minutes=45))
    response = scan(login(room["workers"][0]), room["first"], token_for(app, room["first"]))
    assert response.status_code == 302
    assert written() == (1, 1)


def test_a_mark_kept_by_the_instructor_is_not_overwritten_by_a_scan(app, room, login, clock):
    first, worker = room["first"], room["workers"][0]
    enrolment_id = att.sheet_enrolments(room["course"])[0].id
    att.write_marks(first, {enrolment_id: Mark.EXCUSED}, actor=room["instructor"])
    db.session.commit()
    response = scan(login(worker), first, token_for(app, first))
    assert response.status_code == 422
    assert "已由讲师登记" in response.get_data(as_text=True)
    assert db.session.scalar(select(AttendanceMark.mark)) == Mark.EXCUSED
    assert written() == (0, 1)


def test_the_six_digit_code_checks_in_while_it_is_fresh(app, room, login, clock):
    first = room["first"]
    client = login(room["workers"][0])
    with app.test_request_context():
        code = checkin.current_code(first.id, IN)
    assert len(code) == 6 and code.isdigit()
    clock.move(120)  # four turns later the code is stale
    stale = client.post("/checkin", data={"code": code})
    assert stale.status_code == 422 and written() == (0, 0)
    assert client.post("/checkin", data={"code": "12345"}).status_code == 422
    with app.test_request_context():
        code = checkin.current_code(first.id, IN)
    response = client.post("/checkin", data={"code": code})
    assert response.status_code == 302 and response.headers["Location"] == f"/checkin/{first.id}"
    assert db.session.scalar(select(AttendanceScan.by_code)) is True
    # another worker's code entry for a course they are not in finds nothing
    client.post("/logout")
    other = login(room["outsider"])
    assert other.post("/checkin", data={"code": code}).status_code == 422


def test_sign_out_before_the_end_marks_left_early_on_courses_that_ask_for_it(app, room, login, clock):
    first = room["first"]
    client = login(room["workers"][0])
    assert scan(client, first, token_for(app, first, OUT)).status_code == 422  # no sign-out on this course
    room["course"].signout_scan = True
    db.session.commit()
    clock.set(first.starts_at + timedelta(minutes=10))
    response = scan(client, first, token_for(app, first, OUT))
    assert "请先签到" in response.get_data(as_text=True)
    scan(client, first, token_for(app, first))
    clock.set(first.ends_at - timedelta(minutes=30))
    assert scan(client, first, token_for(app, first, OUT)).status_code == 302
    assert db.session.scalar(select(AttendanceMark.mark)) == Mark.LEFT_EARLY
    assert "11:30" in db.session.scalar(select(AttendanceChange.reason))
    assert written() == (2, 1)


def test_sign_out_at_the_end_keeps_present(app, room, login, clock):
    first = room["first"]
    room["course"].signout_scan = True
    db.session.commit()
    client = login(room["workers"][0])
    scan(client, first, token_for(app, first))
    clock.set(first.ends_at + timedelta(minutes=5))
    assert scan(client, first, token_for(app, first, OUT)).status_code == 302
    assert db.session.scalar(select(AttendanceMark.mark)) == Mark.PRESENT


def test_a_visitor_signs_in_and_returns_to_the_scan(app, room, client):
    first = room["first"]
    address = f"/checkin/{first.id}?t={token_for(app, first)}"
    response = client.get(address)
    assert response.status_code == 302
    target = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
    signed_in = client.post(f"/login?{urlencode({'next': target})}", data={"phone": room["workers"][0].phone,
                                                                          "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == address
    assert client.get(address).status_code == 200


def test_scans_are_rate_limited_per_account(app, room, login, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "3 per minute")
    client = login(room["workers"][0])
    statuses = [scan(client, room["first"], "bad").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    client.post("/logout")
    other = login(room["workers"][1])
    assert scan(other, room["first"], token_for(app, room["first"])).status_code == 302


def test_the_screen_shows_a_qr_code_and_the_live_count_in_two_statements(app, room, login, make):
    first, course = room["first"], room["course"]
    worker_client = login(room["workers"][0])
    scan(worker_client, first, token_for(app, first))
    worker_client.post("/logout")
    client = login(room["instructor"])
    page = client.get(f"/teach/courses/{course.id}/sessions/{first.id}/checkin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="checkin-qr-path" d="M' in html and "<script>" not in html
    qr = client.get(f"/teach/courses/{course.id}/sessions/{first.id}/checkin/qr.json").get_json()
    assert len(qr["code"]) == 6 and qr["path"].startswith("M")
    assert qr["next_in"] == 30 and 'data-next-in="30"' in html  # the clock stands at a step's start
    for address in ("checkin?direction=out", "checkin/qr.json?direction=out"):  # no sign-out on this course
        assert client.get(f"/teach/courses/{course.id}/sessions/{first.id}/{address}").status_code == 404
    live_url = f"/teach/courses/{course.id}/sessions/{first.id}/checkin/live.json"
    client.get(live_url)
    with count_queries(db.engine) as counter:
        live = client.get(live_url).get_json()
    assert counter.count <= 2, counter.statements
    assert (live["count"], live["seats"]) == (1, 2)
    assert live["names"] == [{"name": room["workers"][0].name, "time": "08:55"}]
    # another instructor, a worker and a session of another course get nothing
    client.post("/logout")
    stranger = login(make.create_instructor())
    assert stranger.get(live_url).status_code == 404
    assert stranger.get(f"/teach/courses/{course.id}/sessions/{first.id}/checkin").status_code == 403
    other = make.create_course(instructors=[room["instructor"]])
    stranger.post("/logout")
    client = login(room["instructor"])
    assert client.get(f"/teach/courses/{other.id}/sessions/{first.id}/checkin/live.json").status_code == 404


def test_the_qr_code_encodes_the_scan_address(app, room):
    with app.test_request_context():
        size, path = checkin.qr_path("https://example.org/checkin/1?t=abc")
    assert size > 21 + 8 and path.count("M") > 50


def test_the_course_form_sets_the_window_and_the_sign_out_scan(client, make, login):
    from tests.courses.test_manage_views import course_form

    login(make.create_admin())
    response = client.post("/teach/courses/new", data=course_form(
        make, checkin_opens_before="45", checkin_closes_after="15", signout_scan="y"))
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-01"))
    assert (course.checkin_opens_before, course.checkin_closes_after, course.signout_scan) == (45, 15, True)
    refused = client.post("/teach/courses/new", data=course_form(make, code="YUYAN-2027-02", checkin_opens_before="2000"))
    assert refused.status_code == 200
    assert db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-02")) is None
