"""The learning record as a PDF, for professional-title applications (same font as certificates).
Every paragraph shows its text literally (core.pdftext): names, titles and institutions are the
users' own words."""
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from academy.certificates.pdf import FONT_NAME, ISSUER, _register_font, signature_block
from academy.core.i18n import local_today
from academy.core.pdftext import pdf_text, text_paragraph
from academy.programmes.models import Tier


def _hours(value) -> str:
    return format((value or 0).normalize(), "f") if hasattr(value or 0, "normalize") else str(value or 0)


def render_record(record) -> bytes:
    _register_font()
    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=10, leading=14, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=text, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", parent=text, fontSize=18, leading=24, alignment=1)
    worker, profile, ce = record.worker, record.worker.profile, record.ce
    story = [text_paragraph(f"{ISSUER} 学习档案", title), Spacer(1, 4 * mm),
             text_paragraph(f"姓名：{worker.name}　单位：{profile.work_unit.name_zh}（{profile.subdistrict.name_zh}）", text),
             text_paragraph(f"职业资格：{profile.qualification.label}"
                            f"{'' if profile.qualification_verified or not profile.qualification.rank else '（未核验）'}"
                            f"　最高学历："
                       f"{profile.education.label if profile.education else '—'}", text)]
    if ce.period_start:
        story.append(text_paragraph(
            f"继续教育：登记有效期 {ce.period_start} 至 {ce.period_end}，已完成 {_hours(ce.done)} / "
            f"{_hours(ce.required)} 学时（{ce.state.label}）", text))

    def table(rows, header, widths):
        # Fixed column widths (mm): a long title wraps inside its cell instead of pushing the others out.
        grid = Table([[text_paragraph(str(cell), text) for cell in header]]
                     + [[text_paragraph(str(cell), text) for cell in row] for row in rows], repeatRows=1,
                     colWidths=[width * mm for width in widths])
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2DCDB"))]))
        return grid

    names = {Tier.DEGREE: "学历教育", Tier.CAPABILITY: "能力提升", Tier.RESEARCH: "科研实践"}
    kinds = {Tier.DEGREE: "degree", Tier.CAPABILITY: "training", Tier.RESEARCH: "research"}
    for tier in Tier:
        story.append(text_paragraph(names[tier], heading))
        courses = [(e.course.title, e.course.programme.name_zh, e.course.ends_on, _hours(e.credited_hours))
                   for e in record.completions[tier]]
        outside = [(r.title, r.institution, f"{r.started_on or ''} – {r.ended_on or ''}", r.review_status.label)
                   for records in record.records.values() for r in records if r.kind.value == kinds[tier]]
        if courses:
            story.append(table(courses, ("课程", "培养计划", "结课日期", "学时"), (74, 48, 30, 22)))
        if outside:
            story.append(Spacer(1, 2 * mm))
            story.append(table(outside, ("名称", "机构", "时间", "审核"), (62, 50, 42, 20)))
        if not courses and not outside:
            story.append(text_paragraph("—", text))
    if record.certificates:
        story.append(text_paragraph("证书", heading))
        story.append(table([(c.serial, c.title, _hours(c.hours), "已撤销" if c.is_revoked else "有效")
                            for c in record.certificates], ("编号", "课程或计划", "学时", "状态"), (50, 84, 18, 22)))
    story.append(Spacer(1, 8 * mm))
    story.append(KeepTogether([signature_block(local_today(), ParagraphStyle("sign", parent=text, fontSize=12,
                                                                           leading=18, alignment=2))]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=f"学习档案 {pdf_text(worker.name)}", author=ISSUER).build(story)
    return buffer.getvalue()
