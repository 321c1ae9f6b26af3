"""Course, session, cancellation and duplication forms; catalogue filters."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField, DateField, DateTimeLocalField, DecimalField, HiddenField, IntegerField, SelectField,
    StringField, SubmitField, TextAreaField, TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.auth.enums import Education, Qualification
from academy.auth.models import User
from academy.core.forms import (
    EnumSelectField, FilterForm, ModelSelectField, ModelSelectMultipleField, decimal_in_half_steps, empty_to_none,
    strip_text,
)
from academy.core.i18n import local_to_utc
from academy.core.permissions import Role
from academy.courses.models import MONTH_PATTERN, DeliveryMode
from academy.courses.operations import day_start_utc, find_course_by_code
from academy.orgs.models import OrgUnit
from academy.partners.models import PracticeBase
from academy.programmes.models import Programme
from academy.programmes.names import programme_refs, subdistrict_refs

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
HALF_HOURS = _l("Use steps of half an hour, for example 1.5 or 2.")
APPROVAL_CHOICES = [
    SelectChoice("programme", _l("As the programme decides")),
    SelectChoice("required", _l("Each enrolment is approved")),
    SelectChoice("not_required", _l("Enrolment is immediate")),
]


def instructor_options():
    return select(User).where(User.role == Role.INSTRUCTOR, User.active.is_(True)).order_by(User.name)


def practice_base_options():
    return select(PracticeBase).order_by(PracticeBase.name)


def half_hours(form, field):
    if field.data is not None and not decimal_in_half_steps(field.data):
        raise ValidationError(HALF_HOURS)


def course_code_field():
    return StringField(
        _l("Course code"),
        [DataRequired(_l("Enter a course code.")), Length(max=40)],
        filters=[strip_text, lambda value: value.upper() if isinstance(value, str) else value],
        description=_l("Letters, digits and dashes, e.g. ZHUJI-2026-01."),
    )


class CourseForm(FlaskForm):
    programme = ModelSelectField(_l("Programme"), [DataRequired(_l("Choose the programme."))],
                                 references=(programme_refs, Programme), blank_label=_l("— choose —"))
    code = course_code_field()
    title = StringField(_l("Course title"), [DataRequired(_l("Enter the course title.")), Length(max=120)], filters=[strip_text])
    summary = StringField(_l("Summary (one line for the catalogue)"), [Optional(), Length(max=300)],
                          filters=[strip_text], default="")
    description = TextAreaField(_l("Description (Markdown)"), [Optional(), Length(max=20000)], default="",
                                render_kw={"rows": 8})
    mode = EnumSelectField(_l("Delivery mode"), [InputRequired()], enum=DeliveryMode)
    venue = StringField(_l("Venue"), [Optional(), Length(max=200)], filters=[strip_text, empty_to_none])
    meeting_url = StringField(
        _l("Online meeting link"),
        [Optional(), Length(max=300), Regexp(r"^https?://[^\s<>\"']+$", message=_l(
            "Enter the meeting's web address, beginning with https://."))],
        filters=[strip_text, empty_to_none],
        description=_l("Shown only to enrolled workers, from shortly before each session until it ends."))
    meeting_number = StringField(
        _l("Meeting number"), [Optional(), Regexp(r"^[0-9][0-9 -]{4,28}[0-9]$", message=_l(
            "A meeting number is digits, with spaces or dashes between them if you like."))],
        filters=[strip_text, empty_to_none], description=_l("For example a Tencent Meeting number: 123 456 789."))
    meeting_password = StringField(_l("Meeting password"), [Optional(), Length(max=20)],
                                   filters=[strip_text, empty_to_none])
    practice_base = ModelSelectField(_l("Practice base (optional)"), query_factory=practice_base_options,
                                     blank_label=_l("— none —"))
    credit_hours = DecimalField(
        _l("Credit hours (学时)"), [Optional(), NumberRange(0, 999, _l("Hours cannot be negative.")), half_hours],
        places=1, description=_l("Leave empty to use the sum of the sessions' hours."),
    )
    capacity = IntegerField(_l("Capacity"), [InputRequired(_l("Enter the number of seats.")),
                                             NumberRange(0, 5000, _l("Capacity cannot be negative."))], default=30)
    waitlist_enabled = BooleanField(_l("Keep a waitlist when the course is full"), default=True)
    enrol_opens_at = DateTimeLocalField(_l("Enrolment opens (Beijing time)"), [Optional()], format="%Y-%m-%dT%H:%M")
    enrol_closes_at = DateTimeLocalField(_l("Enrolment closes (Beijing time)"), [Optional()], format="%Y-%m-%dT%H:%M")
    starts_on = DateField(_l("First day"), [DataRequired(_l("Enter the first day of the course."))])
    ends_on = DateField(_l("Last day"), [DataRequired(_l("Enter the last day of the course."))])
    approval = SelectField(_l("Approval"), choices=APPROVAL_CHOICES, default="programme")
    min_qualification = EnumSelectField(_l("Minimum qualification"), [Optional()], enum=Qualification,
                                        members=list(Qualification)[1:], blank_label=_l("— none —"))
    min_education = EnumSelectField(_l("Minimum education"), [Optional()], enum=Education,
                                    blank_label=_l("— none —"))
    subdistricts = ModelSelectMultipleField(
        _l("Open to subdistricts"), references=(subdistrict_refs, OrgUnit),
        description=_l("Choose none to open the course to every subdistrict."), render_kw={"size": 6},
    )
    prerequisite_codes = StringField(
        _l("Prerequisite course codes"), [Optional(), Length(max=400)], filters=[strip_text],
        description=_l("Codes of courses that must be completed first, separated by commas."),
    )
    min_attendance_rate = IntegerField(
        _l("Minimum attendance rate for completion (%)"),
        [InputRequired(), NumberRange(0, 100, _l("Enter a percentage from 0 to 100."))], default=80,
    )
    pass_mark = DecimalField(_l("Pass mark (optional, out of 100)"),
                             [Optional(), NumberRange(0, 100, _l("Enter a mark from 0 to 100."))], places=1)
    instructors = ModelSelectMultipleField(_l("Instructors"), query_factory=instructor_options,
                                           render_kw={"size": 4})
    checkin_opens_before = IntegerField(
        _l("QR check-in opens (minutes before a session starts)"),
        [Optional(), NumberRange(0, 1440, _l("Enter minutes from 0 to 1440."))], default=30)
    checkin_closes_after = IntegerField(
        _l("QR check-in closes (minutes after a session starts)"),
        [Optional(), NumberRange(0, 1440, _l("Enter minutes from 0 to 1440."))], default=30)
    signout_scan = BooleanField(_l("Sign-out scan at the end of each session (full attendance)"), default=False)
    evaluation_before_certificate = BooleanField(
        _l("The certificate can be downloaded once the worker has answered the course evaluation"), default=False)
    submit = SubmitField(_l("Save course"))

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.prerequisites = []

    def validate_code(self, field):
        if not CODE_PATTERN.match(field.data or ""):
            raise ValidationError(_l("Use capital letters, digits and dashes only (2 to 40)."))
        other = find_course_by_code(field.data)
        if other is not None and (self.course is None or other.id != self.course.id):
            raise ValidationError(_l("Another course already uses this code."))

    def validate_mode(self, field):  # on the mode: the meeting fields' own checks stop at an empty field
        if field.data == DeliveryMode.ONLINE and not self.meeting_url.data and not self.meeting_number.data:
            raise ValidationError(_l("An online course needs its meeting link or number: it has no venue."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The course cannot end before it starts."))

    def validate_enrol_closes_at(self, field):
        opens, closes = self.enrol_opens_at.data, field.data
        if bool(opens) != bool(closes):
            raise ValidationError(_l("Give both the opening and the closing time, or neither."))
        if opens and closes and closes <= opens:
            raise ValidationError(_l("Enrolment must open before it closes."))
        if closes and self.starts_on.data and local_to_utc(closes) > day_start_utc(self.starts_on.data):
            raise ValidationError(_l("Enrolment must close before the course starts."))

    def validate_prerequisite_codes(self, field):
        codes = [code.strip().upper() for code in re.split(r"[,，\s]+", field.data or "") if code.strip()]
        unknown = []
        for code in dict.fromkeys(codes):
            found = find_course_by_code(code)
            if found is None:
                unknown.append(code)
            elif self.course is not None and found.id == self.course.id:
                raise ValidationError(_l("A course cannot be its own prerequisite."))
            else:
                self.prerequisites.append(found)
        if unknown:
            raise ValidationError(_l("No course has the code: %(codes)s.", codes=", ".join(unknown)))

    def values(self) -> dict:
        """The operation's keyword arguments."""
        approval = {"required": True, "not_required": False}.get(
            self.approval.data, self.programme.data.approval_required
        )
        return dict(
            programme=self.programme.data, code=self.code.data, title=self.title.data,
            summary=self.summary.data or "", description=self.description.data or "", mode=self.mode.data,
            venue=self.venue.data, meeting_url=self.meeting_url.data, meeting_number=self.meeting_number.data,
            meeting_password=self.meeting_password.data, practice_base=self.practice_base.data, credit_hours=self.credit_hours.data or 0,
            hours_from_sessions=self.credit_hours.data is None, capacity=self.capacity.data,
            waitlist_enabled=self.waitlist_enabled.data,
            enrol_opens_at=local_to_utc(self.enrol_opens_at.data) if self.enrol_opens_at.data else None,
            enrol_closes_at=local_to_utc(self.enrol_closes_at.data) if self.enrol_closes_at.data else None,
            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
            approval_required=approval,
            min_qualification=self.min_qualification.data, min_education=self.min_education.data,
            subdistricts=self.subdistricts.data, prerequisites=self.prerequisites,
            min_attendance_rate=self.min_attendance_rate.data, pass_mark=self.pass_mark.data,
            instructors=self.instructors.data, signout_scan=self.signout_scan.data,
            evaluation_before_certificate=self.evaluation_before_certificate.data,
            # left empty: the course keeps its window (30 minutes each side for a new one)
            **{name: getattr(self, name).data for name in ("checkin_opens_before", "checkin_closes_after")
               if getattr(self, name).data is not None},
        )


