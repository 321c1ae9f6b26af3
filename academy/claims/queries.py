"""Read helpers of the claims: a worker's claims, a reviewer's queue with its counts, a scheme's claims,
the public notice's rows."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from academy.auth.models import User, WorkerProfile
from academy.claims.models import Claim, ClaimEvent, ClaimState, ClaimUpload, Notice, Objection, Scheme
from academy.extensions import db

S = ClaimState


def claim_or_none(claim_id: int) -> Claim | None:
    return db.session.scalar(select(Claim).where(Claim.id == claim_id).options(
        joinedload(Claim.scheme), joinedload(Claim.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit),
        selectinload(Claim.events).joinedload(ClaimEvent.actor),
        selectinload(Claim.uploads).joinedload(ClaimUpload.file), selectinload(Claim.objections)))


def my_claims(worker_id: int) -> list[Claim]:
    return list(db.session.scalars(select(Claim).where(Claim.worker_id == worker_id)
                                   .options(joinedload(Claim.scheme)).order_by(Claim.id.desc())))


def open_schemes(today) -> list[Scheme]:
    return list(db.session.scalars(select(Scheme).where(Scheme.opens_on <= today, Scheme.closes_on >= today)
                                   .order_by(Scheme.exam_year.desc())))


def queue_query(conditions):
    """The claims of a queue, the oldest submission first, with what the list shows."""
    return (select(Claim).where(*conditions)
            .options(joinedload(Claim.scheme), joinedload(Claim.worker).joinedload(User.profile)
                     .joinedload(WorkerProfile.work_unit))
            .order_by(Claim.submitted_at, Claim.id))


def state_counts(conditions=()) -> dict:
    rows = db.session.execute(select(Claim.state, func.count(Claim.id)).where(*conditions).group_by(Claim.state))
    return {ClaimState(state): count for state, count in rows}


def schemes_page():
    return select(Scheme).order_by(Scheme.exam_year.desc())


def running_notices(scheme_ids) -> set[int]:
    """Which of the schemes have a notice still running (one query for a page of schemes)."""
    return set(db.session.scalars(select(Notice.scheme_id).where(Notice.scheme_id.in_(list(scheme_ids)),
                                                                 Notice.closed_at.is_(None))))


def scheme_claims(scheme_id: int, state: ClaimState | None = None):
    query = select(Claim).where(Claim.scheme_id == scheme_id).options(
        joinedload(Claim.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit))
    if state is not None:
        query = query.where(Claim.state == state)
    return query.order_by(Claim.id)


def pending_objections(scheme_id: int) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).join(Claim, Claim.id == Objection.claim_id)
        .where(Claim.scheme_id == scheme_id).options(joinedload(Objection.claim).joinedload(Claim.worker))
        .order_by(Objection.status != "pending", Objection.id.desc()).limit(100)))


def current_notice(scheme_id: int) -> Notice | None:
    return db.session.scalar(select(Notice).where(Notice.scheme_id == scheme_id).order_by(Notice.id.desc()).limit(1))


def notice_claims(notice_id: int):
    return (select(Claim).where(Claim.notice_id == notice_id, Claim.state == S.IN_NOTICE)
            .options(joinedload(Claim.worker), joinedload(Claim.work_unit)).order_by(Claim.id))


def submitted_claims(*, after: int | None, limit: int, scheme_id=None, exam_year=None, state=None,
                     subdistrict_id=None):
    """Submitted claims (never drafts) as plain rows without bank details, in the order of their ids from
    after `after`: a page a system following the claims reads."""
    query = (select(Claim.id, Claim.scheme_id, Scheme.exam_year, Claim.worker_id, User.name, Claim.subdistrict_id,
                    Claim.level, Claim.certificate_no, Claim.state, Claim.amount, Claim.submitted_at)
             .join(Scheme, Scheme.id == Claim.scheme_id).join(User, User.id == Claim.worker_id)
             .where(Claim.state != ClaimState.DRAFT))
    for column, value in ((Claim.scheme_id, scheme_id), (Scheme.exam_year, exam_year), (Claim.state, state),
                          (Claim.subdistrict_id, subdistrict_id)):
        if value is not None:
            query = query.where(column == value)
    if after:
        query = query.where(Claim.id > after)
    return db.session.execute(query.order_by(Claim.id).limit(limit)).all()
