"""A competition ready to judge: a preliminary with a theory test, a case analysis and a project module."""
from datetime import date
from decimal import Decimal

from academy.competitions import operations as ops
from academy.competitions.enums import CompetitionStatus, Field, Group, ModuleKind, Stage
from academy.extensions import db

JIAODAOKOU, TIANTAN = "110101003000", "110101016000"


def build_competition(make, *, admin=None, trim_from=5):
    admin = admin or make.create_admin()
    competition = ops.create_competition(admin, title="2026年东城区社会工作者职业技能大赛", theme="以赛促学、以赛促练、以赛促用",
                                         year=2026, groups=list(Group), fields=list(Field), team_min=2, team_max=4,
                                         trim_from=trim_from)
    round_ = ops.add_round(competition, admin, stage=Stage.PRELIMINARY, starts_on=date(2026, 5, 10),
                           ends_on=date(2026, 5, 12), venue="交道口街道市民活动中心")
    theory = ops.add_module(round_, admin, kind=ModuleKind.THEORY, weight=Decimal(20), max_score=Decimal(100))
    case = ops.add_module(round_, admin, kind=ModuleKind.CASE_ANALYSIS, weight=Decimal(30), max_score=Decimal(100))
    project = ops.add_module(round_, admin, kind=ModuleKind.PROJECT, weight=Decimal(50), max_score=Decimal(50),
                             tie_rank=1)
    ops.add_criterion(case, admin, title="问题评估", maximum=Decimal(40), descriptor="需求评估准确")
    ops.add_criterion(case, admin, title="介入策略", maximum=Decimal(60), descriptor="策略可行")
    ops.add_criterion(project, admin, title="项目设计", maximum=Decimal(30))
    ops.add_criterion(project, admin, title="现场展示", maximum=Decimal(20))
    ops.set_status(competition, admin, CompetitionStatus.REGISTRATION)
    db.session.commit()
    return dict(admin=admin, competition=competition, round=round_, theory=theory, case=case, project=project)


def workers(make, street_code=JIAODAOKOU, count=2, **profile):
    unit = make.create_unit(parent=make.subdistrict(street_code))
    return [make.create_worker(work_unit=unit, **profile) for _ in range(count)]


def team(make, world, street_code=JIAODAOKOU, group=Group.LIVELIHOOD, name=None, members=None, actor=None):
    members = members or workers(make, street_code)
    street = make.subdistrict(street_code)
    item = ops.register_team(world["competition"], actor or world["admin"], name=name or f"队{members[0].id}",
                             subdistrict_id=street.id, group=group, field=Field.ELDERLY_CHILDREN,
                             member_ids=[m.id for m in members], leader_id=members[0].id,
                             project_title="一老一小共融计划", project_summary="社区代际互助项目")
    db.session.commit()
    return item


def judge(make, world, group=Group.LIVELIHOOD, street_code=None):
    from academy.competitions.judging import assign_judge

    person = make.create_judge(street=make.subdistrict(street_code) if street_code else None)
    assign_judge(world["round"], world["admin"], judge=person, group=group)
    db.session.commit()
    return person
