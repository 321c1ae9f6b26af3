"""Read helpers for account lists."""
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role


def user_list_query(role: Role | None = None, text: str | None = None):
    query = (
        select(User)
        .options(selectinload(User.street), selectinload(User.profile).selectinload(WorkerProfile.work_unit))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    if role is not None:
        query = query.where(User.role == role)
    if text:
        like = f"%{text}%"
        query = query.where(or_(User.name.like(like), User.phone.like(like)))
    return query
