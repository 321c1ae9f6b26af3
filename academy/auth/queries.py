"""Read helpers for account lists."""
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role
from academy.core.validators import is_mainland_mobile, normalise_phone


# Newest first by id, which follows creation and has an index (created_at has none).
USER_LIST_KEY = User.id


def user_list_query(role: Role | None = None, text: str | None = None):
    query = (
        select(User)
        # Joined: one query whatever mix of roles the page holds (one-to-one and many-to-one only).
        .options(joinedload(User.street), joinedload(User.profile).joinedload(WorkerProfile.work_unit))
    )  # unordered: the list pages newest first by USER_LIST_KEY
    if role is not None:
        query = query.where(User.role == role)
    if text:
        # A number is found only when given in full: the list shows numbers masked, and matching
        # parts of them would reveal the hidden digits one guess at a time.
        phone = normalise_phone(text)
        found = User.name.contains(text, autoescape=True)
        query = query.where(or_(found, User.phone == phone) if is_mainland_mobile(phone) else found)
    return query
