"""Every domain's models, imported so the metadata (and Alembic) sees all tables."""
from academy.attendance.models import AttendanceChange, AttendanceMark, AttendanceScan  # noqa: F401
from academy.audit.models import AuditEvent  # noqa: F401
from academy.auth.models import User, WorkerProfile  # noqa: F401
from academy.claims.models import (  # noqa: F401
    Claim, ClaimEvent, ClaimUpload, Notice, Objection, PaymentBatch, Scheme,
)
from academy.certificates.models import Certificate  # noqa: F401
from academy.competitions.models import (  # noqa: F401
    Award, AwardTier, CompetitionEvent, Competition, ConflictDeclaration, Criterion, JudgeAssignment, Module, Round,
    RoundEntry, RoundResult, ScoreLine, ScoreSheet, SheetEvent, TalentFlag, Team, TeamMember, TheoryScore,
)
from academy.core.pagecache import PageVersion  # noqa: F401
from academy.core.personalcache import PersonalVersion  # noqa: F401
from academy.courses.models import Course, CourseEvent, CourseSession  # noqa: F401
from academy.enrolment.models import Enrolment, EnrolmentEvent  # noqa: F401
from academy.evaluations.models import EvaluationAnswer, EvaluationInvitation, EvaluationTemplate  # noqa: F401
from academy.materials.models import Material, MaterialEvent  # noqa: F401
from academy.notifications.models import Notification  # noqa: F401
from academy.orgs.models import OrgUnit  # noqa: F401
from academy.partners.models import Agreement, AgreementEvent, Partner, PracticeBase  # noqa: F401
from academy.plans.models import Plan, PlanVersion, QuarterlyReport  # noqa: F401
from academy.programmes.models import Programme  # noqa: F401
from academy.progress.models import (  # noqa: F401
    CeStanding, ContinuingEducationRule, EvidenceFile, ExternalRecord,
)
from academy.qualifications.models import QualificationEvent, QualificationRecord  # noqa: F401
from academy.reports.models import EnrolmentTally, MonthlyHours, ReachTally  # noqa: F401
from academy.jobs.models import Job, JobEvent, OutboxMessage, ReminderOptOut, SentReminder  # noqa: F401
from academy.api.models import ApiToken, IdempotentRequest  # noqa: F401
