"""Finding 7 of the pen test (issue 27): a worker declared "senior" on the profile and so passed a
course's senior-only rule. A declared level counts once an administrator has verified it (until the
qualification registry, issue 21, derives verified levels); changing it makes it unverified again."""
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.auth.enums import Qualification
from academy.courses.eligibility import unmet_rules
from academy.enrolment.importer import Outcome, judge, parse_rows
from academy.enrolment.models import Enrolment
from academy.extensions import db
from tests.auth.test_profile import profile_form

UNVERIFIED = "您的职业资格尚未核验"


def enrolments():
    return db.session.scalar(select(func.count(Enrolment.id)))


def senior_course(make):
    return make.create_course(code="SENIOR-ONLY", min_qualification=Qualification.SENIOR)


def test_a_declared_level_does_not_open_a_course_that_requires_it(client, make, login):
    course = senior_course(make)
    worker = make.create_worker(qualification=Qualification.SENIOR, qualification_verified=False)
    login(worker)
    assert UNVERIFIED in client.get(f"/courses/{course.id}").get_data(as_text=True)
    before = enrolments()
    response = client.post(f"/courses/{course.id}/enrol", follow_redirects=True)
    assert UNVERIFIED in response.get_data(as_text=True) and enrolments() == before


def test_a_level_no_certificate_verifies_does_not_count(client, make, login):
    """The profile takes no typed level (the registry derives it); a level kept from before the registry
    is unverified, says so, and satisfies no rule."""
    course = senior_course(make)
    worker = make.create_worker(qualification=Qualification.ASSISTANT)  # verified assistant
    login(worker)
    client.post("/account/profile", data=profile_form(worker, qualification="senior", resident_id=""))
    db.session.refresh(worker.profile)
    assert worker.profile.qualification == Qualification.ASSISTANT
    worker.profile.qualification, worker.profile.qualification_verified = Qualification.SENIOR, False
    db.session.commit()
    assert "未核验" in client.get("/account/profile").get_data(as_text=True)
    client.post(f"/courses/{course.id}/enrol")
    assert enrolments() == 0


def test_an_administrator_verifies_the_level_and_it_counts(client, make, login):
    course = senior_course(make)
    worker = make.create_worker(qualification=Qualification.SENIOR, qualification_verified=False)
    login(make.create_admin())
    assert "核验职业资格" in client.get(f"/admin/users/{worker.id}").get_data(as_text=True)
    assert client.post(f"/admin/users/{worker.id}/qualification").status_code == 302
    db.session.refresh(worker.profile)
    assert worker.profile.qualification_verified
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.qualification_verify"))
    assert event.object_id == worker.id and event.detail["level"] == "senior"
    assert unmet_rules(course, worker.profile, set()) == []


def test_only_administrators_verify(client, make, login):
    worker = make.create_worker(qualification=Qualification.SENIOR, qualification_verified=False)
    login(worker)
    assert client.post(f"/admin/users/{worker.id}/qualification").status_code == 403
    db.session.refresh(worker.profile)
    assert not worker.profile.qualification_verified


def test_the_class_list_import_applies_the_same_rule(make):
    senior_course(make)
    worker = make.create_worker(qualification=Qualification.SENIOR, qualification_verified=False)
    (row,) = judge(parse_rows([[worker.phone, "SENIOR-ONLY"]]))
    assert row.outcome == Outcome.NOT_ELIGIBLE  # outside a request the reason reads in English
    assert "not verified" in " ".join(str(text) for text in row.detail)


def test_courses_without_a_qualification_rule_ignore_verification(make):
    course = make.create_course()
    worker = make.create_worker(qualification=Qualification.SENIOR, qualification_verified=False)
    assert unmet_rules(course, worker.profile, set()) == []
