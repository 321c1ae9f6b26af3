"""The ledger of materials and decisions (材料明细台账) of a scheme, one row per claim, and the
statistics by level and subdistrict with the change on the previous scheme."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.claims.models import REVIEW_STATES, Claim, ClaimEvent, ClaimState, ClaimUpload, Material, Scheme
from academy.core.i18n import local_datetime
from academy.core.masking import mask_resident_id
from academy.core.spreadsheets import spreadsheet_safe
from academy.extensions import db
from academy.qualifications.models import LEVELS

S = ClaimState
APPROVED_STATES = (S.FINAL_APPROVED, S.IN_NOTICE, S.APPROVED, S.PAID)
LEDGER_HEADER = (_l("Applicant"), _l("Resident ID number"), _l("Subdistrict"), _l("Work unit"), _l("Level"),
                 _l("Certificate number"), _l("Exam year"), _l("Amount"), _l("Bank and branch"),
                 _l("Bank account number"), _l("Status"), _l("Submitted"), _l("First review (subdistrict)"),
                 _l("Second review (academy)"), _l("Final review (district)"), _l("Materials"), _l("Objections"),
                 _l("Payment"))
LEDGER_WIDTHS = [10, 20, 12, 20, 16, 18, 8, 10, 20, 22, 14, 16, 30, 30, 30, 40, 30, 20]


def ledger_claims(scheme_id: int) -> list[Claim]:
    """Every claim of the scheme past its draft, with all the ledger shows (a fixed number of queries)."""
    return list(db.session.scalars(
        select(Claim).where(Claim.scheme_id == scheme_id, Claim.submitted_at.is_not(None))
        .options(joinedload(Claim.worker).joinedload(User.profile).joinedload(WorkerProfile.subdistrict),
                 joinedload(Claim.work_unit), joinedload(Claim.batch),
                 selectinload(Claim.events).joinedload(ClaimEvent.actor),
                 selectinload(Claim.uploads).joinedload(ClaimUpload.file), selectinload(Claim.objections))
        .order_by(Claim.subdistrict_id, Claim.level, Claim.id)))


def _decisions(claim: Claim, level: ClaimState) -> str:
    return "; ".join(f"{event.to_state.label} · {event.actor.name if event.actor else ''} · "
                     f"{local_datetime(event.at, '%Y-%m-%d')}{' · ' + event.reason if event.reason else ''}"
                     for event in claim.events if event.from_state == level)


def ledger_rows(claims, full: bool):
    """The ledger's rows; resident ID and bank account masked unless `full` (asked with a reason)."""
    for claim in claims:
        profile = claim.worker.profile
        materials = "; ".join(f"{Material(upload.material).label}: {upload.file.original_name}"
                              for upload in claim.latest_uploads().values())
        objections = "; ".join(f"{item.grounds} ({item.status.label}{': ' + item.resolution if item.resolution else ''})"
                               for item in claim.objections)
        payment = f"{claim.batch.batch_no} · {claim.batch.paid_on.isoformat()}" if claim.batch else ""
        resident_id = profile.resident_id if full else mask_resident_id(profile.resident_id)
        row = [claim.worker.name, resident_id or "", profile.subdistrict.name, claim.work_unit.name, claim.level.label,
               claim.certificate_no, claim.exam_year, claim.amount, claim.bank_name,
               claim.bank_account if full else claim.masked_account, claim.state.label,
               local_datetime(claim.submitted_at), *(_decisions(claim, level) for level in REVIEW_STATES),
               materials, objections, payment]
        yield [spreadsheet_safe(value) if isinstance(value, str) else value for value in row]


@dataclass
class Tally:
    applicants: int = 0
    approved: int = 0
    rejected: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class Statistics:
    levels: dict = field(default_factory=dict)  # level -> Tally
    streets: dict = field(default_factory=dict)  # subdistrict id -> Tally
    total: Tally = field(default_factory=Tally)
    previous: Scheme | None = None
    previous_applicants: int | None = None

    @property
    def change(self) -> str | None:
        """The change of applicants on the previous scheme: "+16.2%"."""
        if not self.previous_applicants:
            return None
        change = (self.total.applicants - self.previous_applicants) * 100 / self.previous_applicants
        return f"{change:+.1f}%"


def _grouped(scheme_id: int):
    approved = func.sum(case((Claim.state.in_(APPROVED_STATES), 1), else_=0))
    rejected = func.sum(case((Claim.state == S.REJECTED, 1), else_=0))
    amount = func.sum(case((Claim.state.in_(APPROVED_STATES), Claim.amount), else_=0))
    return db.session.execute(
        select(Claim.level, Claim.subdistrict_id, func.count(Claim.id), approved, rejected, amount)
        .where(Claim.scheme_id == scheme_id, Claim.submitted_at.is_not(None))
        .group_by(Claim.level, Claim.subdistrict_id)).all()


def statistics(scheme: Scheme) -> Statistics:
    result = Statistics(levels={level: Tally() for level in LEVELS})
    for level, street, applicants, approved, rejected, amount in _grouped(scheme.id):
        for tally in (result.levels[Qualification(level)], result.streets.setdefault(street, Tally()), result.total):
            tally.applicants += applicants
            tally.approved += int(approved or 0)
            tally.rejected += int(rejected or 0)
            tally.amount += Decimal(amount or 0)
    result.previous = db.session.scalar(select(Scheme).where(Scheme.exam_year < scheme.exam_year)
                                        .order_by(Scheme.exam_year.desc()).limit(1))
    if result.previous is not None:
        result.previous_applicants = db.session.scalar(select(func.count(Claim.id)).where(
            Claim.scheme_id == result.previous.id, Claim.submitted_at.is_not(None)))
    return result


@dataclass
class SchemeFigures:
    """The latest scheme's claims for the dashboard, with the change of applicants on the scheme before."""

    scheme_id: int
    title: str
    exam_year: int
    tally: Tally
    previous_applicants: int | None = None

    @property
    def change(self) -> str | None:
        return Statistics(total=self.tally, previous_applicants=self.previous_applicants).change


def dashboard_figures(session, subdistrict_id: int | None = None) -> SchemeFigures | None:
    """The two latest schemes' submitted claims (of one subdistrict, or all), in one statement."""
    latest = select(Scheme.id).order_by(Scheme.exam_year.desc(), Scheme.id.desc()).limit(2)
    joined = (Claim.scheme_id == Scheme.id) & Claim.submitted_at.is_not(None)
    if subdistrict_id is not None:
        joined &= Claim.subdistrict_id == subdistrict_id
    rows = session.execute(
        select(Scheme.id, Scheme.title, Scheme.exam_year, func.count(Claim.id),
               func.sum(case((Claim.state.in_(APPROVED_STATES), 1), else_=0)),
               func.sum(case((Claim.state == S.REJECTED, 1), else_=0)),
               func.sum(case((Claim.state.in_(APPROVED_STATES), Claim.amount), else_=0)))
        .select_from(Scheme).outerjoin(Claim, joined).where(Scheme.id.in_(latest))
        .group_by(Scheme.id, Scheme.title, Scheme.exam_year).order_by(Scheme.exam_year.desc(), Scheme.id.desc())).all()
    if not rows:
        return None
    scheme_id, title, year, applicants, approved, rejected, amount = rows[0]
    figures = SchemeFigures(scheme_id, title, year, Tally(applicants, int(approved or 0), int(rejected or 0),
                                                          Decimal(amount or 0)))
    if len(rows) > 1:
        figures.previous_applicants = rows[1][3]
    return figures
