"""Running one job: claim it (once, whatever the number of workers), run its kind's work in the
language of the user who asked, keep its progress where the progress page reads it, keep its file, say
why it failed in words, and tell the user. This is the job's "view": it commits."""
import logging
import time

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from academy.jobs.operations import write_lock
from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs.kinds import JobError, kind_of
from academy.jobs.models import Job
from academy.jobs.queue import backend_name, submit

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between two progress writes


class Run:
    """What a kind's work gets: the job, its parameters, a progress callback and a file to write."""

    def __init__(self, job: Job):
        self.job, self.params = job, dict(job.params or {})
        self.result_file = self.result_name = None
        self.done, self.total = 0, job.total
        self._written = 0.0

    def progress(self, done: int, total: int | None = None, force: bool = False) -> None:
        """Rows done (of total): written at most every PROGRESS_EVERY seconds, in a transaction of its own;
        not to be called while the work's session holds SQLite's write lock (begin_write)."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_EVERY:
            return
        self._written = now
        if backend_name() == "sync":  # the caller's transaction: nobody polls meanwhile
            ops.set_progress(db.session, self.job.id, done, total)
            return
        with db.engine.begin() as connection:  # its own short transaction, seen at once by the progress page
            ops.set_progress(connection, self.job.id, done, total)

    def open_result(self, download_name: str, suffix: str):
        """A binary file to write the result to, kept under a generated name outside static/."""
        self.result_file, self.result_name = ops.new_file_name(suffix), download_name
        return open(ops.jobs_dir() / self.result_file, "wb")


def enqueue(job: Job) -> None:
    """Hand a committed job to the queue."""
    submit(run_job, job.id)


def run_job(job_id: int) -> bool:
    """Run the job if it is still queued; False if another worker has it (or had it)."""
    session = db.session
    write_lock(session)
    if not ops.claim(job_id):
        session.rollback()
        return False
    session.commit()
    job = session.get(Job, job_id)
    kind, locale = kind_of(job.kind), _locale_of(job)
    run = Run(job)
    session.commit()  # the work starts in a transaction of its own (SQLite: no stale snapshot to write from)
    with force_locale(locale):
        try:
            if kind is None:
                raise JobError(_l("This kind of work is no longer offered."))
            kind.run(run)
        except Exception as error:
            session.rollback()
            _remove_partial(run)
            if not isinstance(error, JobError):
                log.exception("job %s (%s) failed", job_id, job.kind)
            _close(job_id, error=_in_words(error))
            return True
        session.commit()  # ends the work's reading transaction before the write
        _close(job_id, run=run)
    return True


def _close(job_id: int, run: Run | None = None, error: str | None = None) -> None:
    from academy.notifications.operations import notify

    session = db.session
    write_lock(session)
    if error is None:
        ops.finish(job_id, run.result_file, run.result_name, done=run.done)
    else:
        ops.fail(job_id, error)
    job = session.get(Job, job_id)
    session.refresh(job)
    if job.user_id is not None:
        kind = kind_of(job.kind)
        label = str(kind.label) if kind else job.kind
        notify(job.user_id, "job_failed" if error else "job_done", link=job_link(job.id), work=label)
    session.commit()


def _in_words(error: Exception) -> str:
    if isinstance(error, JobError):
        return str(error)
    return str(_l("The work stopped on an unexpected error (%(error)s). Try again; if it fails again, tell "
                  "the administrator.", error=error.__class__.__name__))


def _remove_partial(run: Run) -> None:
    if run.result_file:
        (ops.jobs_dir() / run.result_file).unlink(missing_ok=True)
        run.result_file = run.result_name = None


def _locale_of(job: Job) -> str:
    from academy.auth.models import User

    user = db.session.get(User, job.user_id) if job.user_id else None
    return (user.locale if user is not None and user.locale else None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def job_link(job_id: int) -> str:
    """The job page's path, built without a request (workers have none)."""
    return current_app.url_map.bind("localhost").build("jobs.job_page", {"job_id": job_id})
