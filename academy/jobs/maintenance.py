"""The operator's long commands as jobs an administrator can queue from the page of background work:
rebuilding the summary tables and refreshing every worker's continuing-education standing."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.core.permissions import Role
from academy.extensions import db
from academy.jobs.kinds import JobKind, register


def _admins_only(user, params) -> bool:
    return user.role == Role.ADMIN


def rebuild_tallies(run) -> None:
    from academy.jobs.operations import write_lock
    from academy.core.pagecache import REPORTS, bump_version
    from academy.core.tallying import rebuild_all

    run.progress(0, 1, force=True)
    write_lock(db.session)
    rebuild_all(db.session.connection())
    bump_version(db.session, REPORTS)
    run.done = 1


def refresh_standings(run) -> None:
    from academy.auth.models import WorkerProfile
    from academy.jobs.operations import write_lock
    from academy.progress.standing import refresh_standing

    worker_ids = db.session.scalars(select(WorkerProfile.user_id).order_by(WorkerProfile.user_id)).all()
    run.progress(0, len(worker_ids), force=True)
    db.session.commit()
    for start in range(0, len(worker_ids), 500):  # a batch per transaction: writers are never held long
        write_lock(db.session)
        for worker_id in worker_ids[start:start + 500]:
            refresh_standing(worker_id)
        db.session.commit()
        run.progress(min(start + 500, len(worker_ids)))
    run.total = len(worker_ids)


register(JobKind("rebuild_tallies", _l("Rebuild the summary tables"), rebuild_tallies, _admins_only, back="jobs.job_list"))
register(JobKind("refresh_standings", _l("Refresh continuing-education standings"), refresh_standings, _admins_only,
                 back="jobs.job_list"))
