"""A worker's data download and the closing of an account on request: what is given, what is cleared,
what is kept, and who may do what."""
import io
import json
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.auth.models import User
from academy.claims.models import ClaimState
from academy.core.errors import OperationError
from academy.core.i18n import local_today
from academy.core.personal import everything_of
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.notifications.models import Notification
from academy.privacy import operations
from academy.privacy.models import ClosureRequest, ClosureStatus
from tests.security.world import build_world

import pytest

VALID_ID = "11010519491231002X"


def _download(client, fmt):
    response = client.post(f"/account/privacy/data.{fmt}")
    assert response.status_code == 200
    return response


def test_the_download_holds_the_worker_s_rows_and_nobody_else_s(client, make, login):
    world = build_world(make)
    worker, other = world["users"]["worker"], world["other_worker"]
    login(worker)
    data = json.loads(_download(client, "json").get_data())
    tables = data["tables"]
    assert [row["id"] for row in tables["users"]] == [worker.id]
    assert "password_hash" not in tables["users"][0]  # secrets stay secret, even from their owner
    assert {row["worker_id"] for row in tables["enrolments"]} == {worker.id}
    assert world["params"]["enrolment_id"] in {row["id"] for row in tables["enrolments"]}
    assert world["other_enrolment"].id not in {row["id"] for row in tables["enrolments"]}
    # found through their enrolment: the history of each of the worker's enrolments, none of the other's
    assert {row["enrolment_id"] for row in tables["enrolment_events"]} <= {row["id"] for row in tables["enrolments"]}
    assert tables["claims"][0]["bank_account"] == "6222000011112222"  # their own, in full
    assert tables["certificates"] and tables["qualification_records"] and tables["notifications"]
    assert other.id not in {row.get("worker_id") for rows in tables.values() for row in rows}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.export")).actor_id == worker.id


def test_the_spreadsheet_has_a_sheet_a_table_and_keeps_text_as_text(client, make, login):
    worker = make.create_worker(name="=HYPERLINK(\"http://x\")")
    login(worker)
    book = load_workbook(io.BytesIO(_download(client, "xlsx").get_data()), read_only=True)
    assert {"users", "worker_profiles", "consents"} <= set(book.sheetnames)
    rows = list(book["users"].iter_rows(values_only=True))
    name_column = rows[0].index("name")
    assert rows[1][name_column] == "'=HYPERLINK(\"http://x\")"


def test_the_download_is_a_post_with_its_token_and_an_unknown_format_is_404(client, make, login):
    login(make.create_worker())
    assert client.get("/account/privacy/data.json").status_code == 405
    assert client.post("/account/privacy/data.csv").status_code == 404


def test_attendance_marks_are_found_through_the_enrolment(make):
    from academy.attendance.models import Mark
    from academy.attendance.operations import save_marks

    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor], starts_on=local_today() - timedelta(days=1))
    worker, other = make.create_worker(), make.create_worker()
    mine, theirs = ops.enrol(course, worker, by_staff=True), ops.enrol(course, other, by_staff=True)
    save_marks(course.sessions[0], {mine.id: Mark.PRESENT, theirs.id: Mark.ABSENT}, actor=instructor)
    db.session.flush()
    marks = everything_of(db.session, worker.id)["attendance_marks"]
    assert [(row["enrolment_id"], row["mark"]) for row in marks] == [(mine.id, "present")]


def _closing_request(client, password):
    return client.post("/account/privacy/close", data={"reason": "调离", "password": password, "understood": "y"})


def test_a_request_needs_the_password_and_the_box_and_writes_nothing_otherwise(client, make, login):
    worker = make.create_worker()
    login(worker)
    wrong = _closing_request(client, "not-my-password")
    assert wrong.status_code == 400 and "密码错误" in wrong.get_data(as_text=True)
    unticked = client.post("/account/privacy/close", data={"password": make.DEFAULT_PASSWORD})
    assert unticked.status_code == 400
    assert db.session.scalar(select(func.count(ClosureRequest.id))) == 0
    assert _closing_request(client, make.DEFAULT_PASSWORD).status_code == 302
    again = _closing_request(client, make.DEFAULT_PASSWORD)
    assert again.status_code == 400 and "已申请注销账号" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ClosureRequest.id))) == 1


def test_a_worker_withdraws_their_request_and_it_stays_in_the_history(client, make, login):
    worker = make.create_worker()
    login(worker)
    _closing_request(client, make.DEFAULT_PASSWORD)
    assert client.post("/account/privacy/close/cancel").status_code == 302
    closure = db.session.scalar(select(ClosureRequest))
    db.session.refresh(closure)
    assert closure.status == ClosureStatus.CANCELLED and closure.decided_by_id == worker.id
    assert "已由本人撤回" in client.get("/account/privacy").get_data(as_text=True)


