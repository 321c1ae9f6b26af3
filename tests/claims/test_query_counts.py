"""The claims' list pages run a fixed number of SQL statements whatever the number of claims."""
from academy.claims import notice as notice_ops
from academy.claims.models import ClaimState
from academy.claims.operations import move
from academy.core.querycount import count_queries
from academy.extensions import db
from tests.claims.helpers import bring_to, draft, freeze, scheme
from tests.claims.helpers import TODAY

S = ClaimState


def add_claims(make, the_scheme, unit, people, count, state):
    for _ in range(count):
        claim = draft(make, the_scheme, worker=make.create_worker(work_unit=unit))
        bring_to(make, claim, state, people=people)


def measure(client, path):
    with count_queries(db.engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_list_pages_cost_the_same_for_few_and_many_claims(app, make, monkeypatch):
    from tests.factories import DEFAULT_PASSWORD

    freeze(monkeypatch, TODAY)
    the_scheme = scheme(make)
    unit = make.create_unit()
    people = {S.FIRST_REVIEW: make.create_street_admin(street=unit.parent), S.SECOND_REVIEW: make.create_admin(),
              S.FINAL_REVIEW: make.create_district_reviewer()}
    add_claims(make, the_scheme, unit, people, 2, S.FIRST_REVIEW)
    add_claims(make, the_scheme, unit, people, 2, S.FINAL_APPROVED)
    notice = notice_ops.publish_notice(the_scheme, actor=people[S.SECOND_REVIEW], today=TODAY)
    db.session.commit()
    clients = {}
    for role in (S.FIRST_REVIEW, S.SECOND_REVIEW):
        clients[role] = app.test_client()
        clients[role].post("/login", data={"phone": people[role].phone, "password": DEFAULT_PASSWORD})
    anonymous = app.test_client()
    paths = [(clients[S.FIRST_REVIEW], "/review/claims"), (clients[S.SECOND_REVIEW], f"/admin/claim-schemes/{the_scheme.id}"),
             (anonymous, f"/notices/{the_scheme.id}")]
    few = [measure(client, path) for client, path in paths]
    add_claims(make, the_scheme, unit, people, 4, S.FIRST_REVIEW)
    for _ in range(3):  # three more in the same notice
        more = draft(make, the_scheme, worker=make.create_worker(work_unit=unit))
        bring_to(make, more, S.FINAL_APPROVED, people=people)
        move(more, people[S.SECOND_REVIEW], S.FINAL_APPROVED, S.IN_NOTICE, values={"notice_id": notice.id})
    db.session.commit()
    many = [measure(client, path) for client, path in paths]
    assert few == many
    assert anonymous.get(f"/notices/{the_scheme.id}").get_data(as_text=True).count("<tr>") == 1 + 5
    assert max(many) <= 10, many
