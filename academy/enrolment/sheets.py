"""Paper for the classroom: a session's sign-in sheet (签到表) as a PDF with the Chinese font, one line per
worker holding a seat, with their unit and a column to sign. Names and units are the users' own words:
drawn as plain text (core.pdftext)."""
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from academy.certificates.pdf import FONT_NAME, ISSUER, _register_font
from academy.core.i18n import local_datetime
from academy.core.pdftext import pdf_text, text_paragraph


def sign_in_sheet(course, session, enrolments) -> bytes:
    """The sheet of `session`: the course, the time and place, and a row per seated worker."""
    _register_font()
    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=10, leading=14, wordWrap="CJK")
    title = ParagraphStyle("title", parent=text, fontSize=16, leading=22, alignment=1)
    when = f"{local_datetime(session.starts_at, '%Y-%m-%d %H:%M')}–{local_datetime(session.ends_at, '%H:%M')}"
    place = course.venue or ("线上" if course.mode.value == "online" else "—")
    story = [text_paragraph(f"{ISSUER} 签到表", title), Spacer(1, 3 * mm),
             text_paragraph(f"课程：{course.title}（{course.code}）", text),
             text_paragraph(f"课次：{session.topic or '—'}　时间：{when}　地点：{place}", text), Spacer(1, 3 * mm)]
    rows = [["序号", "姓名", "工作单位", "签到时间", "签名"]]
    rows += [[str(index), enrolment.worker.name, enrolment.worker.profile.work_unit.name_zh
              if enrolment.worker.profile else "", "", ""] for index, enrolment in enumerate(enrolments, start=1)]
    grid = Table([[text_paragraph(cell, text) for cell in row] for row in rows], repeatRows=1,
                 colWidths=[12 * mm, 30 * mm, 70 * mm, 28 * mm, 34 * mm], rowHeights=[8 * mm] + [11 * mm] * len(enrolments))
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2DCDB"))]))
    story += [grid, Spacer(1, 4 * mm), text_paragraph(f"应到 {len(enrolments)} 人　实到＿＿人　记录人：＿＿＿＿", text)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=f"签到表 {pdf_text(course.title)}", author=ISSUER).build(story)
    return buffer.getvalue()
