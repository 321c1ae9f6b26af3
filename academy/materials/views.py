"""Staff attach and publish materials; enrolled workers and the course's staff list and download them."""
from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.courses.queries import get_course_or_404, load_course
from academy.extensions import db
from academy.materials import operations
from academy.materials.forms import EditMaterialForm, FileMaterialForm, LinkMaterialForm, StatusForm
from academy.materials.models import Material, MaterialKind, MaterialStatus
from academy.materials.queries import materials_query, may_see
from academy.materials.storage import MAX_BYTES, material_path

STAFF = (Role.INSTRUCTOR, Role.ADMIN)
PAGE_SIZE = 30


def _page(query):
    return db.paginate(query, per_page=PAGE_SIZE, max_per_page=PAGE_SIZE, error_out=False)


@role_required(*STAFF)
def manage(course_id):
    course = get_course_or_404(course_id, editable=True)
    return render_template("materials/manage.html", course=course, page=_page(materials_query(course, staff=True)),
                           status_form=StatusForm(), download_form=StatusForm())


@role_required(*STAFF)
def add(course_id, what):
    course = get_course_or_404(course_id, editable=True)
    kind = what
    if kind not in ("file", "link"):
        abort(404)
    form = FileMaterialForm() if kind == "file" else LinkMaterialForm()
    form.set_sessions(course)
    if form.validate_on_submit():
        common = dict(actor=current_user, title=form.title.data, session=form.chosen_session(course),
                      position=form.position.data or 0, publish=form.publish.data)
        if kind == "file":
            upload = form.file.data
            action = lambda: operations.add_file(course, filename=upload.filename,  # noqa: E731
                                                 data=upload.read(MAX_BYTES + 1), **common)
        else:
            action = lambda: operations.add_link(course, url=form.url.data, **common)  # noqa: E731
        if attempt(action, form=form, success=_("The material is added.")):
            return redirect(url_for("materials.manage", course_id=course.id))
    return render_template("materials/form.html", course=course, form=form, kind=kind)



@role_required(*STAFF)
def edit(course_id, material_id):
    course = get_course_or_404(course_id, editable=True)
    material = db.session.get(Material, material_id)
    if material is None or material.course_id != course.id:
        abort(404)
    form = EditMaterialForm(obj=material, session=material.session_id or 0)
    form.set_sessions(course)
    if form.validate_on_submit():
        if attempt(lambda: operations.edit_material(material, actor=current_user, title=form.title.data,
                                             position=form.position.data or 0, session=form.chosen_session(course),
                                             url=form.url.data), form=form, success=_("The material is saved.")):
            return redirect(url_for("materials.manage", course_id=course.id))
    return render_template("materials/edit.html", course=course, form=form, material=material)


@role_required(*STAFF)
def change_status(course_id, material_id, to):
    target = to
    course = get_course_or_404(course_id, editable=True)
    material = db.session.get(Material, material_id)
    if material is None or material.course_id != course.id or target not in set(MaterialStatus):
        abort(404)
    if StatusForm().validate_on_submit():
        attempt(lambda: operations.change_status(material, MaterialStatus(target), actor=current_user),
                success=_("The material is now: %(status)s.", status=MaterialStatus(target).label))
    return redirect(url_for("materials.manage", course_id=course.id))


@login_required
def course_materials(course_id):
    """The published materials, for enrolled workers and the course's staff; a 404 for anyone else."""
    course = load_course(course_id)
    if course is None or not may_see(course, current_user):
        abort(404)
    return render_template("materials/list.html", course=course, page=_page(materials_query(course, staff=False)),
                           download_form=StatusForm())


@login_required
def download(material_id):
    """A POST (it counts the download), with the CSRF token of the page that lists the material."""
    material = db.session.get(Material, material_id)
    if material is None:
        abort(404)
    course = material.course
    staff = course.can_edit(current_user)
    if not staff and (material.status != MaterialStatus.PUBLISHED or not may_see(course, current_user)):
        abort(404)
    operations.count_download(material)
    db.session.commit()
    if material.kind == MaterialKind.LINK:
        return redirect(material.url, code=303)
    path = material_path(material.stored_name)
    if not path.is_file():
        current_app.logger.error("material file missing: %s", material.stored_name)
        abort(404)
    return send_file(path, mimetype=material.content_type, as_attachment=True, download_name=material.display_name)
