"""Roles and the coarse, view-level permission check; objects add their own checks."""
import enum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.extensions import login_manager


class Role(enum.StrEnum):
    WORKER = "worker"
    INSTRUCTOR = "instructor"
    STREET_ADMIN = "street_admin"
    ADMIN = "admin"
    DISTRICT_REVIEWER = "district_reviewer"  # 区委社会工作部: the final review of exam-subsidy claims
    JUDGE = "judge"  # an outside expert who scores competition entries

    @property
    def label(self):
        return ROLE_LABELS[self]

    @classmethod
    def from_cli(cls, text: str) -> "Role":
        return cls(text.replace("-", "_"))


ROLE_LABELS = {
    Role.WORKER: _l("Social worker"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.STREET_ADMIN: _l("Subdistrict administrator"),
    Role.ADMIN: _l("Administrator"),
    Role.DISTRICT_REVIEWER: _l("District reviewer"),
    Role.JUDGE: _l("Competition judge"),
}

ADMIN_ROLES = (Role.ADMIN, Role.STREET_ADMIN)


def role_required(*roles: Role):
    """Allow only signed-in users holding one of `roles`; others get 403, visitors go to login."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
