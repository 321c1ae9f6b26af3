"""Course materials: files checked by content and kept outside static/, drafts hidden, only enrolled workers
and the course's staff see and download them (a 404 for anyone else), downloads counted."""
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.core.errors import OperationError
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.materials import operations as mats
from academy.materials.models import Material, MaterialEvent, MaterialStatus
from academy.materials.storage import material_path, materials_dir

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def office(folder: str, *extra: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
        for name in extra:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.fixture
def course_room(make):
    instructor = make.create_instructor()
    course = make.create_course(sessions=2, instructors=[instructor])
    worker, outsider = make.create_worker(), make.create_worker()
    enrolment = ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    return dict(instructor=instructor, course=course, worker=worker, outsider=outsider, enrolment=enrolment)


def files_kept() -> int:
    return len(list(materials_dir().iterdir())) if materials_dir().exists() else 0


def test_an_instructor_uploads_a_file_that_an_enrolled_worker_downloads(client, login, course_room):
    course = course_room["course"]
    login(course_room["instructor"])
    response = client.post(f"/teach/courses/{course.id}/materials/new/file", data={
        "title": "第一讲课件", "session": str(course.sessions[0].id), "position": "1", "publish": "y",
        "file": (io.BytesIO(PDF), "../../课件.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    material = db.session.scalar(select(Material))
    assert (material.status, material.session_id, material.original_name) == (
        MaterialStatus.PUBLISHED, course.sessions[0].id, "课件.pdf")
    path = material_path(material.stored_name)
    assert path.read_bytes() == PDF and "static" not in path.parts and material.stored_name.endswith(".pdf")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "material.add")) is not None
    client.post("/logout")
    login(course_room["worker"])
    listing = client.get(f"/courses/{course.id}/materials").get_data(as_text=True)
    assert "第一讲课件" in listing
    download = client.post(f"/materials/{material.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    client.post(f"/materials/{material.id}")
    db.session.expire_all()
    assert material.downloads == 2
    assert f"/courses/{course.id}/materials" in client.get("/learning").get_data(as_text=True)
    assert f"/courses/{course.id}/materials" in client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_draft_is_hidden_from_workers_until_published(client, login, course_room):
    course, instructor = course_room["course"], course_room["instructor"]
    draft = mats.add_file(course, actor=instructor, title="草稿课件", filename="a.pdf", data=PDF)
    db.session.commit()
    login(course_room["worker"])
    assert "草稿课件" not in client.get(f"/courses/{course.id}/materials").get_data(as_text=True)
    assert client.post(f"/materials/{draft.id}").status_code == 404
    mats.change_status(draft, MaterialStatus.PUBLISHED, actor=instructor)
    db.session.commit()
    assert client.post(f"/materials/{draft.id}").status_code == 200
    events = db.session.scalars(select(MaterialEvent).order_by(MaterialEvent.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, MaterialStatus.DRAFT),
                                                              (MaterialStatus.DRAFT, MaterialStatus.PUBLISHED)]


@pytest.mark.parametrize("who", ["outsider", "withdrawn", "other_instructor", "street_admin"])
def test_nobody_else_sees_or_downloads_them(client, login, make, course_room, who):
    course = course_room["course"]
    material = mats.add_file(course, actor=course_room["instructor"], title="课件", filename="a.pdf", data=PDF,
                             publish=True)
    db.session.commit()
    if who == "withdrawn":
        ops.withdraw(course_room["enrolment"], actor=course_room["worker"])
        db.session.commit()
        user = course_room["worker"]
    else:
        user = {"outsider": course_room["outsider"], "other_instructor": make.create_instructor(),
                "street_admin": make.create_street_admin()}[who]
    login(user)
    assert client.get(f"/courses/{course.id}/materials").status_code == 404
    assert client.post(f"/materials/{material.id}").status_code == 404
    assert client.post(f"/materials/{material.id + 999}").status_code == 404
    db.session.expire_all()
    assert material.downloads == 0


@pytest.mark.parametrize(("name", "data", "accepted"), [
    ("slides.pptx", office("ppt/"), "pptx"),
    ("notes.docx", office("word/"), "docx"),
    ("sheet.xlsx", office("xl/"), "xlsx"),
    ("macro.docm", office("word/", "word/vbaProject.bin"), None),
    ("page.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>%%EOF", None),
    ("fake.pdf", b"<!doctype html><p>hi</p>", None),
    ("archive.docx", office("other/"), None),
    ("empty.pdf", b"", None),
])
def test_files_are_recognised_by_content(course_room, name, data, accepted):
    course, instructor = course_room["course"], course_room["instructor"]
    kept = files_kept()
    if accepted:
        material = mats.add_file(course, actor=instructor, title=name, filename=name, data=data)
        assert material.stored_name.endswith(f".{accepted}")
        assert files_kept() == kept + 1
    else:
        with pytest.raises(OperationError):
            mats.add_file(course, actor=instructor, title=name, filename=name, data=data)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Material)) == 0
        assert files_kept() == kept


def test_a_file_over_50_mb_is_refused_and_one_of_30_mb_is_accepted(client, login, course_room):
    course = course_room["course"]
    login(course_room["instructor"])
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024) + b"\n%%EOF\n"
    response = client.post(f"/teach/courses/{course.id}/materials/new/file", data={
        "title": "大文件", "session": "0", "file": (io.BytesIO(big), "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with pytest.raises(OperationError):
        mats.add_file(course, actor=course_room["instructor"], title="太大", filename="huge.pdf",
                      data=b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024) + b"\n%%EOF\n")


def test_links_must_be_web_addresses_and_open_through_the_counter(client, login, course_room):
    course = course_room["course"]
    login(course_room["instructor"])
    for bad in ("javascript:alert(1)", "ftp://example.org/x", "not a url"):
        response = client.post(f"/teach/courses/{course.id}/materials/new/link",
                               data={"title": "视频", "session": "0", "url": bad, "publish": "y"})
        assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0
    client.post(f"/teach/courses/{course.id}/materials/new/link",
                data={"title": "视频", "session": "0", "url": "https://video.example.org/lesson-1", "publish": "y"})
    link = db.session.scalar(select(Material))
    client.post("/logout")
    login(course_room["worker"])
    response = client.post(f"/materials/{link.id}")
    assert response.status_code == 303 and response.headers["Location"] == "https://video.example.org/lesson-1"
    db.session.expire_all()
    assert link.downloads == 1


def test_a_session_of_another_course_is_refused(make, course_room):
    other = make.create_course()
    with pytest.raises(OperationError):
        mats.add_link(course_room["course"], actor=course_room["instructor"], title="x", url="https://a.example",
                      session=other.sessions[0])


def test_a_withdrawn_material_stays_withdrawn(course_room):
    material = mats.add_link(course_room["course"], actor=course_room["instructor"], title="x",
                             url="https://a.example", publish=True)
    mats.change_status(material, MaterialStatus.WITHDRAWN, actor=course_room["instructor"])
    with pytest.raises(OperationError):
        mats.change_status(material, MaterialStatus.PUBLISHED, actor=course_room["instructor"])


def test_the_lists_run_the_same_number_of_statements_whatever_their_length(client, login, course_room):
    course, instructor = course_room["course"], course_room["instructor"]

    def measure(path):
        client.get(path)
        with count_queries(db.engine) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    def add(count):
        for index in range(count):
            mats.add_link(course, actor=instructor, title=f"链接{index}", url="https://a.example",
                          session=course.sessions[index % 2] if index % 3 else None, publish=True)
        db.session.commit()

    login(course_room["worker"])
    add(1)
    small = measure(f"/courses/{course.id}/materials")
    add(12)
    assert measure(f"/courses/{course.id}/materials") == small <= 6
    client.post("/logout")
    login(instructor)
    assert measure(f"/teach/courses/{course.id}/materials") <= 6


def test_stored_outside_static(app):
    with app.app_context():
        assert Path(app.static_folder).resolve() not in materials_dir().resolve().parents


def test_staff_change_the_title_order_and_session_and_nobody_else_can(client, login, make, course_room):
    course, instructor = course_room["course"], course_room["instructor"]
    link = mats.add_link(course, actor=instructor, title="旧标题", url="https://a.example", publish=True)
    db.session.commit()
    login(instructor)
    url = f"/teach/courses/{course.id}/materials/{link.id}/edit"
    assert "旧标题" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"title": "新标题", "position": "3", "session": str(course.sessions[1].id),
                                      "url": "https://b.example/x"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (link.title, link.position, link.session_id, link.url) == ("新标题", 3, course.sessions[1].id,
                                                                      "https://b.example/x")
    refused = client.post(url, data={"title": "", "position": "1", "session": "0", "url": "https://b.example/x"})
    assert refused.status_code == 200
    db.session.expire_all()
    assert link.title == "新标题"
    client.post("/logout")
    login(make.create_instructor())
    assert client.post(url, data={"title": "别人改的", "position": "1", "session": "0"}).status_code == 403
    db.session.expire_all()
    assert link.title == "新标题"