class SessionForm(FlaskForm):
    day = DateField(_l("Date"), [DataRequired(_l("Enter the date."))])
    start_time = TimeField(_l("Starts"), [DataRequired(_l("Enter the start time."))])
    end_time = TimeField(_l("Ends"), [DataRequired(_l("Enter the end time."))])
    topic = StringField(_l("Topic"), [DataRequired(_l("Enter the topic.")), Length(max=200)], filters=[strip_text])
    venue = StringField(_l("Venue (if not the course's)"), [Optional(), Length(max=200)],
                        filters=[strip_text, empty_to_none])
    instructor = ModelSelectField(_l("Instructor"), query_factory=instructor_options, blank_label=_l("— none —"))
    hours = DecimalField(_l("Credit hours"), [Optional(), NumberRange(0, 24, _l("Hours cannot be negative.")),
                                              half_hours], places=1,
                         description=_l("Leave empty to count the session's length in half hours."))
    submit = SubmitField(_l("Save session"))

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_l("A session must end after it starts."))

    def validate_day(self, field):
        course = self.course
        if field.data and course is not None and (
            (course.starts_on and field.data < course.starts_on) or (course.ends_on and field.data > course.ends_on)
        ):
            raise ValidationError(_l("The session falls outside the course dates (%(start)s to %(end)s).",
                                     start=course.starts_on, end=course.ends_on))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=2000)],
                           filters=[strip_text], render_kw={"rows": 3})
    submit = SubmitField(_l("Cancel the course"))


