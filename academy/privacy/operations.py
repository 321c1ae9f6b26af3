"""A person's own data given out whole, and the closing of an account on request (PIPL art. 45, 47).

What is someone's data, and which of it is cleared at closing, every model declares beside its columns
(`__personal__`, academy/core/personal.py); this module never lists tables. Closing keeps the training
records (enrolments, hours, certificates) as the rules on training records require, with the name they
were issued to, and clears identity, contact and bank details; the account can no longer sign in."""
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from academy.audit.operations import record
from academy.auth.models import User
from academy.core.errors import CHANGED_MEANWHILE, OperationError
from academy.core.models import now_utc
from academy.core.personal import erase_everything_of, everything_of
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.operations import notify
from academy.privacy.models import ClosureRequest, ClosureStatus
from academy.privacy.signals import reasons_not_to_close


def export(user: User) -> dict:
    """Everything the academy holds of the person, by table, as plain values; audited."""
    data = everything_of(db.session, user.id)
    record("privacy.export", user, actor=user, tables=len(data), rows=sum(len(rows) for rows in data.values()))
    return {"account_id": user.id, "exported_at": now_utc().isoformat(), "tables": data}


def open_request(user_id: int) -> ClosureRequest | None:
    return db.session.scalar(select(ClosureRequest).where(ClosureRequest.user_id == user_id,
                                                          ClosureRequest.status == ClosureStatus.PENDING))


def request_closure(user: User, *, reason: str | None) -> ClosureRequest:
    if user.role != Role.WORKER:
        raise OperationError(_l("Staff accounts are closed by an administrator."))
    if open_request(user.id) is not None:
        raise OperationError(_l("You have asked for your account to be closed already; the academy will "
                                "decide soon."))
    closure = ClosureRequest(user_id=user.id, reason=reason or None)
    db.session.add(closure)
    db.session.flush()
    record("privacy.closure_request", closure, actor=user)
    return closure


def _decide(closure: ClosureRequest, to: ClosureStatus, *, actor: User, note: str | None) -> None:
    """Move a pending request on, once: a second decision taken meanwhile finds it no longer pending."""
    moved = db.session.execute(
        update(ClosureRequest).where(ClosureRequest.id == closure.id, ClosureRequest.status == ClosureStatus.PENDING)
        .values(status=to, decided_by_id=actor.id, decided_at=now_utc(), decision_note=note or None)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise OperationError(CHANGED_MEANWHILE)
    db.session.refresh(closure)


def cancel(closure: ClosureRequest, *, actor: User) -> None:
    if closure.user_id != actor.id:
        raise OperationError(_l("Only the person who asked can withdraw the request."))
    _decide(closure, ClosureStatus.CANCELLED, actor=actor, note=None)
    record("privacy.closure_cancel", closure, actor=actor)


def refuse(closure: ClosureRequest, *, actor: User, note: str) -> None:
    if not (note or "").strip():
        raise OperationError(_l("Say why the account is not closed: the worker reads it."), field="note")
    _decide(closure, ClosureStatus.REFUSED, actor=actor, note=note.strip())
    record("privacy.closure_refuse", closure, actor=actor, reason=note.strip())
    notify(closure.user_id, "closure_refused", reason=note.strip())


def blockers(user: User) -> list[str]:
    return reasons_not_to_close(user)


def close(closure: ClosureRequest, *, actor: User, note: str | None = None) -> dict[str, int]:
    """Close the account: refused while another domain holds business open for the person; then every
    declared personal column cleared, the number replaced, the password made unusable, every session
    ended. {table: rows cleared}."""
    user = closure.user
    waiting = blockers(user)
    if waiting:
        raise OperationError(_l("The account cannot be closed yet: %(reasons)s", reasons="; ".join(waiting)))
    _decide(closure, ClosureStatus.CLOSED, actor=actor, note=note)
    cleared = erase_everything_of(db.session, user.id)
    # The number is the sign-in name and unique: a placeholder no mobile number can equal takes its place.
    user.phone = f"x{user.id:010d}"[-11:]
    user.password_hash = "!closed:" + secrets.token_hex(16)  # matches no password
    user.active = False
    user.session_version += 1
    db.session.flush()
    record("privacy.closure_close", closure, actor=actor, tables=sorted(cleared))
    return cleared
