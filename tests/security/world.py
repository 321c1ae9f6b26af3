"""One small world with an object of every kind, for tests that walk every route."""
from datetime import timedelta
from decimal import Decimal

from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.operations import new_code
from academy.core.i18n import local_today
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.materials.operations import add_file
from academy.notifications.operations import notify
from academy.partners.models import Agreement, AgreementType, Partner, PracticeBase
from academy.progress.evidence import store_evidence
from academy.progress.models import ContinuingEducationRule, ExternalRecord
from academy.qualifications.models import QualificationRecord
from tests.security.world_claims import claims_world
from academy.plans.models import Plan, QuarterlyReport
from academy.plans.operations import create_plan
from academy.privacy.models import ClosureRequest
from academy.api import clients, tokens
from academy.api.models import CLIENT_SCOPES, SCOPES_OF_ROLE
from academy.core.permissions import Role

PDF = b"%PDF-1.4\n%%EOF\n"


def build_world(make) -> dict:
    street = make.subdistrict("110101001000")
    unit = make.create_unit(parent=street)
    worker = make.create_worker(work_unit=unit)
    other_worker = make.create_worker(work_unit=make.create_unit(parent=make.subdistrict("110101016000")))
    instructor = make.create_instructor()
    street_admin = make.create_street_admin(street=street)
    admin = make.create_admin()
    course = make.create_course(sessions=2, instructors=[instructor], starts_on=local_today() - timedelta(days=5))
    enrolment = ops.enrol(course, worker, by_staff=True)
    other_enrolment = ops.enrol(course, other_worker, by_staff=True)
    evidence = store_evidence(worker, "证明.pdf", PDF)
    record = ExternalRecord(worker_id=worker.id, kind="training", title="院外培训", institution="机构",
                            hours=Decimal("8"), ended_on=local_today(), evidence=evidence)
    partner = db.session.scalar(db.select(Partner).order_by(Partner.id))
    agreement = Agreement(title="协议", type=AgreementType.FRAMEWORK, signed_on=local_today(), parties=[partner],
                          document=store_evidence(admin, "协议.pdf", PDF))
    base = PracticeBase(name=f"实训基地{enrolment.id}", host_partner=partner, subdistrict=street)
    certificate = Certificate(kind=CertificateKind.COURSE, scope_key=f"course:{enrolment.id}",
                              serial=f"DCSW-TEST-{enrolment.id}", verification_code=new_code(), worker_id=worker.id, programme=course.programme,
                              course=course, holder_name=worker.name, title=course.title, hours=Decimal("6"))
    qualification = QualificationRecord(worker_id=worker.id, level="social_worker", certificate_no=f"W{enrolment.id}",
                                        exam_year=2020, issuing_authority="民政部", scan=store_evidence(worker, "证.pdf", PDF))
    db.session.add_all([record, agreement, base, certificate, qualification])
    db.session.flush()
    claim_params = claims_world(worker, qualification)
    material = add_file(course, actor=instructor, title="课件", filename="课件.pdf", data=PDF, publish=True)
    notify(worker.id, "enrolled", course=course.title)
    closure = ClosureRequest(user_id=other_worker.id, reason="调离社工岗位")
    db.session.add(closure)
    learning = SCOPES_OF_ROLE[Role.WORKER]
    api_token, api_secret = tokens.create(worker, name="小程序", scopes=learning, days=30)
    _other_token, other_api_secret = tokens.create(other_worker, name="脚本", scopes=learning, days=30)
    secrets = {"worker": api_secret, "other_worker": other_api_secret}
    for key, holder in (("street_admin", street_admin), ("admin", admin)):
        secrets[key] = tokens.create(holder, name="报表", scopes=SCOPES_OF_ROLE[holder.role], days=30)[1]
    api_client, _client_secret = clients.create_client(admin, name="人才库", scopes=CLIENT_SCOPES, subdistrict_id=None)
    secrets["system"] = clients.issue_token(api_client)[1]
    db.session.commit()
    rule = db.session.scalar(db.select(ContinuingEducationRule))
    competition = competition_world(make, admin, worker)
    plan = db.session.scalar(db.select(Plan).order_by(Plan.id)) or create_plan(
        admin, year=local_today().year, programme=course.programme, subdistrict=None, figures={"enrolments": 10})
    quarterly = QuarterlyReport(year=2025, quarter=1, text="季度报告", figures="{}", pdf=PDF, xlsx=b"PK",
                                issued_by_id=admin.id)
    db.session.add(quarterly)
    db.session.commit()
    job = _finished_export(street_admin, street)
    return dict(
        users={"worker": worker, "instructor": instructor, "street_admin": street_admin, "admin": admin},
        params={
            "course_id": course.id, "session_id": course.sessions[0].id, "enrolment_id": enrolment.id,
            "user_id": worker.id, "unit_id": unit.id, "slug": "zhuji", "partner_id": partner.id,
            "agreement_id": agreement.id, "base_id": base.id, "certificate_id": certificate.id,
            "evidence_id": evidence.id, "qualification_id": qualification.id, "record_id": record.id, "rule_id": rule.id, "target": "closed",
            "kind": "training", "code": certificate.verification_code, "filename": "css/academy.css",
            **claim_params,
            **competition,
            "material_id": material.id, "what": "file", "to": "published",
            "plan_id": plan.id, "report_id": quarterly.id,
            "fmt": "json", "closure_id": closure.id, "token_id": api_token.id, "client_id": api_client.id,
            "job_id": job.id, "work": "rebuild_tallies", "token": _stop_token(worker),
        },
        other_enrolment=other_enrolment, other_worker=other_worker,
        api_tokens=secrets,
    )


