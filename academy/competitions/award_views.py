"""Award tiers and giving the awards, award certificates, the public case library and the talent pool."""
import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from academy.certificates.operations import verify_url
from academy.competitions import awards as award_ops
from academy.competitions.certificate import render_award
from academy.competitions.enums import AwardKind, Medal
from academy.competitions.forms import CaseFilterForm, GiveAwardsForm, RevokeAwardForm, TalentFilterForm, TierForm
from academy.competitions.library import (
    CaseFilters, TalentFilters, awards_of, case_query, talent_export_query, talent_query,
)
from academy.competitions.models import Award, AwardTier, Competition, Team, TeamMember
from academy.competitions.operations import may_register
from academy.core.exports import csv_response, xlsx_response
from academy.core.masking import mask_phone
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.programmes.names import subdistrict_refs
from academy.progress.evidence import evidence_path
from wtforms.fields.choices import SelectChoice


@role_required(Role.ADMIN)
def competition_awards(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    tiers = db.session.scalars(select(AwardTier).where(AwardTier.competition_id == competition.id)
                               .order_by(AwardTier.kind, AwardTier.id)).all()
    given = db.session.scalars(awards_of(competition.id)).all()
    return render_template("competitions/awards.html", competition=competition, tiers=tiers, awards=given,
                           tier_form=TierForm(), give_form=GiveAwardsForm(), revoke_form=RevokeAwardForm())


@role_required(Role.ADMIN)
def tier_create(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = TierForm()
    if form.validate_on_submit():
        attempt(lambda: award_ops.add_tier(competition, current_user, kind=form.kind.data, medal=form.medal.data,
                                           group=form.group.data, places=form.places.data),
                success=_("The award tier is added."))
    else:
        flash(_("Check the award tier."), "danger")
    return redirect(url_for("competitions.competition_awards", competition_id=competition.id))


@role_required(Role.ADMIN)
def awards_give(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    if GiveAwardsForm().validate_on_submit():
        attempt(lambda: award_ops.give_awards(competition, current_user), success=_("The awards are given."))
    return redirect(url_for("competitions.competition_awards", competition_id=competition.id))


@role_required(Role.ADMIN)
def award_revoke(award_id):
    award = db.get_or_404(Award, award_id)
    form = RevokeAwardForm()
    if form.validate_on_submit():
        attempt(lambda: award_ops.revoke_award(award, current_user, form.reason.data),
                success=_("The award is revoked."))
    else:
        flash(_("Give the reason."), "danger")
    return redirect(url_for("competitions.competition_awards", competition_id=award.competition_id))


def _may_download(award: Award) -> bool:
    if current_user.role == Role.ADMIN:
        return True
    if award.worker_id is not None:
        return award.worker_id == current_user.id
    if award.team_id is not None:
        return db.session.scalar(select(TeamMember.id).where(TeamMember.team_id == award.team_id,
                                                             TeamMember.worker_id == current_user.id)) is not None
    return current_user.role == Role.STREET_ADMIN and current_user.street_id == award.subdistrict_id


@login_required
def award_certificate(award_id):
    award = award_ops.award_by_code(db.session.scalar(select(Award.verification_code).where(Award.id == award_id))
                                    or "")
    if award is None or not _may_download(award):
        abort(404)
    if award.revoked_at is not None:
        abort(410)
    data = render_award(award, verify_url(award))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"award-{award.id}.pdf")


def case_library():
    form = CaseFilterForm(request.args)
    form.validate()
    filters = CaseFilters(q=form.valid_value("q"), group=form.valid_value("group"), field=form.valid_value("field"))
    page = db.paginate(case_query(filters), per_page=20, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("competitions/cases.html", page=page, form=form, args=args, gold=Medal.GOLD)


def _attachment_visible(team: Team) -> bool:
    """Anyone, for a winning project whose team allows it; else the team's administrators and members."""
    if team.publish_attachments and db.session.scalar(select(Award.id).join(Award.tier).where(
            Award.team_id == team.id, Award.revoked_at.is_(None), AwardTier.kind == AwardKind.TEAM).limit(1)):
        return True
    if not current_user.is_authenticated:
        return False
    if may_register(current_user, team.subdistrict_id):
        return True
    return any(member.worker_id == current_user.id for member in team.members)


def team_attachment(team_id):
    team = db.session.get(Team, team_id)
    if team is None or team.attachment is None or not _attachment_visible(team):
        abort(404)
    return send_file(evidence_path(team.attachment), mimetype=team.attachment.content_type, as_attachment=True,
                     download_name=team.attachment.display_name)


TALENT_HEADER = (_l("Name"), _l("Mobile number"), _l("Subdistrict"), _l("Competition"), _l("Year"), _l("Tier"),
                 _l("Team"), _l("Flagged on"))


@role_required(Role.ADMIN)
def talent_pool():
    streets = subdistrict_refs()
    form = TalentFilterForm(request.args)
    form.subdistrict.choices = [SelectChoice("", _l("All"))] + [SelectChoice(str(s.id), s.name) for s in streets]
    form.validate()
    street = form.valid_value("subdistrict")
    year = form.year.data if form.year.data and not form.year.errors else None
    filters = TalentFilters(subdistrict_id=int(street) if street else None, medal=form.valid_value("medal"), year=year)
    names = {s.id: s.name for s in streets}
    export = request.args.get("format")
    if export in ("csv", "xlsx"):
        medals = {m.value: str(m.label) for m in Medal}
        rows = ([r.name, mask_phone(r.phone), names.get(r.subdistrict_id, ""), r.title, r.year,
                 medals.get(str(r.medal), ""), r.team or "", r.flagged_at.date().isoformat()]
                for r in db.session.execute(talent_export_query(filters)))
        header = [str(h) for h in TALENT_HEADER]
        if export == "csv":
            return csv_response("talent-pool", header, rows)
        return xlsx_response("talent-pool", "talent pool", header, rows, [10, 14, 14, 30, 8, 10, 16, 12])
    page = db.paginate(talent_query(filters), per_page=50, error_out=False)
    args = {key: value for key, value in request.args.items() if key not in ("page", "format") and value}
    return render_template("competitions/talent.html", page=page, form=form, names=names, args=args)
