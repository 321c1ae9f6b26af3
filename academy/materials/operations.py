"""Attaching, publishing and withdrawing course materials; counting downloads."""
import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from academy.audit.operations import record
from academy.core.errors import OperationError
from academy.core.filenames import clean_filename
from academy.courses.models import Course, CourseSession
from academy.extensions import db
from academy.materials.models import Material, MaterialEvent, MaterialKind, MaterialStatus
from academy.materials.storage import MAX_BYTES, material_path, new_stored_name, sniff_material

S = MaterialStatus
TRANSITIONS = {
    S.DRAFT: {S.PUBLISHED, S.WITHDRAWN},
    S.PUBLISHED: {S.DRAFT, S.WITHDRAWN},
    S.WITHDRAWN: set(),
}


def _check_session(course: Course, session: CourseSession | None) -> None:
    if session is not None and session.course_id != course.id:
        raise OperationError(_l("Choose a session of this course."), field="session")


def _add(material: Material, *, actor, publish: bool) -> Material:
    material.status = S.PUBLISHED if publish else S.DRAFT
    material.created_by_id = actor.id
    db.session.add(material)
    db.session.flush()
    db.session.add(MaterialEvent(material_id=material.id, actor_id=actor.id, from_status=None, to_status=material.status))
    record("material.add", material, actor=actor, course=material.course.code, kind=material.kind.value)
    return material


def add_file(course: Course, *, actor, title: str, filename: str, data: bytes, session: CourseSession | None = None,
             position: int = 0, publish: bool = False) -> Material:
    """Check the file by size and content, keep it under a generated name; raises OperationError and
    keeps nothing when it is refused."""
    _check_session(course, session)
    if not data:
        raise OperationError(_l("The file is empty."), field="file")
    if len(data) > MAX_BYTES:
        raise OperationError(_l("The file is larger than %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)), field="file")
    kind = sniff_material(data)
    if kind is None:
        raise OperationError(_l("Only PDF, PPTX, DOCX, XLSX, JPG and PNG files are accepted (checked by their "
                                "content)."), field="file")
    content_type, extension = kind
    material = Material(course=course, session=session, kind=MaterialKind.FILE, title=title, position=position,
                        stored_name=new_stored_name(extension), content_type=content_type, size=len(data),
                        original_name=clean_filename(filename, default=f"material.{extension}"),
                        sha256=hashlib.sha256(data).hexdigest())
    _add(material, actor=actor, publish=publish)
    material_path(material.stored_name).write_bytes(data)
    return material


def add_link(course: Course, *, actor, title: str, url: str, session: CourseSession | None = None,
             position: int = 0, publish: bool = False) -> Material:
    _check_session(course, session)
    if not url.lower().startswith(("https://", "http://")):
        raise OperationError(_l("Enter an address starting with https:// or http://."), field="url")
    material = Material(course=course, session=session, kind=MaterialKind.LINK, title=title, position=position,
                        url=url)
    return _add(material, actor=actor, publish=publish)


def edit_material(material: Material, *, actor, title: str, position: int, session: CourseSession | None,
                  url: str | None = None) -> None:
    """Change a material's title, order, session (and a link's address); a withdrawn one stays as it was."""
    if material.status == S.WITHDRAWN:
        raise OperationError(_l("A withdrawn material cannot be changed."))
    _check_session(material.course, session)
    if material.kind == MaterialKind.LINK:
        if not (url or "").lower().startswith(("https://", "http://")):
            raise OperationError(_l("Enter an address starting with https:// or http://."), field="url")
        material.url = url
    material.title, material.position, material.session = title, position, session
    db.session.flush()
    record("material.update", material, actor=actor, title=title, position=position)


def change_status(material: Material, to_status: MaterialStatus, *, actor) -> None:
    if to_status not in TRANSITIONS[material.status]:
        raise OperationError(_l("A withdrawn material cannot be changed.") if material.status == S.WITHDRAWN
                             else _l("This change is not possible."))
    db.session.add(MaterialEvent(material_id=material.id, actor_id=actor.id, from_status=material.status,
                                 to_status=to_status))
    record("material.status", material, actor=actor, **{"from": material.status.value, "to": to_status.value})
    material.status = to_status
    db.session.flush()


def count_download(material: Material) -> None:
    """One more download, counted in one statement whatever other downloads run at the same time."""
    db.session.execute(update(Material).where(Material.id == material.id)
                       .values(downloads=Material.downloads + 1).execution_options(synchronize_session=False))
