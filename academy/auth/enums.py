"""Choices on a worker's profile. Order matters: eligibility compares ranks."""
import enum

from flask_babel import lazy_gettext as _l


class RankedEnum(enum.StrEnum):
    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    @property
    def label(self):
        return self.labels()[self]

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError


class Gender(RankedEnum):
    FEMALE = "female"
    MALE = "male"

    @classmethod
    def labels(cls):
        return {cls.FEMALE: _l("Female"), cls.MALE: _l("Male")}


class Education(RankedEnum):
    """Highest education, lowest first."""

    SECONDARY = "secondary"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @classmethod
    def labels(cls):
        return {
            cls.SECONDARY: _l("Senior high or secondary vocational school"),
            cls.JUNIOR_COLLEGE: _l("Junior college diploma"),
            cls.BACHELOR: _l("Bachelor's degree"),
            cls.MASTER: _l("Master's degree"),
            cls.DOCTORATE: _l("Doctorate"),
        }


class Qualification(RankedEnum):
    """National social worker qualification levels, lowest first."""

    NONE = "none"
    ASSISTANT = "assistant"
    SOCIAL_WORKER = "social_worker"
    SENIOR = "senior"

    @classmethod
    def labels(cls):
        return {
            cls.NONE: _l("No qualification yet"),
            cls.ASSISTANT: _l("Assistant Social Worker"),
            cls.SOCIAL_WORKER: _l("Social Worker"),
            cls.SENIOR: _l("Senior Social Worker"),
        }


class ConsentKind(RankedEnum):
    """What a person consents to under the Personal Information Protection Law: the privacy notice as a
    whole, and separately the resident ID number, sensitive personal information (PIPL art. 28-29)."""
    PRIVACY_NOTICE = "privacy_notice"
    RESIDENT_ID = "resident_id"

    @classmethod
    def labels(cls):
        return {cls.PRIVACY_NOTICE: _l("The privacy notice"),
                cls.RESIDENT_ID: _l("Processing of my resident ID number (sensitive personal information)")}
