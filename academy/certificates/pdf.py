"""The certificate as a PDF: reportlab with an embedded CJK TrueType font and a QR code of its
verification address."""
import io
from pathlib import Path

from flask import current_app
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, Table, TableStyle

from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.seal import seal_path, signature_lines
from academy.core.i18n import LOCAL_TZ
from academy.core.pdftext import fit_lines, pdf_text, text_paragraph

FONT_NAME = "AcademyCJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
ISSUER = "东城区社会工作学院"
RED = HexColor("#8c1c13")
TEXT_WIDTH = landscape(A4)[0] - 2 * 110  # the inner frame, less a margin


class FontMissing(RuntimeError):
    pass


def font_path() -> Path:
    configured = current_app.config.get("CERT_FONT_PATH")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    raise FontMissing(
        "No Chinese font for certificates: install the Debian package fonts-wqy-zenhei "
        "(apt-get install fonts-wqy-zenhei) or set CERT_FONT_PATH to a TrueType font with CJK glyphs."
    )


def _register_font() -> None:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0) if path.suffix == ".ttc"
                                else TTFont(FONT_NAME, str(path)))


def register_font() -> str:
    """The CJK font registered with reportlab (other documents use it too); its name."""
    _register_font()
    return FONT_NAME


def qr_widget(url: str) -> QrCodeWidget:
    return QrCodeWidget(url, barLevel="M")


def _hours(value) -> str:
    return format(value.normalize(), "f")


def body_lines(cert: Certificate) -> list[str]:
    """The wording in three lines, the course or programme on its own so it is never broken."""
    period = ""
    if cert.period_from and cert.period_to:
        period = f"于 {cert.period_from:%Y年%m月%d日} 至 {cert.period_to:%Y年%m月%d日} "
    if cert.kind == CertificateKind.COURSE:
        return [f"{period}参加", f"《{cert.title}》", f"学习，共 {_hours(cert.hours)} 学时，考核合格，准予结业。"]
    return [f"{period}完成", cert.title, f"规定的学习任务，累计 {_hours(cert.hours)} 学时，准予结业。"]


def render_certificate(cert: Certificate, verify_url: str) -> bytes:
    """One A4 landscape page; the font is embedded (subset) so it opens anywhere."""
    buffer = io.BytesIO()
    pdf, width, height = start_page(buffer, f"结业证书 {cert.serial}", "结 业 证 书", "Certificate of Completion")
    # The holder's name and the title are the users' words: drawn as plain text (core.pdftext), made
    # smaller and broken into lines when long, so nothing runs off the page or over the signature.
    size, lines = fit_lines(cert.holder_name, FONT_NAME, 26, TEXT_WIDTH, min_size=16, max_lines=2)
    y = height - 210 + (len(lines) - 1) * size / 2
    for line in lines:
        pdf.setFont(FONT_NAME, size)
        pdf.drawCentredString(width / 2, y, line)
        y -= size * 1.2
    y = min(y + size * 1.2 - 50, height - 260)  # 50 below the name's last line, as with a short name
    for index, text in enumerate(body_lines(cert)):
        size, lines = fit_lines(text, FONT_NAME, 20 if index == 1 else 16, TEXT_WIDTH, min_size=11,
                                max_lines=4 if index == 1 else 2)
        for line in lines:
            pdf.setFont(FONT_NAME, size)
            pdf.drawCentredString(width / 2, y, line)
            y -= size * 1.25
        y -= 30 - size * 1.25

    finish_page(pdf, width, cert.issued_at, cert.verification_code, verify_url, serial=cert.serial)
    return buffer.getvalue()


def start_page(buffer, title: str, heading: str, heading_en: str):
    """An A4 landscape certificate page in the academy's design (double red frame, the heading in
    Chinese and English); returns (canvas, width, height) with the text colour set for the body."""
    _register_font()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(pdf_text(title))
    pdf.setAuthor(ISSUER)
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(6)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1.5)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFillColor(RED)
    pdf.setFont(FONT_NAME, 40)
    pdf.drawCentredString(width / 2, height - 120, heading)
    pdf.setFont(FONT_NAME, 12)
    pdf.drawCentredString(width / 2, height - 142, heading_en)
    pdf.setFillColor(HexColor("#222222"))
    return pdf, width, height


SEAL_SIZE = 118  # points: a 4 cm seal, as stamped by hand


def draw_seal(pdf, centre_x: float, centre_y: float, size: float = SEAL_SIZE) -> bool:
    """The seal (certificates/seal.py) centred on a point; False when none is printed."""
    path = seal_path()
    if path is None:
        return False
    pdf.drawImage(str(path), centre_x - size / 2, centre_y - size / 2, size, size, mask="auto")
    return True


def signature_block(issued_on, style) -> Table:
    """The signature block for a flowing document (the learning record): its words beside the seal,
    at the right of the page."""
    words = [text_paragraph(line, style) for line in signature_lines(issued_on)]
    path = seal_path()
    seal = Image(str(path), width=32 * mm, height=32 * mm, mask="auto") if path else ""
    block = Table([[words, seal]], colWidths=[70 * mm, 34 * mm], hAlign="RIGHT")
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (0, 0), "RIGHT")]))
    return block


def finish_page(pdf, width, issued_at, code: str, verify_url: str, serial: str | None = None) -> None:
    """The signature block (signatory, issuing unit, date) under the seal, the serial (if any), the
    verification code and address with their QR code; then the page is closed and the document saved."""
    draw_seal(pdf, width - 110 - 80, 150)  # beneath the words, which stay legible through it
    pdf.setFont(FONT_NAME, 16)
    lines = signature_lines(issued_at.astimezone(LOCAL_TZ))
    for index, line in enumerate(reversed(lines)):
        pdf.drawRightString(width - 110, 124 + 26 * index, pdf_text(line))
    pdf.setFont(FONT_NAME, 10)
    if serial:
        pdf.drawString(80, 92, f"证书编号 Serial: {serial}")
    pdf.drawString(80, 76, f"验证码 Verification code: {format_code(code)}")
    pdf.drawString(80, 60, f"验证 Verify: {verify_url}")
    size = 92
    widget = qr_widget(verify_url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, 80, 110)
    pdf.showPage()
    pdf.save()


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
