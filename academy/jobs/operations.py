"""Jobs' status changes, each with its event; operations flush, the caller commits. A status changes only
from the status it was read in (one conditional UPDATE), so two workers never both run a job."""
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import scoped_session

from academy.core.database import begin_write
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db
from academy.jobs.kinds import kind_of
from academy.jobs.models import Job, JobEvent, JobStatus

KEEP_FILES = timedelta(days=7)
STALE_QUEUED = timedelta(minutes=10)


def create_job(user, kind: str, params: dict | None = None, total: int | None = None) -> Job:
    if kind_of(kind) is None:
        raise ValueError(f"unknown job kind {kind}")
    job = Job(user_id=user.id if user is not None else None, kind=kind, params=params or {}, total=total,
              status=JobStatus.QUEUED, done=0, attempts=0, created_at=now_utc())
    db.session.add(job)
    db.session.flush()
    _event(job.id, None, JobStatus.QUEUED, actor_id=job.user_id)
    return job


def _event(job_id: int, from_status, to_status, actor_id=None, reason=None) -> None:
    db.session.add(JobEvent(job_id=job_id, actor_id=actor_id, from_status=from_status and str(from_status),
                            to_status=str(to_status), reason=reason, at=now_utc()))


def claim(job_id: int) -> bool:
    """queued → running, only if it is still queued: of two workers that picked the job up, one wins."""
    now = now_utc()
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, attempts=Job.attempts + 1, done=0, error=None)
        .execution_options(synchronize_session=False)).rowcount
    if claimed:
        _event(job_id, JobStatus.QUEUED, JobStatus.RUNNING)
    return bool(claimed)


def finish(job_id: int, result_file: str | None = None, result_name: str | None = None,
           done: int | None = None) -> None:
    now = now_utc()
    values = {"status": JobStatus.DONE, "finished_at": now, "expires_at": now + KEEP_FILES,
              "result_file": result_file, "result_name": result_name}
    if done is not None:
        values["done"] = done
    changed = db.session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(**values)
                                 .execution_options(synchronize_session=False)).rowcount
    if changed:
        _event(job_id, JobStatus.RUNNING, JobStatus.DONE)


def fail(job_id: int, error: str) -> None:
    changed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
        .values(status=JobStatus.FAILED, finished_at=now_utc(), error=error[:2000])
        .execution_options(synchronize_session=False)).rowcount
    if changed:
        _event(job_id, JobStatus.RUNNING, JobStatus.FAILED, reason=error[:2000])


def retry(job: Job, actor) -> None:
    """A failed job goes back to the queue (the caller submits it after its commit)."""
    if job.status != JobStatus.FAILED:
        raise OperationError(_l("Only a failed job can be tried again."))
    changed = db.session.execute(update(Job).where(Job.id == job.id, Job.status == JobStatus.FAILED)
                                 .values(status=JobStatus.QUEUED, finished_at=None)
                                 .execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise OperationError(_l("Only a failed job can be tried again."))
    _event(job.id, JobStatus.FAILED, JobStatus.QUEUED, actor_id=actor.id, reason=job.error)
    db.session.refresh(job)


def set_progress(connection, job_id: int, done: int, total: int | None) -> None:
    values = {"done": done} if total is None else {"done": done, "total": total}
    connection.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(**values))


def jobs_dir() -> Path:
    path = Path(current_app.config.get("JOBS_DIR") or Path(current_app.config["UPLOAD_DIR"]).parent / "jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_file_name(suffix: str) -> str:
    """A generated name: nothing of the user's input reaches the file system."""
    return secrets.token_hex(16) + suffix


def result_path(job: Job) -> Path | None:
    if not job.result_file or job.removed_at is not None:
        return None
    path = jobs_dir() / job.result_file
    return path if path.is_file() else None


def remove_expired_files(now: datetime | None = None) -> int:
    """Files of jobs past their 7 days are deleted; the job's record stays, marked removed."""
    now = now or now_utc()
    expired = db.session.scalars(select(Job).where(Job.expires_at < now, Job.removed_at.is_(None),
                                                   Job.result_file.is_not(None))).all()
    for job in expired:
        path = jobs_dir() / job.result_file
        path.unlink(missing_ok=True)
        job.removed_at = now
    db.session.flush()
    return len(expired)


def write_lock(session) -> None:
    """Begin the session's next transaction holding SQLite's write lock (background work reads and then
    writes while others write too); inside a transaction already begun, nothing changes."""
    real = session() if isinstance(session, scoped_session) else session
    if not real.in_transaction():
        begin_write(session)


def recover(now: datetime | None = None) -> tuple[list[int], int]:
    """After a process ended mid-work (a restart drops the in-process pool's queue): jobs queued for more
    than STALE_QUEUED are handed out again (the claim keeps them from running twice), and jobs running for
    longer than JOBS_TIMEOUT are failed with the reason, so their user can try again."""
    now = now or now_utc()
    stale = db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED,
                                                    Job.created_at < now - STALE_QUEUED)).all()
    limit = now - timedelta(seconds=current_app.config["JOBS_TIMEOUT"])
    lost = db.session.scalars(select(Job.id).where(Job.status == JobStatus.RUNNING, Job.started_at < limit)).all()
    for job_id in lost:
        fail(job_id, str(_l("The work was interrupted (the server restarted or it ran too long). Try again.")))
    db.session.flush()
    return list(stale), len(lost)
