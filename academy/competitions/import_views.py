"""Administrators import the theory test's scores: upload, preview every row, confirm to write (the
preview/confirm steps are academy.core.imports', shared with the other imports)."""
from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.competitions.enums import CompetitionStatus, ModuleKind
from academy.competitions.forms import TheoryImportConfirmForm, TheoryImportForm
from academy.competitions.importer import Outcome, apply, judge, parse_rows
from academy.competitions.models import Competition, Module, Round
from academy.core import imports
from academy.core.permissions import Role, role_required
from academy.extensions import db


def _theory_modules():
    return (select(Module).join(Module.round).join(Round.competition)
            .options(joinedload(Module.round).joinedload(Round.competition))
            .where(Module.kind == ModuleKind.THEORY, Competition.status != CompetitionStatus.FINISHED)
            .order_by(Competition.year.desc(), Round.starts_on))


def _judge_for(module):
    return lambda data: judge(parse_rows(imports.read_table(data), module), module)


@role_required(Role.ADMIN)
def theory_import():
    form = TheoryImportForm(options={"module": _theory_modules})
    if form.validate_on_submit() and (result := imports.preview(form, _judge_for(form.module.data))):
        rows, token = result
        confirm = TheoryImportConfirmForm(token=token, module=form.module.data.id)
        return render_template("competitions/import_preview.html", rows=rows, summary=imports.summary(rows, Outcome),
                               confirm=confirm, good=sum(row.outcome.is_good for row in rows),
                               module=form.module.data)
    return render_template("competitions/import_upload.html", form=form)


@role_required(Role.ADMIN)
def theory_import_confirm():
    form = TheoryImportConfirmForm()
    module = db.session.scalar(_theory_modules().where(Module.id == (int(form.module.data)
                                                                     if (form.module.data or "").isdigit() else 0)))
    if module is None:
        abort(400)
    return imports.confirm(
        form, _judge_for(module), lambda rows: apply(rows, module, actor=current_user), "competitions.theory_import",
        lambda written, rows: _("%(count)d scores written; %(skipped)d rows skipped.", count=written,
                                skipped=len(rows) - written))
