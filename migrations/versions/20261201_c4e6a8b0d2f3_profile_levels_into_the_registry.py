"""profile levels into the registry: a level a worker's profile held before the registry, with its
certificate number and registration date, becomes a record (verified where an administrator had
verified the profile, else awaiting verification), so that the registry's counts and the profile derived
from it start from what was known

Revision ID: c4e6a8b0d2f3
Revises: b3d5f7a9c1e2
Create Date: 2026-12-01 06:10:00.000000

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from academy.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'c4e6a8b0d2f3'
down_revision = 'b3d5f7a9c1e2'
branch_labels = None
depends_on = None

CARRIED_OVER = "个人档案转入"  # the issuing authority of carried-over records, by which the downgrade finds them
REASON = "carried over from the worker profile"

profiles = sa.table("worker_profiles", sa.column("user_id"), sa.column("qualification"), sa.column("certificate_no"),
                    sa.column("registration_date", sa.Date), sa.column("qualification_verified", sa.Boolean))
records = sa.table("qualification_records", sa.column("id"), sa.column("worker_id"), sa.column("level"),
                   sa.column("certificate_no"), sa.column("exam_year"), sa.column("issued_on", sa.Date),
                   sa.column("issuing_authority"), sa.column("status"), sa.column("imported", sa.Boolean),
                   sa.column("declared_by_id"), sa.column("decided_at", UTCDateTime),
                   sa.column("created_at", UTCDateTime), sa.column("updated_at", UTCDateTime))
events = sa.table("qualification_events", sa.column("record_id"), sa.column("at", UTCDateTime),
                  sa.column("actor_id"), sa.column("from_status"), sa.column("to_status"), sa.column("reason"))


def _rebuild_counts(connection) -> None:
    from academy.core.tallying import rebuild
    from academy.qualifications.tallies import TABLES, raw

    rebuild(connection, TABLES, raw)


def upgrade():
    connection = op.get_bind()
    now = datetime.now(timezone.utc)
    with_records = set(connection.scalars(sa.select(records.c.worker_id)))
    numbers = set(connection.scalars(sa.select(records.c.certificate_no).where(records.c.status != "refused")))
    candidates = connection.execute(sa.select(profiles).where(
        profiles.c.qualification != "none", profiles.c.certificate_no.is_not(None),
        profiles.c.registration_date.is_not(None)).order_by(profiles.c.user_id)).all()
    for row in candidates:
        number = row.certificate_no.strip().upper()
        year = row.registration_date.year
        if row.user_id in with_records or not number or number in numbers or year < 2008:
            continue  # the registry already speaks for this worker, or the number or year cannot be a record
        status = "verified" if row.qualification_verified else "declared"
        record_id = connection.execute(records.insert().values(
            worker_id=row.user_id, level=row.qualification, certificate_no=number, exam_year=year,
            issued_on=row.registration_date, issuing_authority=CARRIED_OVER, status=status, imported=False,
            declared_by_id=row.user_id, decided_at=now if status == "verified" else None, created_at=now,
            updated_at=now).returning(records.c.id)).scalar_one()
        connection.execute(events.insert().values(record_id=record_id, at=now, actor_id=None, from_status=None,
                                                  to_status=status, reason=REASON))
        numbers.add(number)
    _rebuild_counts(connection)


def downgrade():
    connection = op.get_bind()
    carried = sa.select(records.c.id).where(records.c.issuing_authority == CARRIED_OVER)
    connection.execute(events.delete().where(events.c.record_id.in_(carried)))
    connection.execute(records.delete().where(records.c.issuing_authority == CARRIED_OVER))
    _rebuild_counts(connection)
