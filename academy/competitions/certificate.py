"""An award certificate (荣誉证书) as a PDF in the academy's certificate design, with the QR code of
its /verify address; and the lookup that lets /verify show an award."""
import io

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from academy.certificates.pdf import FONT_NAME, ISSUER, RED, TEXT_WIDTH, _register_font, format_code, qr_widget
from academy.competitions.awards import award_by_code, holder_name
from academy.competitions.enums import AwardKind
from academy.competitions.models import Award
from academy.core.i18n import LOCAL_TZ
from academy.core.masking import mask_name
from academy.core.pdftext import fit_lines, pdf_text

KIND_ZH = {AwardKind.TEAM: "团体奖", AwardKind.INDIVIDUAL: "个人奖", AwardKind.ORGANISER: "优秀组织单位"}
MEDAL_ZH = {"gold": "金奖", "silver": "银奖", "bronze": "铜奖", "merit": "优秀奖"}
GROUP_ZH = {"livelihood": "民生服务组", "governance": "党建治理组", "development": "社会发展组"}


def body_lines(award: Award) -> list[str]:
    group = f"{GROUP_ZH[award.tier.group.value]} " if award.tier.group else ""
    prize = "优秀组织单位" if award.tier.kind == AwardKind.ORGANISER else MEDAL_ZH[award.tier.medal.value]
    lines = ["在", f"《{award.competition.title}》", f"中荣获 {group}{KIND_ZH[award.tier.kind]} {prize}。"]
    if award.team is not None:
        lines.append("项目：" + award.team.project_title)
    return lines


def render_award(award: Award, address: str) -> bytes:
    _register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(pdf_text(f"荣誉证书 {format_code(award.verification_code)}"))
    pdf.setAuthor(ISSUER)
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(6)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1.5)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFillColor(RED)
    pdf.setFont(FONT_NAME, 40)
    pdf.drawCentredString(width / 2, height - 120, "荣 誉 证 书")
    pdf.setFont(FONT_NAME, 12)
    pdf.drawCentredString(width / 2, height - 142, "Certificate of Award")
    pdf.setFillColor(HexColor("#222222"))
    y = height - 210
    size, lines = fit_lines(holder_name(award), FONT_NAME, 26, TEXT_WIDTH, min_size=16, max_lines=2)
    for line in lines:
        pdf.setFont(FONT_NAME, size)
        pdf.drawCentredString(width / 2, y, line)
        y -= size * 1.2
    if award.team is not None:
        names = "、".join(member.worker.name for member in award.team.members)
        size, lines = fit_lines(names, FONT_NAME, 14, TEXT_WIDTH, min_size=10, max_lines=2)
        for line in lines:
            pdf.setFont(FONT_NAME, size)
            pdf.drawCentredString(width / 2, y, line)
            y -= size * 1.3
    y -= 20
    for text in body_lines(award):
        size, lines = fit_lines(text, FONT_NAME, 16, TEXT_WIDTH, min_size=10, max_lines=2)
        for line in lines:
            pdf.setFont(FONT_NAME, size)
            pdf.drawCentredString(width / 2, y, line)
            y -= size * 1.5
    pdf.setFont(FONT_NAME, 16)
    pdf.drawRightString(width - 110, 150, ISSUER)
    pdf.drawRightString(width - 110, 124, f"{award.awarded_at.astimezone(LOCAL_TZ):%Y年%m月%d日}")
    pdf.setFont(FONT_NAME, 10)
    pdf.drawString(80, 76, f"验证码 Verification code: {format_code(award.verification_code)}")
    pdf.drawString(80, 60, f"验证 Verify: {address}")
    size = 92
    widget = qr_widget(address)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, 80, 110)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def verify_lookup(code: str):
    """For /verify: the award with this code, shown with the holder's name masked (a team's and a
    subdistrict's names are not personal)."""
    award = award_by_code(code)
    if award is None:
        return None
    holder = mask_name(award.worker.name) if award.worker is not None else holder_name(award)
    return "competitions/award_verify.html", {"award": award, "holder": holder}
