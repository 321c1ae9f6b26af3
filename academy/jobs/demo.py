"""Demo background work for `make run`: the administrator's downloads in several states (a finished
export with its file, a failed one with its reason), and the outbox with a sent and a waiting message."""
from datetime import timedelta

from sqlalchemy import select

from academy.core.exports import write_csv
from academy.core.models import now_utc
from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs.models import Job, JobEvent, JobStatus, OutboxMessage, OutboxStatus


def load_demo_jobs(admin) -> None:
    if db.session.scalar(select(Job.id).where(Job.user_id == admin.id).limit(1)) is not None:
        return  # idempotent
    now = now_utc()
    name = ops.new_file_name(".csv")
    with open(ops.jobs_dir() / name, "wb") as handle:
        write_csv(handle, ["姓名", "课程", "状态"], [[["张晓梅", "社区骨干项目策划与管理", "已报名"]]])
    done = Job(user_id=admin.id, kind="enrolments_export", status=JobStatus.DONE, done=1, total=1, attempts=1,
               params={"filters": {"year": None, "programme": None, "tier": None, "subdistrict_id": None},
                       "format": "csv", "subdistrict_id": None},
               result_file=name, result_name="enrolments.csv", created_at=now - timedelta(minutes=3),
               started_at=now - timedelta(minutes=3), finished_at=now - timedelta(minutes=2),
               expires_at=now - timedelta(minutes=2) + ops.KEEP_FILES)
    failed = Job(user_id=admin.id, kind="refresh_standings", status=JobStatus.FAILED, done=0, total=120, attempts=1,
                 params={}, error="任务被中断(服务器重启或运行时间过长)。请重试。", created_at=now - timedelta(hours=2),
                 started_at=now - timedelta(hours=2), finished_at=now - timedelta(hours=1))
    db.session.add_all([done, failed])
    db.session.flush()
    for job in (done, failed):
        db.session.add_all([JobEvent(job_id=job.id, from_status=None, to_status="queued", at=job.created_at),
                            JobEvent(job_id=job.id, from_status="queued", to_status="running", at=job.started_at),
                            JobEvent(job_id=job.id, from_status="running", to_status=str(job.status),
                                     at=job.finished_at, reason=job.error)])
    db.session.add_all([
        OutboxMessage(channel="email", address="demo@example.cn", user_id=admin.id, kind="job_done",
                      subject="东城区社会工作学院:全部报名记录导出 已可下载", body_text="全部报名记录导出 已可下载(保留 7 天)。",
                      status=OutboxStatus.SENT, attempts=1, next_attempt_at=now, created_at=now, sent_at=now),
        OutboxMessage(channel="sms", address=admin.phone, user_id=admin.id, kind="reminder_session_tomorrow",
                      body_text="东城区社会工作学院提醒:明天09:00有课《社区骨干项目策划与管理》,请准时参加。",
                      status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now, created_at=now),
    ])
    db.session.flush()
