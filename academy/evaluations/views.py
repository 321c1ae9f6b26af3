"""Workers answer; instructors see their courses' aggregates (from the fifth answer); administrators see
every result, the report per instructor or programme, and version the questionnaire."""
from datetime import datetime, time, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from academy.core.exports import csv_response, xlsx_response
from academy.core.i18n import is_chinese, local_to_utc, local_today
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.courses.queries import get_course_or_404
from academy.evaluations import operations, queries
from academy.evaluations.forms import ReportForm, TemplateForm, answer_form
from academy.evaluations.models import DEFAULT_WORDING, DIMENSION_LABELS, DIMENSIONS
from academy.extensions import db

PAGE_SIZE = 20


@role_required(Role.WORKER)
def answer_form_view(course_id):
    course = get_course_or_404(course_id)
    refused = operations.refusal(course, current_user.id)
    template = operations.current_template()
    form = answer_form(template)
    if refused is None and form.validate_on_submit():
        scores = {name: int(form[name].data) for name in DIMENSIONS}
        try:
            done = attempt(lambda: operations.answer(course, current_user, scores=scores, comment=form.comment.data),
                           success=_("Thank you: your evaluation is recorded."))
        except IntegrityError:  # the same worker's answer sent twice at once: the first one counts
            db.session.rollback()
            flash(_("You have already evaluated this course."), "info")
            done = True
        if done:
            return redirect(url_for("enrolment.my_learning"))
    return render_template("evaluations/answer.html", course=course, form=form, template=template, refused=refused)


@role_required(Role.INSTRUCTOR, Role.ADMIN)
def course_results(course_id):
    course = get_course_or_404(course_id, editable=True)
    summary = queries.course_summary(course.id)
    admin = current_user.role == Role.ADMIN
    minimum = current_app.config["EVALUATION_MIN_ANSWERS"]
    shown = admin or summary.answers >= minimum
    page = queries.paginate_rows(queries.comments_query(course.id), PAGE_SIZE) if shown else None
    charts = {name: [(f"{score} ★", count) for score, count in zip(range(1, 6), summary.distribution[name])]
              for name in DIMENSIONS}
    return render_template("evaluations/course_results.html", course=course, summary=summary, shown=shown,
                           minimum=minimum, page=page, admin=admin, labels=DIMENSION_LABELS, dimensions=DIMENSIONS,
                           charts=charts)


def _period(form):
    """The form's dates (the last twelve months by default) and the UTC bounds [starts, ends + 1 day)."""
    form.validate()
    ends = form.ends.data or local_today()
    starts = form.starts.data or ends - timedelta(days=365)
    return starts, ends, (local_to_utc(datetime.combine(starts, time.min)),
                          local_to_utc(datetime.combine(ends + timedelta(days=1), time.min)))


@role_required(Role.INSTRUCTOR)
def my_results():
    """An instructor's own courses over a period: averages of a course only from its fifth answer."""
    form = ReportForm(request.args)
    starts, ends, window = _period(form)
    page = queries.paginate_rows(queries.taught_query(current_user.id, *window), PAGE_SIZE)
    return render_template("evaluations/my_results.html", form=form, page=page, starts=starts, ends=ends,
                           minimum=current_app.config["EVALUATION_MIN_ANSWERS"], labels=DIMENSION_LABELS,
                           dimensions=DIMENSIONS)


@role_required(Role.ADMIN)
def report():
    form = ReportForm(request.args)
    starts, ends, window = _period(form)
    group = form.group.data if form.group.data in ("instructor", "programme") else "instructor"
    export_format = request.args.get("format")
    if export_format in ("csv", "xlsx"):  # every row of the period, not one page
        header = [_("Instructor") if group == "instructor" else _("Programme"), _("Answers"),
                  *[DIMENSION_LABELS[name] for name in DIMENSIONS]]
        rows = [[row[1] if is_chinese() else row[2], row[3], *[round(float(v), 2) if v is not None else None
                                                                for v in row[4:]]]
                for row in db.session.execute(queries.report_query(group, *window))]
        name = f"evaluations-{group}-{starts}-{ends}"
        if export_format == "csv":
            return csv_response(name, header, rows)
        return xlsx_response(name, "evaluations", header, rows, [24] + [12] * (len(header) - 1),
                             title=f"{_('Course evaluations')} · {starts} – {ends}")
    page = queries.paginate_rows(queries.report_query(group, *window), PAGE_SIZE)
    return render_template("evaluations/report.html", form=form, page=page, group=group, starts=starts, ends=ends,
                           labels=DIMENSION_LABELS, dimensions=DIMENSIONS)


@role_required(Role.ADMIN)
def template_edit():
    current = operations.current_template()
    form = TemplateForm(obj=current)
    if form.validate_on_submit():
        wording = {key: form[key].data for key in DEFAULT_WORDING}
        if attempt(lambda: operations.new_version(actor=current_user, names_to_admins=form.names_to_admins.data, **wording),
                   success=_("The questionnaire is saved as a new version.")):
            return redirect(url_for("evaluations.template_edit"))
    return render_template("evaluations/template.html", form=form, current=current)
