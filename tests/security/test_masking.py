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
