"""Summary tables behind the reports and the dashboard.

They hold counts, not records: a few thousand rows whatever the number of enrolments, so a report
groups them in milliseconds. They are derived data, kept current on every flush by
`academy.reports.tallies` and rebuilt from the raw rows by `flask academy rebuild-tallies`; a test
proves they always equal the raw aggregate. Keys use 0 and '' for "all", so they carry no foreign keys.
Zero rows are kept: a count that goes back to zero is a row of zeros.
"""
from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.feeds import Feeds
from academy.extensions import db


class EnrolmentTally(db.Model):
    """Enrolments by programme, year the course starts, and the worker's subdistrict and qualification,
    with one count per enrolment status (a column each: five times fewer rows than a row per status)."""

    __tablename__ = "enrolment_tallies"
    __feeds__ = Feeds()  # derived: kept by academy.reports.tallies

    programme_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: the course has no date yet
    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    qualification: Mapped[str] = mapped_column(String(13), primary_key=True)
    pending: Mapped[int] = mapped_column(default=0)
    enrolled: Mapped[int] = mapped_column(default=0)
    waitlisted: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    not_completed: Mapped[int] = mapped_column(default=0)
    hours: Mapped[Decimal] = mapped_column(Numeric(14, 1), default=Decimal("0"))  # credited, completed only

    @classmethod
    def count_of(cls, *statuses):
        """SQL: how many enrolments of a row are in any of these statuses."""
        return sum((getattr(cls, status.value) for status in statuses[1:]), getattr(cls, statuses[0].value))


class MonthlyHours(db.Model):
    """Hours credited by completions, by the month the course ended (the dashboard's month chart)."""

    __tablename__ = "monthly_hours"
    __feeds__ = Feeds()  # derived: kept by academy.reports.tallies

    programme_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # of the course's end; 0: none
    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hours: Mapped[Decimal] = mapped_column(Numeric(14, 1), default=Decimal("0"))


class ReachTally(db.Model):
    """Distinct workers holding a seat, counted once per scope so that reports never COUNT DISTINCT raw rows.

    A scope is a programme (programme_id > 0), a tier (programme_id = 0, tier set) or every programme
    (0, ''), for one year (year > 0) or all years (0). Within a scope, workers split exactly by
    subdistrict and qualification, so those two may be summed; scopes may not.
    """

    __tablename__ = "reach_tallies"
    __feeds__ = Feeds()  # derived: kept by academy.reports.tallies

    programme_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    tier: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    qualification: Mapped[str] = mapped_column(String(13), primary_key=True)
    workers: Mapped[int] = mapped_column(default=0)
    ce_applicable: Mapped[int] = mapped_column(default=0)  # of those workers, continuing education applies
    ce_compliant: Mapped[int] = mapped_column(default=0)   # ... and they have their hours
    # Workers with any enrolment in the scope, whatever its status: the total of the drill-down's list.
    listed_workers: Mapped[int] = mapped_column(default=0, server_default="0")
    # Workers with a completed enrolment in the scope: the people trained that plans set targets for.
    completed_workers: Mapped[int] = mapped_column(default=0, server_default="0")


class WorkerTally(db.Model):
    """Workers by subdistrict and qualification: active accounts, and those to whom continuing education
    applies and who comply (the dashboard's head counts, whether or not they ever enrolled)."""

    __tablename__ = "worker_tallies"
    __feeds__ = Feeds()  # derived: kept by academy.reports.tallies

    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    qualification: Mapped[str] = mapped_column(String(13), primary_key=True)
    active_workers: Mapped[int] = mapped_column(default=0)
    ce_applicable: Mapped[int] = mapped_column(default=0)
    ce_compliant: Mapped[int] = mapped_column(default=0)
