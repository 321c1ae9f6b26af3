"""Administrators enrol a class list: upload, preview every row, confirm to write the good rows
(the preview/confirm steps are academy.core.imports')."""
import io

import xlsxwriter
from flask import abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from academy.core import imports
from academy.core.permissions import Role, role_required
from academy.core.spreadsheets import WORKBOOK_OPTIONS
from academy.enrolment import jobs as enrolment_jobs
from academy.enrolment.forms import ImportConfirmForm, ImportUploadForm
from academy.enrolment.importer import Outcome, apply, judge, parse_rows, read_table
from academy.jobs.imports import start_if_large


def _judge(data: bytes):
    return judge(parse_rows(read_table(data)))


@role_required(Role.ADMIN)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit() and (result := imports.preview(form, _judge)):
        rows, token = result
        return render_template("enrolment/import_preview.html", rows=rows, summary=imports.summary(rows, Outcome),
                               confirm=ImportConfirmForm(token=token), good=sum(row.outcome.is_good for row in rows),
                               warnings=sum(row.warning for row in rows))
    refused = request.args.get("refused")
    return render_template("enrolment/import_upload.html", form=form,
                           refused=refused if imports.refused_file(refused) else None)


@role_required(Role.ADMIN)
def import_confirm():
    """Above IMPORT_JOB_ROWS rows the good rows are written by a job, whose page answers at once."""
    form = ImportConfirmForm()
    started = start_if_large(form, enrolment_jobs.count_rows, "enrolment_import")
    if started is not None:
        return started
    return imports.confirm(
        form, _judge, lambda rows: apply(rows, actor=current_user), "enrolment.import_upload",
        lambda written, rows: _("%(count)d enrolments written; %(skipped)d rows skipped.", count=written,
                                skipped=len(rows) - written), refused=_refused_rows)


TEMPLATE_HEADER = ("手机号或身份证号", "课程代码", "姓名（选填，用于核对）")


def _refused_rows(rows):
    """The rows not written, as the file gave them, with the reason: to mend and import again."""
    return ([*TEMPLATE_HEADER, "行号", "未导入原因"],
            [[row.identifier, row.course_code, row.name, row.line,
              " ".join(str(text) for text in [row.outcome.label, *row.detail])]
             for row in rows if not row.outcome.is_good])


@role_required(Role.ADMIN)
def import_template():
    """An empty class list with its header and one example row, as the import reads it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **WORKBOOK_OPTIONS})
    sheet = book.add_worksheet("名单")
    text = book.add_format({"num_format": "@"})  # numbers typed here stay text: an ID's last digits are kept
    sheet.set_column(0, 0, 22, text)
    sheet.set_column(1, 2, 18, text)
    sheet.write_row(0, 0, TEMPLATE_HEADER, book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1}))
    sheet.write_row(1, 0, ["13800000000", "COURSE-CODE", "张三"])
    sheet.freeze_panes(1, 0)
    book.close()
    buffer.seek(0)
    return send_file(buffer, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name="class-list-template.xlsx")


@role_required(Role.ADMIN)
def import_refused(token):
    """The rows the last confirmed import did not write, with their reasons (kept for a day)."""
    path = imports.refused_file(token)
    if path is None:
        abort(404)
    return send_file(path, mimetype="text/csv", as_attachment=True, download_name="refused-rows.csv")
