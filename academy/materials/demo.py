"""Demo materials: on the classroom course a published handout (PDF), a published video link and a draft;
on the finished course a published reading list."""
import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import exists, select

from academy.certificates.pdf import FONT_NAME, _register_font
from academy.courses import operations as course_ops
from academy.extensions import db
from academy.materials import operations
from academy.materials.models import Material


def _handout(title: str, lines: list[str]) -> bytes:
    _register_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont(FONT_NAME, 18)
    page.drawString(60, 780, title)
    page.setFont(FONT_NAME, 12)
    for index, line in enumerate(lines):
        page.drawString(60, 740 - index * 22, line)
    page.save()
    return buffer.getvalue()


def load_demo_materials(instructor) -> None:
    classroom = course_ops.find_course_by_code("DEMO-CLASSROOM-01")
    past = course_ops.find_course_by_code("DEMO-ZHUJI-PAST")
    if classroom is None or db.session.scalar(select(exists().where(Material.course_id == classroom.id))):
        return
    operations.add_file(classroom, actor=instructor, title="入户沟通讲义", filename="入户沟通讲义.pdf", position=1,
                        data=_handout("入户沟通讲义", ["一、走访前的准备", "二、开场与建立关系", "三、倾听与回应",
                                                 "四、记录与跟进"]),
                        session=classroom.sessions[0], publish=True)
    operations.add_link(classroom, actor=instructor, title="示范视频：一次完整的入户走访",
                        url="https://www.example.org/videos/home-visit", position=2, publish=True)
    operations.add_link(classroom, actor=instructor, title="第二讲案例材料（准备中）",
                        url="https://www.example.org/cases/draft", session=classroom.sessions[1])
    if past is not None:
        operations.add_file(past, actor=instructor, title="伦理与实务阅读清单", filename="阅读清单.pdf",
                            data=_handout("阅读清单", ["《社会工作伦理》", "《社会工作实务（初级）》"]), publish=True)
