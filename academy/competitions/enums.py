"""The competition's fixed vocabularies: groups, fields, rounds, modules, sheet states and medals."""
import enum

from flask_babel import lazy_gettext as _l


class LabelledEnum(enum.StrEnum):
    @property
    def label(self):
        return self.labels()[self]

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError


class Group(LabelledEnum):
    LIVELIHOOD = "livelihood"
    GOVERNANCE = "governance"
    DEVELOPMENT = "development"

    @classmethod
    def labels(cls):
        return {cls.LIVELIHOOD: _l("Livelihood services group"),
                cls.GOVERNANCE: _l("Party-building and governance group"),
                cls.DEVELOPMENT: _l("Social development group")}


class Field(LabelledEnum):
    ELDERLY_CHILDREN = "elderly_children"
    DISABLED_NEEDY = "disabled_needy"
    COMMUNITY_GOVERNANCE = "community_governance"
    MEDICAL = "medical"
    SCHOOL = "school"
    NEW_EMPLOYMENT = "new_employment"

    @classmethod
    def labels(cls):
        return {cls.ELDERLY_CHILDREN: _l("The elderly and children"),
                cls.DISABLED_NEEDY: _l("People with disabilities and people in hardship"),
                cls.COMMUNITY_GOVERNANCE: _l("Urban community governance"),
                cls.MEDICAL: _l("Medical social work"),
                cls.SCHOOL: _l("School social work"),
                cls.NEW_EMPLOYMENT: _l("New employment groups")}


class Stage(LabelledEnum):
    """Rounds in order: a subdistrict's preliminary, the district semi-final, the final."""
    PRELIMINARY = "preliminary"
    SEMI_FINAL = "semi_final"
    FINAL = "final"

    @classmethod
    def labels(cls):
        return {cls.PRELIMINARY: _l("Subdistrict preliminary"), cls.SEMI_FINAL: _l("District semi-final"),
                cls.FINAL: _l("Final")}


class ModuleKind(LabelledEnum):
    THEORY = "theory"
    CASE_ANALYSIS = "case_analysis"
    PROJECT = "project"

    @classmethod
    def labels(cls):
        return {cls.THEORY: _l("Theory test"), cls.CASE_ANALYSIS: _l("Case analysis"),
                cls.PROJECT: _l("Project design and presentation")}


class SheetStatus(LabelledEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    REOPENED = "reopened"

    @classmethod
    def labels(cls):
        return {cls.OPEN: _l("Being scored"), cls.SUBMITTED: _l("Submitted"), cls.REOPENED: _l("Reopened")}


class CompetitionStatus(LabelledEnum):
    DRAFT = "draft"
    REGISTRATION = "registration"
    JUDGING = "judging"
    FINISHED = "finished"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Being set up"), cls.REGISTRATION: _l("Registration open"),
                cls.JUDGING: _l("Judging"), cls.FINISHED: _l("Finished")}


class AwardKind(LabelledEnum):
    TEAM = "team"
    INDIVIDUAL = "individual"
    ORGANISER = "organiser"

    @classmethod
    def labels(cls):
        return {cls.TEAM: _l("Team award"), cls.INDIVIDUAL: _l("Individual award"),
                cls.ORGANISER: _l("Best organising subdistrict")}


class Medal(LabelledEnum):
    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    MERIT = "merit"

    @classmethod
    def labels(cls):
        return {cls.GOLD: _l("Gold award"), cls.SILVER: _l("Silver award"), cls.BRONZE: _l("Bronze award"),
                cls.MERIT: _l("Award of merit")}
