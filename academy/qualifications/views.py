"""The registry's pages: a worker's own records, an administrator's view of a worker's records and
their decisions, and the registry list with its exports."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.core.i18n import local_today
from academy.core.masking import mask_resident_id
from academy.core.pagination import RowSelectPagination
from academy.core.permissions import ADMIN_ROLES, Role, role_required
from academy.programmes.names import subdistrict_refs
from academy.core.views import attempt
from academy.extensions import db
from academy.qualifications import operations
from academy.qualifications.counts import build_counts, tallied_holder_rows, tallied_year_rows
from academy.qualifications.forms import CeremonyNoticeForm, DecisionForm, DeclarationForm, RegistryFilterForm
from academy.qualifications.models import LEVELS, QualificationRecord, RecordStatus
from academy.qualifications.queries import (
    RegistryFilters, ceremony_counts, ceremony_query, ceremony_rows, export_query, progression, registry_query,
    worker_records,
)
from academy.core.exports import csv_response, xlsx_response
from academy.core.scope import Scope

SCAN_LIMIT = 10 * 1024 * 1024
CEREMONY_PER_PAGE = 100


def _records_page(worker, own: bool):
    records = worker_records(worker.id)
    return render_template("qualifications/records.html", worker=worker, records=records,
                           steps=progression(records), own=own, form=DecisionForm(), statuses=RecordStatus)


@role_required(Role.WORKER)
def my_records():
    return _records_page(current_user, own=True)


@role_required(Role.WORKER)
def declare():
    form = DeclarationForm()
    if form.validate_on_submit():
        upload = form.scan.data
        data = upload.read(SCAN_LIMIT + 1) if upload else None
        if attempt(lambda: operations.declare(
                current_user, level=form.level.data, certificate_no=form.certificate_no.data,
                exam_year=form.exam_year.data, issued_on=form.issued_on.data,
                issuing_authority=form.issuing_authority.data, scan_name=upload.filename if upload else None,
                scan_data=data or None),
                form=form, success=_("The certificate is sent for verification.")):
            return redirect(url_for("qualifications.my_records"))
    return render_template("qualifications/declare.html", form=form)


def _reviewable_worker(user_id) -> User:
    worker = db.session.scalar(select(User).where(User.id == user_id).options(
        joinedload(User.profile).joinedload(WorkerProfile.subdistrict)))
    if worker is None or not operations.can_review(current_user, worker):
        abort(404)
    return worker


@role_required(*ADMIN_ROLES)
def worker_records_page(user_id):
    return _records_page(_reviewable_worker(user_id), own=False)


@role_required(*ADMIN_ROLES)
def decide(qualification_id):
    item = db.session.get(QualificationRecord, qualification_id)
    if item is None or not operations.can_review(current_user, item.worker):
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        if form.verify.data:
            action = lambda: operations.verify(item, actor=current_user, override_reason=form.override_reason.data)  # noqa: E731
        elif form.revoke.data:
            action = lambda: operations.revoke(item, actor=current_user, reason=form.reason.data)  # noqa: E731
        elif form.refuse.data:
            action = lambda: operations.refuse(item, actor=current_user, reason=form.reason.data)  # noqa: E731
        else:
            action = None
        if action is not None:
            attempt(action, success=_("The decision is saved and the worker is told."))
    return redirect(url_for("qualifications.worker_records_page", user_id=item.worker_id))


EXPORT_HEADER = (_l("Name"), _l("Resident ID number"), _l("Subdistrict"), _l("Qualification level"),
                 _l("Certificate number"), _l("Exam or review year"), _l("Date of issue"), _l("Issuing authority"),
                 _l("Status"))


def _registry_filters(form: RegistryFilterForm, scope: Scope) -> RegistryFilters:
    subdistrict = form.valid_value("subdistrict")
    year = form.year.data if form.year.data and not form.year.errors else None
    return RegistryFilters(level=form.valid_value("level"), status=form.valid_value("status"), year=year,
                           subdistrict_id=scope.narrow(int(subdistrict) if subdistrict else None))


def _export_rows(filters: RegistryFilters):
    names = {u.id: u.name for u in subdistrict_refs()}
    levels = {level: str(level.label) for level in Qualification}
    statuses = {status: str(status.label) for status in RecordStatus}
    for row in db.session.execute(export_query(filters)):
        yield [row.name, mask_resident_id(row.resident_id), names.get(row.subdistrict_id, ""), levels[row.level],
               row.certificate_no, row.exam_year, row.issued_on.isoformat() if row.issued_on else "",
               row.issuing_authority, statuses[row.status]]


@role_required(*ADMIN_ROLES)
def registry():
    scope = Scope.of(current_user)
    streets = [u for u in subdistrict_refs() if scope.subdistrict_id in (None, u.id)]
    form = RegistryFilterForm(request.args)
    form.set_choices(streets)
    form.validate()
    filters = _registry_filters(form, scope)
    export_format = request.args.get("format")
    if export_format in ("csv", "xlsx"):
        header = [str(text) for text in EXPORT_HEADER]
        if export_format == "csv":
            return csv_response("qualifications", header, _export_rows(filters))
        whose = next((u.name for u in streets if u.id == scope.subdistrict_id), None) or _("the whole district")
        return xlsx_response("qualifications", "qualifications", header, _export_rows(filters),
                             [12, 22, 14, 16, 20, 10, 12, 24, 12], title=f"{_('Qualification registry')} · {whose}")
    page = db.paginate(registry_query(filters), per_page=50, error_out=False)
    names = {u.id: u.name for u in streets}
    args = {key: value for key, value in request.args.items() if key not in ("page", "format") and value}
    return render_template("qualifications/registry.html", page=page, form=form, names=names, args=args,
                           scoped=scope.subdistrict_id is not None)


@role_required(*ADMIN_ROLES)
def counts():
    scope = Scope.of(current_user)
    result = build_counts(tallied_holder_rows(db.session), tallied_year_rows(db.session), subdistrict_refs(), scope.subdistrict_id,
                          local_today().year)
    streets = [row for row in result.streets if scope.subdistrict_id in (None, row.id)]
    series = result.street_years if scope.subdistrict_id else result.years
    charts = {level: [(row.year, row.new[level]) for row in series] for level in LEVELS}
    return render_template("qualifications/counts.html", counts=result, streets=streets, levels=LEVELS, charts=charts,
                           scoped=scope.subdistrict_id is not None)


def _ceremony_year() -> int:
    year = request.values.get("year", type=int)
    return year if year and 2008 <= year <= local_today().year else local_today().year - 1


def _ceremony_summary(counts: dict):
    """Totals per level, and [(level, total, [(subdistrict id, count)])] highest level first."""
    level_totals = {}
    for (level, _street), count in counts.items():
        level_totals[level] = level_totals.get(level, 0) + count
    by_street = lambda pair: (pair[0] is None, pair[0] or 0)  # noqa: E731 -- a worker without a subdistrict last
    summary = [(level, level_totals[level],
                sorted(((street, count) for (counted, street), count in counts.items() if counted == level),
                       key=by_street))
               for level in sorted(level_totals, key=lambda level: -level.rank)]
    return level_totals, summary


@role_required(*ADMIN_ROLES)
def ceremony():
    """The newly certified of a year, by level and subdistrict, printable for the award ceremony."""
    year, scope = _ceremony_year(), Scope.of(current_user)
    printing = request.args.get("print") == "1"
    counts = ceremony_counts(year, scope.subdistrict_id)
    total = sum(counts.values())
    if printing:  # the whole list, to print for the ceremony
        rows, page = ceremony_rows(year, scope.subdistrict_id), None
    else:  # on screen a page of it: a district's year is thousands of names
        page = RowSelectPagination(select=ceremony_query(year, scope.subdistrict_id), session=db.session,
                                   per_page=CEREMONY_PER_PAGE, max_per_page=CEREMONY_PER_PAGE, error_out=False,
                                   count=False)
        page.total, rows = total, page.items  # the total the counts give: no count of its own
    groups = {}
    for item, name, street_id in rows:
        groups.setdefault(item.level, {}).setdefault(street_id, []).append((item, name))
    level_totals, summary = _ceremony_summary(counts)
    names = {u.id: u.name for u in subdistrict_refs()}
    return render_template("qualifications/ceremony.html", year=year, groups=groups, names=names, total=total,
                           counts=counts, level_totals=level_totals, summary=summary, page=page,
                           years=range(local_today().year, 2007, -1), notice=CeremonyNoticeForm(year=year),
                           printing=printing)


@role_required(Role.ADMIN)
def ceremony_notify():
    form = CeremonyNoticeForm()
    year = _ceremony_year()
    if form.validate_on_submit():
        records = [item for item, _name, _street in ceremony_rows(year)]
        attempt(lambda: operations.notify_ceremony(records, year=year, details=form.details.data, actor=current_user),
                success=_("Everyone on the list is notified."))
    else:
        flash(_("Say when and where."), "danger")
    return redirect(url_for("qualifications.ceremony", year=year))
