"""The API's resources answer what their pages show, with the same rules and scope."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from academy.api.models import IdempotentRequest
from academy.core.i18n import local_today
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from tests.api.helpers import bearer, token_for


def test_programmes_are_listed_with_coded_tiers_in_the_asked_language(client, make):
    make.programme("ZHUJI")
    chinese = client.get("/api/v1/programmes").get_json()
    english = client.get("/api/v1/programmes", headers={"Accept-Language": "en"}).get_json()
    zhuji = next(p for p in chinese if p["code"] == "ZHUJI")
    zhuji_en = next(p for p in english if p["code"] == "ZHUJI")
    assert zhuji["tier"]["code"] == zhuji_en["tier"]["code"] == "capability"
    assert zhuji["tier"]["label"] != zhuji_en["tier"]["label"]
    assert zhuji["name"] != zhuji_en["name"] and zhuji["slug"] == "zhuji"


def test_courses_follow_the_cursor_through_every_page_once(client, make):
    today = local_today()
    made = [make.create_course(starts_on=today + timedelta(days=days)) for days in (5, 5, 9, 12, 20)]
    undated = make.create_course()
    undated.starts_on = undated.ends_on = None
    db.session.commit()
    made.append(undated)
    seen, cursor = [], None
    for _ in range(10):
        page = client.get("/api/v1/courses", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200
        body = page.get_json()
        seen += [course["id"] for course in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [course.id for course in made]  # soonest first, the undated last, as the catalogue


def test_course_filters_are_the_catalogue_s(client, make):
    online = make.create_course(mode="online", meeting_number="123 456 789")
    make.create_course()
    body = client.get("/api/v1/courses", query_string={"mode": "online"}).get_json()
    assert [course["id"] for course in body["items"]] == [online.id]
    assert body["items"][0]["hours"] == "3.0" and body["items"][0]["mode"]["code"] == "online"


def test_a_bad_query_or_cursor_is_a_problem_naming_the_field(client):
    response = client.get("/api/v1/courses", query_string={"limit": 0, "tier": "nope"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == {"limit", "tier"}
    assert client.get("/api/v1/courses", query_string={"cursor": "%%%"}).status_code == 400


def test_a_course_has_its_sessions_in_beijing_time_and_drafts_are_not_found(client, make):
    course = make.create_course(sessions=2)
    draft = make.create_course(status="draft")
    body = client.get(f"/api/v1/courses/{course.id}").get_json()
    assert [session["starts_at"][-15:] for session in body["sessions"]] == ["T09:00:00+08:00"] * 2
    assert body["sessions"][0]["hours"] == "3.0"
    assert client.get(f"/api/v1/courses/{draft.id}").status_code == 404
    assert client.get("/api/v1/courses/999999").get_json()["status"] == 404


def test_enrol_and_withdraw_through_the_api(client, make):
    worker, course = make.create_worker(), make.create_course()
    token = token_for(worker)
    enrolled = client.post("/api/v1/me/enrolments", json={"course_id": course.id}, headers=bearer(token))
    assert enrolled.status_code == 201
    body = enrolled.get_json()
    assert body["status"]["code"] == "enrolled" and body["course_id"] == course.id
    again = client.post("/api/v1/me/enrolments", json={"course_id": course.id}, headers=bearer(token))
    assert again.status_code == 409 and again.get_json()["detail"]
    mine = client.get("/api/v1/me/enrolments", headers=bearer(token)).get_json()
    assert [e["id"] for e in mine] == [body["id"]] and mine[0]["course"]["code"] == course.code
    withdrawn = client.post(f"/api/v1/me/enrolments/{body['id']}/withdrawal", json={"reason": "工作冲突"},
                            headers=bearer(token))
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"]["code"] == "withdrawn"
    db.session.expire_all()
    assert db.session.get(Enrolment, body["id"]).status == EnrolmentStatus.WITHDRAWN
    assert db.session.get(type(course), course.id).seats_taken == 0


def test_nobody_withdraws_another_s_enrolment(client, make):
    course = make.create_course()
    other = make.create_worker()
    theirs = ops.enrol(course, other)
    db.session.commit()
    response = client.post(f"/api/v1/me/enrolments/{theirs.id}/withdrawal", json={},
                           headers=bearer(token_for(make.create_worker())))
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Enrolment, theirs.id).status == EnrolmentStatus.ENROLLED


def test_a_retried_enrol_is_answered_with_the_first_answer(client, make):
    worker, course = make.create_worker(), make.create_course()
    token = token_for(worker)
    headers = bearer(token, **{"Idempotency-Key": "enrol-1"})
    first = client.post("/api/v1/me/enrolments", json={"course_id": course.id}, headers=headers)
    retry = client.post("/api/v1/me/enrolments", json={"course_id": course.id}, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json() and retry.headers["Idempotent-Replayed"] == "true"
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1
    other = client.post("/api/v1/me/enrolments", json={"course_id": make.create_course().id}, headers=headers)
    assert other.status_code == 422  # the same key for another request
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_an_idempotency_key_belongs_to_its_token(client, make):
    course = make.create_course()
    headers = {"Idempotency-Key": "same"}
    one = client.post("/api/v1/me/enrolments", json={"course_id": course.id},
                      headers=bearer(token_for(make.create_worker()), **headers))
    two = client.post("/api/v1/me/enrolments", json={"course_id": course.id},
                      headers=bearer(token_for(make.create_worker()), **headers))
    assert (one.status_code, two.status_code) == (201, 201) and one.get_json()["id"] != two.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(IdempotentRequest)) == 2


def test_a_refused_enrol_is_kept_for_its_retries_too(client, make):
    worker = make.create_worker()
    closed = make.create_course(enrol_closes_at=make.local(local_today() - timedelta(days=1)))
    headers = bearer(token_for(worker), **{"Idempotency-Key": "k"})
    first = client.post("/api/v1/me/enrolments", json={"course_id": closed.id}, headers=headers)
    retry = client.post("/api/v1/me/enrolments", json={"course_id": closed.id}, headers=headers)
    assert first.status_code == retry.status_code == 409 and retry.get_json() == first.get_json()
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0


def test_the_record_gives_hours_as_decimal_strings(client, make):
    worker = make.create_worker()
    course = make.create_course(starts_on=local_today() - timedelta(days=10))
    enrolment = ops.enrol(course, worker, by_staff=True, actor=make.create_admin())
    enrolment.status, enrolment.credited_hours = EnrolmentStatus.COMPLETED, Decimal("4.5")
    db.session.commit()
    body = client.get("/api/v1/me/record", headers=bearer(token_for(worker))).get_json()
    assert body["course_hours"] == "4.5" and body["hours_by_year"][0]["hours"] == "4.5"
    assert body["completed_courses"][0]["id"] == enrolment.id
    assert body["standing"]["state"]["code"]


def test_verification_masks_the_holder_and_reads_serials(client, make):
    from academy.certificates.operations import issue_for_completion

    worker = make.create_worker(name="王小明")
    course = make.create_course(starts_on=local_today() - timedelta(days=10))
    enrolment = ops.enrol(course, worker, by_staff=True, actor=make.create_admin())
    enrolment.status, enrolment.credited_hours = EnrolmentStatus.COMPLETED, Decimal("3")
    [cert] = issue_for_completion(enrolment, actor=worker)
    db.session.commit()
    by_code = client.get(f"/api/v1/certificates/verify/{cert.verification_code}").get_json()
    assert by_code["valid"] is True and "王小明" not in by_code["holder"] and by_code["holder"].startswith("王")
    if cert.serial:
        assert client.get(f"/api/v1/certificates/verify/{cert.serial}").get_json()["title"] == cert.title
    assert client.get("/api/v1/certificates/verify/NOSUCHCODE").status_code == 404


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client, make):
    make.create_course()
    first = client.get("/api/v1/courses")
    assert first.headers.get("ETag")
    again = client.get("/api/v1/courses", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_a_worker_s_reads_run_a_fixed_number_of_statements(client, make, app):
    worker = make.create_worker()
    token = token_for(worker)
    for size in (1, 6):
        for _ in range(size):
            ops.enrol(make.create_course(), worker)
        db.session.commit()
        with count_queries(db.engine) as counter:
            assert client.get("/api/v1/me/enrolments", headers=bearer(token)).status_code == 200
        # the token, the worker's version and the versions (academy.api.kept), the enrolments
        assert counter.count <= 4, counter.statements