class RemoveSessionForm(FlaskForm):
    """Removing a session asks first (confirmed=yes on the second step)."""

    confirmed = HiddenField()
    submit = SubmitField(_l("Remove the session"))


class PublishForm(FlaskForm):
    """A status change; publishing a course whose enrolment has closed asks once more (confirmed=yes)."""

    confirmed = HiddenField()
    submit = SubmitField(_l("Publish anyway"))


class DuplicateForm(FlaskForm):
    code = course_code_field()
    starts_on = DateField(_l("First day of the new intake"), [DataRequired(_l("Enter the first day."))],
                          description=_l("Every date of the course moves by the same number of days."))
    submit = SubmitField(_l("Create the copy"))

    def validate_code(self, field):
        if not CODE_PATTERN.match(field.data or ""):
            raise ValidationError(_l("Use capital letters, digits and dashes only (2 to 40)."))
        if find_course_by_code(field.data) is not None:
            raise ValidationError(_l("Another course already uses this code."))


class CatalogueForm(FilterForm):
    """The catalogue's filters, read from the query string (GET, no CSRF); bad values are ignored."""

    q = StringField(_l("Keyword"), [Optional(), Length(max=50)], filters=[strip_text])
    programme = SelectField(_l("Programme"), [Optional()])
    tier = SelectField(_l("Tier"), [Optional()])
    mode = SelectField(_l("Mode"), [Optional()])
    subdistrict = SelectField(_l("Open to my subdistrict"), [Optional()])
    # Stripped first: Optional() lets whitespace-only input (even U+0085) through without the check below.
    month = StringField(_l("Starting month"), [Optional()], filters=[strip_text], render_kw={"type": "month"})
    available = BooleanField(_l("Open for enrolment now"))

    def set_choices(self, programmes, subdistricts, tiers, modes):
        everything = SelectChoice("", _l("All"))
        self.programme.choices = [everything] + [SelectChoice(p.slug, p.short_name) for p in programmes]
        self.tier.choices = [everything] + [SelectChoice(tier.value, tier.label) for tier in tiers]
        self.mode.choices = [everything] + [SelectChoice(mode.value, mode.label) for mode in modes]
        self.subdistrict.choices = [everything] + [SelectChoice(str(unit.id), unit.name) for unit in subdistricts]


    def validate_month(self, field):
        if field.data and not re.fullmatch(MONTH_PATTERN, field.data):
            raise ValidationError(_l("Use the form YYYY-MM."))
