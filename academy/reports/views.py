"""The administrators' dashboard. Reports only read."""
from flask import render_template
from sqlalchemy import func, select

from academy.core.i18n import local_today
from academy.core.permissions import Role, role_required
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.partners.queries import expiring_agreements
from academy.progress.models import ExternalRecord, ReviewStatus


@role_required(Role.ADMIN)
def dashboard():
    today = local_today()
    pending_requests = db.session.scalar(
        select(func.count(Enrolment.id)).where(Enrolment.status == EnrolmentStatus.PENDING))
    records_to_verify = db.session.scalar(
        select(func.count(ExternalRecord.id)).where(ExternalRecord.review_status == ReviewStatus.PENDING))
    return render_template("reports/dashboard.html", expiring=expiring_agreements(today), today=today,
                           pending_requests=pending_requests, records_to_verify=records_to_verify)
