"""The signed-in account is loaded by one statement: with a worker's profile and its units for workers, the
account alone for staff (who have no profile), as the session's note says once the first request made it."""
from academy import PROFILE_HINT
from academy.core.querycount import count_queries
from academy.extensions import db


def statements_of(client, path):
    db.session.expunge_all()
    with count_queries(db.engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.statements


def hint_of(client):
    """Whether the session's note says the signed-in account has a profile (None: no note for it)."""
    with client.session_transaction() as session:
        noted = session.get(PROFILE_HINT)
        return noted[1] if noted and noted[0] == session.get("_user_id") else None


def test_a_staff_account_is_loaded_alone_and_its_missing_profile_costs_no_statement(client, make, login):
    admin = make.create_admin()
    login(admin)
    first = statements_of(client, "/account")  # the session's first load notes that there is no profile
    assert hint_of(client) is False
    assert "worker_profiles" in first[0]
    again = statements_of(client, "/account")  # the account page asks for the profile: known to be none
    assert len(again) == 1 and "worker_profiles" not in again[0] and "org_units" not in again[0]


def test_a_worker_is_loaded_with_the_profile_and_units_their_pages_show(client, make, login):
    worker = make.create_worker()
    unit, subdistrict = worker.profile.work_unit.name_zh, worker.profile.subdistrict.name_zh
    login(worker)
    statements_of(client, "/account")
    assert hint_of(client) is True
    page_statements = statements_of(client, "/account")
    assert len(page_statements) == 1 and "worker_profiles" in page_statements[0] and "org_units" in page_statements[0]
    page = client.get("/account").get_data(as_text=True)
    assert unit in page and subdistrict in page


def test_a_street_administrators_street_is_still_shown(client, make, login):
    street_admin = make.create_street_admin()
    login(street_admin)
    client.get("/account")
    page = client.get("/account").get_data(as_text=True)
    assert hint_of(client) is False and street_admin.street.name_zh in page


def test_a_session_without_the_note_loads_the_profile_and_then_notes_it(client, make, login):
    worker = make.create_worker()
    login(worker)
    client.get("/account")
    with client.session_transaction() as session:
        del session[PROFILE_HINT]  # a session begun before the note existed
    page = client.get("/account").get_data(as_text=True)
    assert worker.profile.work_unit.name_zh in page and hint_of(client) is True


def test_a_note_made_for_another_account_is_not_believed(client, make, login):
    admin, worker = make.create_admin(), make.create_worker()
    unit = worker.profile.work_unit.name_zh
    admin_token = admin.get_id()
    login(worker)
    with client.session_transaction() as session:
        session[PROFILE_HINT] = [admin_token, False]  # left by an account this session held before
    page = client.get("/account").get_data(as_text=True)
    assert unit in page and hint_of(client) is True
