"""Masking of personal data, in Python and in the SQL that exports stream straight from the database."""
import pytest
from sqlalchemy import String, literal, select

from academy.core.masking import mask_name, mask_phone, mask_phone_sql, mask_resident_id
from academy.extensions import db


@pytest.mark.parametrize("phone", ["13911110001", "1391111000", "1234567", "123456", "12", ""])
def test_the_sql_mask_equals_the_python_mask(app, phone):
    assert db.session.scalar(select(mask_phone_sql(literal(phone, String)))) == mask_phone(phone)


def test_masks_hide_the_middle():
    assert mask_phone("13911110001") == "139****0001"
    assert mask_phone(None) == ""
    assert mask_resident_id("110101199003071234") == "110***********1234"
    assert (mask_name("张三"), mask_name("欧阳娜娜"), mask_name("Anna Li")) == ("张*", "欧**娜", "A*** L*")


# -- finding 6 of the pen test (issue 27): the search and the audit trail leaked hidden digits --------

def test_the_user_search_finds_a_number_only_in_full(client, make, login):
    from academy.core.masking import mask_phone as masked

    login(make.create_admin())
    worker = make.create_worker(phone="13912340005", name="检索对象")

    def found(text):
        return masked(worker.phone) in client.get("/admin/users", query_string={"q": text}).get_data(as_text=True)

    for hidden_digits in ("1234", "0005", "12340005", "3912", "%", "_"):
        assert not found(hidden_digits), hidden_digits
    assert found("13912340005") and found("139-1234-0005") and found("+86 139 1234 0005") and found("检索")


def test_the_audit_trail_never_shows_a_full_number(client, make, login):
    from academy.audit.operations import record

    worker = make.create_worker(phone="13912340006")
    client.post("/login", data={"phone": "139-1234-0006", "password": "wrong-guess"})
    record("report.full_export", actor=worker, reason="张三 13912340007 110101199003071234")
    db.session.commit()
    login(make.create_admin())
    page = client.get("/admin/audit").get_data(as_text=True)
    for full in ("13912340006", "13912340007", "110101199003071234"):
        assert full not in page, full
    assert "139****0006" in page and "139****0007" in page and "110***********1234" in page


def test_audit_entries_written_before_masking_are_masked_when_shown(client, make, login):
    from academy.audit.models import AuditEvent

    event = AuditEvent(action="login.failure", detail={"phone": "13912340008"})
    db.session.execute(AuditEvent.__table__.insert().values(action=event.action, detail=event.detail))
    db.session.commit()
    login(make.create_admin())
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "13912340008" not in page and "139****0008" in page


def test_masking_free_text_leaves_other_numbers_alone():
    from academy.core.masking import mask_detail

    detail = {"phone": "13912340009", "reason": "课程 DCSW-2026-ZHUJI-000123 共 12 学时，电话13912340010。",
              "fields": ["name"], "count": 3}
    assert mask_detail(detail) == {"phone": "139****0009", "reason": "课程 DCSW-2026-ZHUJI-000123 共 12 学时，电话139****0010。",
                                   "fields": ["name"], "count": 3}
