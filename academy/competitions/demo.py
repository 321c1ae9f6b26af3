"""The demo competitions, written through the domain's own operations: last year's, finished (three
rounds, awards, cases, talent pool), and this year's preliminary in progress (some scores submitted,
some saved, some not started)."""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.auth.models import User
from academy.auth.operations import create_user
from academy.competitions import awards, judging
from academy.competitions import operations as ops
from academy.competitions.enums import AwardKind, CompetitionStatus, Field, Group, Medal, ModuleKind, Stage
from academy.competitions.models import Competition, Round
from academy.competitions.results import publish_results
from academy.competitions.rules import eligibility
from academy.core.i18n import local_today
from academy.core.permissions import Role
from academy.extensions import db

JUDGES = [("13800020001", "郑教授"), ("13800020002", "韩老师"), ("13800020003", "冯督导"), ("13800020004", "曹主任"),
          ("13800020005", "彭老师")]
PROJECTS = [
    ("“一老一小”代际共融计划", "以社区食堂和四点半课堂为平台，组织老人与儿童互助，三年服务1.2万人次。", Field.ELDERLY_CHILDREN),
    ("胡同里的助残驿站", "整合街道、医院与志愿者资源，为重度残疾人提供上门康复与喘息服务。", Field.DISABLED_NEEDY),
    ("楼门院自治议事厅", "以楼门长为骨干推动居民议事，解决停车、加装电梯等治理难题。", Field.COMMUNITY_GOVERNANCE),
    ("快递小哥暖心驿站", "为新就业群体提供休息、法律咨询与融入社区的志愿服务机会。", Field.NEW_EMPLOYMENT),
    ("医院社工陪诊计划", "为独居老人提供就医陪伴、出院转介与居家照护衔接。", Field.MEDICAL),
    ("校园心理支持小组", "在辖区中小学开展情绪管理小组与家校沟通工作坊。", Field.SCHOOL),
]
GROUP_OF = {Field.ELDERLY_CHILDREN: Group.LIVELIHOOD, Field.DISABLED_NEEDY: Group.LIVELIHOOD,
            Field.COMMUNITY_GOVERNANCE: Group.GOVERNANCE, Field.NEW_EMPLOYMENT: Group.DEVELOPMENT,
            Field.MEDICAL: Group.DEVELOPMENT, Field.SCHOOL: Group.DEVELOPMENT}


def _judges(password: str) -> list[User]:
    people = []
    for phone, name in JUDGES:
        user = db.session.scalar(select(User).where(User.phone == phone))
        people.append(user or create_user(role=Role.JUDGE, phone=phone, name=name, password=password))
    return people


def _eligible_by_street() -> dict[int, list[int]]:
    workers = db.session.scalars(select(User.id).where(User.role == Role.WORKER).order_by(User.id)).all()
    by_street: dict[int, list[int]] = {}
    for facts in ops.member_facts(workers):
        if eligibility(facts).eligible:
            by_street.setdefault(facts.subdistrict_id, []).append(facts.worker_id)
    return by_street


def _set_up(admin, title: str, year: int, start: date, stages) -> Competition:
    competition = ops.create_competition(admin, title=title, theme="以赛促学、以赛促练、以赛促用", year=year,
                                         groups=list(Group), fields=list(Field), team_min=2, team_max=3)
    for index, stage in enumerate(stages):
        day = start + timedelta(days=21 * index)
        round_ = ops.add_round(competition, admin, stage=stage, starts_on=day, ends_on=day + timedelta(days=1),
                               venue="东城区社会工作学院" if stage != Stage.PRELIMINARY else "各街道市民活动中心",
                               advance_count=3 if stage == Stage.SEMI_FINAL else None)
        ops.add_module(round_, admin, kind=ModuleKind.THEORY, weight=Decimal(20), max_score=Decimal(100))
        case = ops.add_module(round_, admin, kind=ModuleKind.CASE_ANALYSIS, weight=Decimal(30), max_score=Decimal(100))
        project = ops.add_module(round_, admin, kind=ModuleKind.PROJECT, weight=Decimal(50), max_score=Decimal(100),
                                 tie_rank=1)
        for module, lines in ((case, (("问题评估", 30, "准确识别服务对象需求与优势"), ("理论运用", 30, "理论视角恰当"),
                                      ("介入策略", 40, "目标清晰、策略可行"))),
                              (project, (("项目设计", 40, "逻辑框架完整"), ("成效评估", 30, "指标可测"),
                                         ("现场展示", 30, "表达清晰、回应有力")))):
            for criterion, maximum, descriptor in lines:
                ops.add_criterion(module, admin, title=criterion, maximum=Decimal(maximum), descriptor=descriptor)
    return competition


