"""Paper for the classroom: a session's sign-in sheet (签到表) as a PDF with the Chinese font, one line per
worker holding a seat, with their unit and a column to sign. Names and units are the users' own words:
drawn as plain text (core.pdftext). The grid's cells are strings broken into lines, not paragraphs: a
paragraph per cell was half the time of a sheet of eighty workers."""
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from academy.certificates.pdf import FONT_NAME, ISSUER, _register_font
from academy.core.i18n import local_datetime
from academy.core.pdftext import fit_lines, pdf_text, text_paragraph

SIZE, LEADING = 10, 12  # points
SIDE_PADDING, END_PADDING = 6, 3  # ReportLab's default cell padding: left and right, top and bottom


def _cell(value, width) -> str:
    """A user's words as printable text broken into the lines that fit the column (every line kept)."""
    return "\n".join(fit_lines(value, FONT_NAME, SIZE, width - 2 * SIDE_PADDING, max_lines=10_000)[1])


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
    widths = [12 * mm, 30 * mm, 70 * mm, 28 * mm, 34 * mm]
    rows = [["序号", "姓名", "工作单位", "签到时间", "签名"]]
    rows += [[str(index), _cell(enrolment.worker.name, widths[1]),
              _cell(enrolment.worker.profile.work_unit.name_zh if enrolment.worker.profile else "", widths[2]), "", ""]
             for index, enrolment in enumerate(enrolments, start=1)]
    heights = [8 * mm] + [max(11 * mm, (max(cell.count("\n") for cell in row) + 1) * LEADING + 2 * END_PADDING)
                          for row in rows[1:]]
    grid = Table(rows, repeatRows=1, colWidths=widths, rowHeights=heights)
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("FONTSIZE", (0, 0), (-1, -1), SIZE),
                              ("LEADING", (0, 0), (-1, -1), LEADING),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2DCDB"))]))
    story += [grid, Spacer(1, 4 * mm), text_paragraph(f"应到 {len(enrolments)} 人　实到＿＿人　记录人：＿＿＿＿", text)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=f"签到表 {pdf_text(course.title)}", author=ISSUER).build(story)
    return buffer.getvalue()
