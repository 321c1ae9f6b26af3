"""Reference data: the academy's eight programmes (codes are stable identifiers)."""
from sqlalchemy import select

from academy.extensions import db
from academy.programmes.models import Direction, Programme, Tier

PROGRAMMES = [
    dict(
        code="QINGYUN", tagline_zh="学历提升", name_zh="青云计划",
        name_en="Qingyun Degree Advancement Programme",
        direction=Direction.DEGREE, tier=Tier.DEGREE, approval_required=True,
        summary_zh="与合作院校联合开展学历教育，帮助社工取得大专、本科及以上学历。",
        summary_en="Diplomas and degrees with the partner colleges for working social workers.",
        description_zh=(
            "依托北京青年政治学院、东城区职工大学等合作院校，面向在职社区工作者开展社会工作及相关专业的"
            "学历教育，课程安排兼顾工作节奏，学习成果计入继续教育学时。"
        ),
        description_en=(
            "Degree and diploma study in social work and related majors with Beijing Youth Politics "
            "College and Dongcheng District Workers' University, scheduled around community work. "
            "Completed degrees count towards continuing-education hours."
        ),
        audience_zh="希望提升学历的在职社区工作者和社会工作者",
        audience_en="Community and social workers in post who want a higher qualification",
    ),
    dict(
        code="ZHUJI", tagline_zh="社工菁英", name_zh="筑基计划",
        name_en="Zhuji Social Work Elite Foundation Programme",
        direction=Direction.CAPABILITY, tier=Tier.CAPABILITY,
        summary_zh="夯实专业基础，开展社会工作职业资格考试辅导和专业技能训练。",
        summary_en="Professional foundations and preparation for the national qualification exam.",
        description_zh="系统讲授社会工作理论、实务和法规，开展全国社会工作者职业水平考试辅导，培养社工菁英。",
        description_en=(
            "Social work theory, practice and regulations, with coaching for the national social "
            "worker qualification exam, to build an elite of qualified practitioners."
        ),
        audience_zh="准备参加职业水平考试或希望系统提升专业能力的社工",
        audience_en="Workers preparing for the qualification exam or building their professional skills",
    ),
    dict(
        code="YUYAN", tagline_zh="新苗成长", name_zh="育雁计划",
        name_en="Yuyan New Talent Growth Programme",
        direction=Direction.CAPABILITY, tier=Tier.CAPABILITY,
        summary_zh="面向新入职社区工作者的岗位入门与成长培训。",
        summary_en="Induction and growth training for newly recruited community workers.",
        description_zh="帮助新入职社区工作者熟悉社区治理、居民服务和工作规范，尽快胜任岗位。",
        description_en=(
            "Helps new community workers learn community governance, resident services and working "
            "rules so they are confident in post within their first year."
        ),
        audience_zh="入职三年以内的社区工作者",
        audience_en="Community workers in their first three years",
    ),
    dict(
        code="LINGYAN", tagline_zh="骨干锻造", name_zh="领雁计划",
        name_en="Lingyan Backbone Forging Programme",
        direction=Direction.CAPABILITY, tier=Tier.CAPABILITY,
        summary_zh="锻造社区骨干，提升项目策划、矛盾调处和团队带动能力。",
        summary_en="Forges backbone staff in project design, mediation and leading a team.",
        description_zh="面向社区骨干开展专题研修，提升统筹协调、项目管理、群众工作和应急处置能力。",
        description_en=(
            "Thematic training for backbone staff: coordination, project management, working with "
            "residents and handling emergencies."
        ),
        audience_zh="社区骨干、社会工作机构项目负责人",
        audience_en="Backbone community staff and agency project leads",
    ),
    dict(
        code="TOUYAN", tagline_zh="先锋领航", name_zh="头雁计划",
        name_en="Touyan Vanguard Leadership Programme",
        direction=Direction.CAPABILITY, tier=Tier.CAPABILITY, approval_required=True,
        summary_zh="面向社区党组织书记和社会工作机构负责人的领导力培训。",
        summary_en="Leadership training for community Party secretaries and agency heads.",
        description_zh="聚焦党建引领基层治理，提升社区带头人的战略思维、改革创新和统筹发展能力。",
        description_en=(
            "Party-building-led grassroots governance, strategic thinking, reform and innovation for "
            "the leaders who head communities and agencies."
        ),
        audience_zh="社区党组织书记、居委会主任、社会工作机构负责人",
        audience_en="Community Party secretaries, residents' committee directors, agency heads",
    ),
    dict(
        code="YUXIN", tagline_zh="多元赋能", name_zh="育新计划",
        name_en="Yuxin Diversified Empowerment Programme",
        direction=Direction.SKILLS, tier=Tier.CAPABILITY,
        summary_zh="面向新就业群体、志愿者等多元力量的技能培训。",
        summary_en="Skills training for new employment groups, volunteers and other partners.",
        description_zh="为新就业形态劳动者、志愿者和社会组织成员提供实用技能培训，共同参与社区治理。",
        description_en=(
            "Practical skills for workers in new forms of employment, volunteers and members of "
            "social organisations who take part in community governance."
        ),
        audience_zh="新就业群体、志愿者、社会组织成员",
        audience_en="New employment groups, volunteers, members of social organisations",
    ),
    dict(
        code="SHENGENG", tagline_zh="校地融合", name_zh="深耕计划",
        name_en="Shengeng College–Community Integration Programme",
        direction=Direction.STUDY_RESEARCH, tier=Tier.RESEARCH,
        summary_zh="依托校社联动实训基地，与高校联合开展研究与实践。",
        summary_en="Joint research and practice with the colleges at the practice bases.",
        description_zh="社工与高校师生结对，在校社联动实训基地开展调查研究和实务实践，破解社区治理难题。",
        description_en=(
            "Social workers pair with college faculty and students for field research and practice "
            "at the college–community practice bases, working on real community problems."
        ),
        audience_zh="有研究兴趣的社区工作者和社会工作者",
        audience_en="Community and social workers with an interest in research",
    ),
    dict(
        code="XINGHUO", tagline_zh="创新实践", name_zh="星火计划",
        name_en="Xinghuo Innovation Practice Programme",
        direction=Direction.STUDY_RESEARCH, tier=Tier.RESEARCH,
        summary_zh="创新项目、案例研究与技能竞赛。",
        summary_en="Innovation projects, case studies and skills competitions.",
        description_zh="支持社工开展基层治理创新项目，撰写优秀案例，参加社会工作技能竞赛。",
        description_en=(
            "Supports innovation projects in grassroots governance, case writing and taking part in "
            "social work skills competitions."
        ),
        audience_zh="有创新项目或案例积累的社工团队",
        audience_en="Social work teams with innovation projects or cases to develop",
    ),
]


def seed_programmes() -> int:
    """Create the programmes that are missing; texts edited by administrators are left alone."""
    existing = set(db.session.scalars(select(Programme.code)))
    added = 0
    for order, data in enumerate(PROGRAMMES, start=1):
        if data["code"] not in existing:
            db.session.add(Programme(sort_order=order, **data))
            added += 1
    db.session.flush()
    return added