def _register(competition, admin, by_street, offset: int) -> None:
    ops.set_status(competition, admin, CompetitionStatus.REGISTRATION)
    number = 0
    for street_id, workers in sorted(by_street.items()):
        for start in range(0, len(workers) - 1, 2):
            members = workers[start:start + 2]
            title, summary, field = PROJECTS[(number + offset) % len(PROJECTS)]
            ops.register_team(competition, admin, name=f"{competition.year}-{number + 1:02d}队", subdistrict_id=street_id,
                              group=GROUP_OF[field], field=field, member_ids=members, leader_id=members[0],
                              project_title=title, project_summary=summary, publish_attachments=True)
            number += 1
    ops.set_status(competition, admin, CompetitionStatus.JUDGING)


def _score_round(round_: Round, admin, judges, rng, share: float = 1.0) -> None:
    """Every judge on every group; `share` of the sheets submitted, a few more saved, the rest untouched."""
    for group in round_.competition.group_choices:
        for judge in judges:
            judging.assign_judge(round_, admin, judge=judge, group=group)
    teams = judging.round_teams(round_)
    for team in teams:
        level = rng.uniform(0.55, 0.95)
        for module in round_.modules:
            if module.kind == ModuleKind.THEORY:
                for member in team.members if rng.random() < share else ():
                    score = Decimal(round(100 * min(1.0, level + rng.uniform(-0.1, 0.1))))
                    judging.enter_theory_score(module, admin, worker_id=member.worker_id, score=score)
                continue
            for judge in judges:
                draw = rng.random()
                if draw > share + 0.15:
                    continue
                sheet = judging.open_sheet(judge, team, module)
                scores = {line.criterion_id: (Decimal(round(float(line.criterion.maximum) * min(
                    1.0, level + rng.uniform(-0.12, 0.12)))), "思路清晰" if rng.random() < 0.3 else None)
                    for line in sheet.lines}
                judging.save_sheet(sheet, judge, version=sheet.version, scores=scores)
                if draw <= share:
                    judging.submit_sheet(sheet, judge, version=sheet.version)


def load_demo_competitions(admin: User, password: str) -> None:
    if db.session.scalar(select(Competition.id).limit(1)) is not None:
        return
    today = local_today()
    judges = _judges(password)
    by_street = _eligible_by_street()
    rng = random.Random(2025)
    last_year = _set_up(admin, f"{today.year - 1}年东城区社会工作者职业技能大赛", today.year - 1,
                        date(today.year - 1, 5, 10), (Stage.PRELIMINARY, Stage.SEMI_FINAL, Stage.FINAL))
    _register(last_year, admin, by_street, 0)
    db.session.flush()
    for round_ in sorted(last_year.rounds, key=lambda r: list(Stage).index(r.stage)):
        _score_round(round_, admin, judges, rng)
        db.session.flush()
        publish_results(round_, admin)
    for group in Group:
        for medal, places in ((Medal.GOLD, 1), (Medal.SILVER, 1)):
            awards.add_tier(last_year, admin, kind=AwardKind.TEAM, medal=medal, group=group, places=places)
    awards.add_tier(last_year, admin, kind=AwardKind.INDIVIDUAL, medal=Medal.GOLD, group=None, places=2)
    awards.add_tier(last_year, admin, kind=AwardKind.ORGANISER, medal=Medal.GOLD, group=None, places=2)
    awards.give_awards(last_year, admin)

    this_year = _set_up(admin, f"{today.year}年东城区社会工作者职业技能大赛", today.year, today - timedelta(days=2),
                        (Stage.PRELIMINARY, Stage.SEMI_FINAL))
    _register(this_year, admin, by_street, 3)
    db.session.flush()
    _score_round(next(r for r in this_year.rounds if r.stage == Stage.PRELIMINARY), admin, judges, rng, share=0.5)
    db.session.flush()
