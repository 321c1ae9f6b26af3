"""The one scheduler: a tick that sends the reminders due, starts the monthly reports, closes the check-ins
left without their sign-out, asks the attendees of courses just ended to evaluate them, delivers the
outbox's due messages (retries included), removes job files past their 7 days and recovers work that a
restart interrupted. Production runs it from cron every few minutes:

    */5 * * * *  cd /srv/academy && .venv/bin/flask --app wsgi academy reminders

`make run` runs it in a thread of the web process once a minute (SCHEDULER_IN_PROCESS=1). Running it
more often, or twice at once, sends nothing twice (the sent-reminder table; the outbox's claims)."""
import logging
import threading
from datetime import datetime

from academy.extensions import db

log = logging.getLogger(__name__)
EVERY = 60.0  # seconds between two in-process ticks
_started = threading.Event()
_stop = threading.Event()


def tick(now: datetime | None = None) -> dict:
    from academy.jobs.operations import recover, remove_expired_files, write_lock
    from academy.jobs.outbox import deliver_due, requeue_stuck
    from academy.jobs.queue import submit
    from academy.core.i18n import LOCAL_TZ
    from academy.core.models import now_utc
    from academy.jobs.reminders import run_reminders, start_monthly_reports
    from academy.jobs.runner import enqueue, run_job
    from academy.attendance.checkin_operations import close_unsigned
    from academy.evaluations.operations import invite_due

    write_lock(db.session)
    counts = run_reminders(now)
    counts["sign_ins_closed"] = close_unsigned(now)
    counts["evaluations_invited"] = invite_due(now)
    reports = start_monthly_reports((now or now_utc()).astimezone(LOCAL_TZ))
    db.session.commit()
    for job in reports:
        enqueue(job)
    counts["monthly_reports"] = len(reports)
    write_lock(db.session)
    counts["files_removed"] = remove_expired_files(now)
    stale, counts["jobs_interrupted"] = recover(now)
    counts["outbox_requeued"] = requeue_stuck()
    db.session.commit()
    for job_id in stale:
        submit(run_job, job_id)
    counts["jobs_handed_out_again"] = len(stale)
    counts["messages_sent"] = deliver_due(now)
    return counts


def start_in_process(app, every: float = EVERY) -> threading.Thread | None:
    """A daemon thread running the tick every `every` seconds (once per process, until stop_in_process)."""
    if _started.is_set():
        return None
    _started.set()
    _stop.clear()

    def loop():
        while True:
            with app.app_context():
                try:
                    tick()
                except Exception:
                    log.exception("scheduler tick failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            if _stop.wait(every):
                return

    thread = threading.Thread(target=loop, name="scheduler", daemon=True)
    thread.start()
    return thread


def stop_in_process() -> None:
    _stop.set()
    _started.clear()
