"""The administrators' list of closing requests, paged by seek, with each request's account."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from academy.core.pagination import SeekSelectPagination, seek_from
from academy.extensions import db
from academy.privacy.models import ClosureRequest, ClosureStatus


def closure_page(status: ClosureStatus, args, per_page: int = 30):
    statement = (select(ClosureRequest).where(ClosureRequest.status == status)
                 .options(selectinload(ClosureRequest.user), selectinload(ClosureRequest.decided_by)))
    return SeekSelectPagination(select=statement, session=db.session, key=ClosureRequest.id,
                                descending=status != ClosureStatus.PENDING, seek=seek_from(args),
                                per_page=per_page, error_out=False)