def test_closing_clears_identity_contact_and_bank_details_and_keeps_training_records(app, make):
    world = build_world(make)
    worker, admin = world["users"]["worker"], world["users"]["admin"]
    worker.email, worker.profile.resident_id, worker.profile.post = "w@example.cn", VALID_ID, "社工"
    from academy.claims.models import Claim
    claim = db.session.get(Claim, world["params"]["claim_id"])
    claim.state = ClaimState.REJECTED  # ended: nothing waits on its details
    db.session.commit()
    phone = worker.phone
    closure = operations.request_closure(worker, reason=None)
    cleared = operations.close(closure, actor=admin)
    db.session.commit()
    db.session.expire_all()
    assert {"users", "worker_profiles", "claims"} <= set(cleared)
    user = db.session.get(User, worker.id)
    assert (user.email, user.profile.resident_id, user.profile.post, user.active) == (None, None, None, False)
    assert user.phone != phone and not user.phone.isdigit() and not user.check_password(make.DEFAULT_PASSWORD)
    assert (claim.bank_account, claim.bank_name, claim.account_holder) == ("", "", "")
    # kept: the training record and the name it was issued to
    records = everything_of(db.session, worker.id)
    assert records["enrolments"] and records["certificates"][0]["holder_name"] == worker.name
    assert closure.status == ClosureStatus.CLOSED and closure.decided_by_id == admin.id
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.closure_close"))
    assert entry.actor_id == admin.id and "users" in entry.detail["tables"]
    response = app.test_client().post("/login", data={"phone": phone, "password": make.DEFAULT_PASSWORD})
    assert response.status_code == 200  # nobody signs in with the old number


def test_a_claim_under_way_stops_the_closing_and_nothing_changes(client, make, login):
    world = build_world(make)  # the world's claim is in public notice
    worker, admin = world["users"]["worker"], world["users"]["admin"]
    closure = operations.request_closure(worker, reason=None)
    db.session.commit()
    login(admin)
    page = client.post(f"/admin/closures/{closure.id}", data={"decision": "close"}, follow_redirects=True)
    assert "暂不能注销" in page.get_data(as_text=True) and "考试奖补申请" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ClosureRequest, closure.id).status == ClosureStatus.PENDING
    assert db.session.get(User, worker.id).active


def test_refusing_needs_a_note_and_tells_the_worker(client, make, login):
    worker, admin = make.create_worker(), make.create_admin()
    closure = operations.request_closure(worker, reason=None)
    db.session.commit()
    login(admin)
    client.post(f"/admin/closures/{closure.id}", data={"decision": "refuse"})
    db.session.expire_all()
    assert db.session.get(ClosureRequest, closure.id).status == ClosureStatus.PENDING
    client.post(f"/admin/closures/{closure.id}", data={"decision": "refuse", "note": "请先办理离职手续"})
    db.session.expire_all()
    assert db.session.get(ClosureRequest, closure.id).status == ClosureStatus.REFUSED
    note = db.session.scalar(select(Notification).where(Notification.user_id == worker.id,
                                                        Notification.kind == "closure_refused"))
    assert note.params["reason"] == "请先办理离职手续"


def test_a_second_decision_finds_the_request_decided(make):
    worker, admin, other_admin = make.create_worker(), make.create_admin(), make.create_admin()
    closure = operations.request_closure(worker, reason=None)
    db.session.commit()
    operations.refuse(closure, actor=admin, note="不符合条件")  # the first administrator's decision
    with pytest.raises(OperationError):  # the second's, from the page that still showed it pending
        operations.close(closure, actor=other_admin)


def test_only_workers_ask_and_only_administrators_decide(client, make, login):
    login(make.create_instructor())
    assert _closing_request(client, make.DEFAULT_PASSWORD).status_code == 403
    assert client.get("/admin/closures").status_code == 403


def test_the_list_runs_the_same_statements_for_one_request_or_many(client, make, login):
    login(make.create_admin())

    def statements():
        with count_queries(db.engine) as counter:
            assert client.get("/admin/closures").status_code == 200
        return counter.count

    operations.request_closure(make.create_worker(), reason="一")
    db.session.commit()
    one = statements()
    for _ in range(6):
        operations.request_closure(make.create_worker(), reason="多")
    db.session.commit()
    assert statements() == one
