"""The application form (申请表) as a PDF with the Chinese font, filled from the claim, to be signed
and uploaded back. Every value shows literally (core.pdftext); the bank account is masked but for its
last four digits, as the worker fills it in by hand when signing."""
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from academy.certificates.pdf import FONT_NAME, ISSUER, _register_font
from academy.claims.models import Claim, Material
from academy.core.i18n import local_today
from academy.core.masking import mask_resident_id
from academy.core.pdftext import pdf_text, text_paragraph

DECLARATION = ("本人承诺：以上信息及所附材料真实、准确、完整，本人此前未就同一证书或同一等级领取过考试奖补。"
               "如有虚假，愿承担相应责任并退回奖补资金。")


def render_application(claim: Claim) -> bytes:
    _register_font()
    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=11, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=text, fontSize=17, leading=24, alignment=1)
    worker, profile, scheme = claim.worker, claim.worker.profile, claim.scheme
    amount = claim.amount if claim.amount is not None else scheme.amount_for(claim.level)
    rows = [
        ("姓名", worker.name, "身份证号", mask_resident_id(profile.resident_id) or "—"),
        ("工作单位", profile.work_unit.name_zh, "所在街道", profile.subdistrict.name_zh),
        ("证书等级", str(claim.level.label), "考试年度", str(claim.exam_year)),
        ("证书编号", claim.certificate_no, "奖补金额（元）", str(amount)),
        ("开户银行", claim.bank_name or "", "银行账号", claim.masked_account or ""),
        ("开户人", claim.account_holder or "", "联系电话", worker.masked_phone),
    ]
    grid = Table([[text_paragraph(cell, text) for cell in row] for row in rows],
                 colWidths=[28 * mm, 57 * mm, 30 * mm, 57 * mm])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                              ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2DCDB")),
                              ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#F2DCDB")),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    materials = "、".join(str(Material(kind).label) for kind in claim.materials_needed())
    story = [text_paragraph(f"{scheme.title} 申请表", title), Spacer(1, 6 * mm), grid, Spacer(1, 5 * mm),
             text_paragraph(f"所附材料：{materials}", text), Spacer(1, 4 * mm),
             text_paragraph(DECLARATION, text), Spacer(1, 10 * mm),
             text_paragraph("申请人签字：____________________　　日期：______年____月____日", text),
             Spacer(1, 10 * mm),
             text_paragraph("初审意见（街道）：______________________________", text), Spacer(1, 6 * mm),
             text_paragraph("复核意见（学院）：______________________________", text), Spacer(1, 6 * mm),
             text_paragraph("终审意见（区委社会工作部）：____________________", text), Spacer(1, 8 * mm),
             text_paragraph(f"生成日期：{local_today()}　　{ISSUER}", text)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                      bottomMargin=16 * mm, title=f"申请表 {pdf_text(worker.name)}", author=ISSUER).build(story)
    return buffer.getvalue()
