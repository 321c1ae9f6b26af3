"""Keeping ce_standings current: called by every operation that changes a worker's hours or period."""
from sqlalchemy import select

from academy.auth.models import WorkerProfile
from academy.core.i18n import local_today
from academy.core.models import now_utc
from academy.extensions import db
from academy.progress.continuing import CeState, ce_status
from academy.progress.models import CeStanding


def refresh_standing(worker_id: int) -> CeStanding:
    profile = db.session.get(WorkerProfile, worker_id)
    status = ce_status(profile, local_today())
    standing = db.session.get(CeStanding, worker_id) or CeStanding(worker_id=worker_id)
    standing.applicable = status.state != CeState.NOT_APPLICABLE
    standing.period_start, standing.period_end = status.period_start, status.period_end
    standing.required, standing.done = status.required, status.done
    standing.refreshed_at = now_utc()
    db.session.add(standing)
    db.session.flush()
    return standing


def refresh_all() -> int:
    """After a rule change, or nightly as a safety net: every worker's standing again."""
    worker_ids = db.session.scalars(select(WorkerProfile.user_id)).all()
    for worker_id in worker_ids:
        refresh_standing(worker_id)
    return len(worker_ids)