def competition_world(make, admin, worker) -> dict:
    """A competition with a preliminary, a team with the world's worker, and a submitted score sheet."""
    from datetime import date

    from academy.competitions import judging, operations as cops
    from academy.competitions.enums import CompetitionStatus, Field, Group, ModuleKind, Stage

    competition = cops.create_competition(admin, title=f"技能大赛{worker.id}", theme="以赛促学", year=2026,
                                          groups=[Group.LIVELIHOOD], fields=[Field.ELDERLY_CHILDREN], team_min=1,
                                          team_max=3)
    round_ = cops.add_round(competition, admin, stage=Stage.PRELIMINARY, starts_on=date(2026, 5, 1),
                            ends_on=date(2026, 5, 2), venue="东华门街道")
    theory = cops.add_module(round_, admin, kind=ModuleKind.THEORY, weight=Decimal(40), max_score=Decimal(100))
    case = cops.add_module(round_, admin, kind=ModuleKind.CASE_ANALYSIS, weight=Decimal(60), max_score=Decimal(100))
    criterion = cops.add_criterion(case, admin, title="评估", maximum=Decimal(100))
    cops.set_status(competition, admin, CompetitionStatus.REGISTRATION)
    team = cops.register_team(competition, admin, name="东华门队", subdistrict_id=worker.profile.subdistrict_id,
                              group=Group.LIVELIHOOD, field=Field.ELDERLY_CHILDREN, member_ids=[worker.id],
                              leader_id=worker.id, project_title="项目", project_summary="简介",
                              publish_attachments=True, attachment_name="项目.pdf", attachment_data=PDF)
    judge = make.create_judge()
    judging.assign_judge(round_, admin, judge=judge, group=Group.LIVELIHOOD)
    sheet = judging.open_sheet(judge, team, case)
    judging.save_sheet(sheet, judge, version=sheet.version, scores={sheet.lines[0].criterion_id: (Decimal(80), None)})
    judging.submit_sheet(sheet, judge, version=sheet.version)
    from academy.certificates.operations import new_code
    from academy.competitions.enums import AwardKind, Medal
    from academy.competitions.models import Award, AwardTier

    tier = AwardTier(competition_id=competition.id, kind=AwardKind.TEAM, medal=Medal.GOLD, group=Group.LIVELIHOOD,
                     places=1)
    award = Award(competition_id=competition.id, tier=tier, team_id=team.id, verification_code=new_code(),
                  awarded_by_id=admin.id)
    db.session.add(award)
    db.session.flush()
    return {"competition_id": competition.id, "round_id": round_.id, "module_id": theory.id, "team_id": team.id,
            "sheet_id": sheet.id, "award_id": award.id, "criterion_id": criterion.id}
def _finished_export(street_admin, street):
    """The street administrator's export of their subdistrict's enrolments, run and finished."""
    from academy.jobs.operations import create_job
    from academy.jobs.runner import run_job
    from academy.reports.jobs import enrolment_params
    from academy.reports.queries import ReportFilters

    job = create_job(street_admin, "enrolments_export", enrolment_params(ReportFilters(subdistrict_id=street.id), "csv"))
    db.session.commit()
    run_job(job.id)
    return job


def _stop_token(worker):
    """The one-click link of the worker's reminder e-mails (session reminders)."""
    from academy.jobs.reminders import stop_token

    return stop_token(worker.id, "session_tomorrow")
