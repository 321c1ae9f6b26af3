"""A job runs once, keeps its progress and its file, says why it failed in words, can be retried, tells
its user, and its file is removed after 7 days (its record stays)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs.models import Job, JobEvent, JobStatus
from academy.jobs.runner import run_job
from academy.notifications.models import Notification


def _job(make, **params):
    user = make.create_admin()
    job = ops.create_job(user, "probe", params)
    db.session.commit()
    return user, job


def _events(job):
    return [(event.from_status, event.to_status) for event in
            db.session.scalars(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.id))]


def test_a_job_runs_keeps_its_file_and_tells_its_user(make, probe_kind):
    user, job = _job(make, rows=4)
    assert run_job(job.id) is True
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and (job.done, job.total) == (4, 4) and job.percent == 100
    assert job.result_name == "probe.csv" and job.result_file.endswith(".csv") and len(job.result_file) == 36
    assert ops.result_path(job).read_text() == "row 0\nrow 1\nrow 2\nrow 3\n"
    assert "static" not in str(ops.result_path(job))
    assert job.expires_at - job.finished_at == timedelta(days=7)
    assert _events(job) == [(None, "queued"), ("queued", "running"), ("running", "done")]
    note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert note.kind == "job_done" and note.link == f"/jobs/{job.id}"


def test_a_job_runs_once_however_often_it_is_handed_out(make, probe_kind):
    user, job = _job(make)
    assert run_job(job.id) is True
    assert run_job(job.id) is False
    assert probe_kind == [job.id]
    assert db.session.scalar(select(Job.attempts).where(Job.id == job.id)) == 1


def test_a_refusal_is_shown_in_words_and_nothing_is_kept(make, probe_kind):
    user, job = _job(make, mode="refuse")
    run_job(job.id)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.error == "The course has no certificates yet."
    assert job.result_file is None
    assert _events(job)[-1] == ("running", "failed")
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == user.id)) == "job_failed"


def test_an_unexpected_error_is_named_and_the_job_can_be_tried_again(make, probe_kind):
    user, job = _job(make, mode="crash")
    run_job(job.id)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and "ZeroDivisionError" in job.error and "boom" not in job.error
    job.params = {"mode": "ok"}
    db.session.commit()
    ops.retry(job, user)
    db.session.commit()
    assert job.status == JobStatus.QUEUED
    run_job(job.id)
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error is None
    assert ("failed", "queued") in _events(job)


def test_only_a_failed_job_can_be_retried(make, probe_kind):
    user, job = _job(make)
    with pytest.raises(OperationError):
        ops.retry(job, user)
    run_job(job.id)
    db.session.refresh(job)
    with pytest.raises(OperationError):
        ops.retry(job, user)
    assert db.session.get(Job, job.id).status == JobStatus.DONE


def test_an_unknown_kind_cannot_be_created(make):
    with pytest.raises(ValueError):
        ops.create_job(make.create_admin(), "no-such-work")


def test_files_older_than_seven_days_are_removed_and_the_record_stays(make, probe_kind):
    user, old = _job(make)
    run_job(old.id)
    recent = ops.create_job(user, "probe", {})
    db.session.commit()
    run_job(recent.id)
    db.session.refresh(old), db.session.refresh(recent)
    old_path = ops.result_path(old)
    assert ops.remove_expired_files(now_utc() + timedelta(days=6)) == 0
    assert ops.remove_expired_files(now_utc() + timedelta(days=7, minutes=1)) == 2
    db.session.commit()
    assert not old_path.exists() and ops.result_path(old) is None
    assert db.session.get(Job, old.id).removed_at is not None


def test_work_a_restart_interrupted_is_handed_out_again_or_failed_with_the_reason(app, make, probe_kind):
    from academy.jobs.scheduler import tick

    user = make.create_admin()
    waiting = ops.create_job(user, "probe", {})
    stuck = ops.create_job(user, "probe", {})
    db.session.commit()
    assert ops.claim(stuck.id)
    db.session.commit()
    later = now_utc() + timedelta(seconds=app.config["JOBS_TIMEOUT"] + 60)
    counts = tick(later)
    assert (counts["jobs_handed_out_again"], counts["jobs_interrupted"]) == (1, 1)
    db.session.refresh(waiting), db.session.refresh(stuck)
    assert waiting.status == JobStatus.DONE
    assert stuck.status == JobStatus.FAILED and "interrupted" in stuck.error
