"""Read helpers for account lists."""
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role


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
        like = f"%{text}%"
        query = query.where(or_(User.name.like(like), User.phone.like(like)))
    return query
