"""An award certificate (荣誉证书) as a PDF in the academy's certificate design, with the QR code of
its /verify address; and the lookup that lets /verify show an award."""
import io

from academy.certificates.pdf import FONT_NAME, TEXT_WIDTH, finish_page, format_code, start_page
from academy.competitions.awards import award_by_code, holder_name
from academy.competitions.enums import AwardKind
from academy.competitions.models import Award
from academy.core.masking import mask_name
from academy.core.pdftext import fit_lines

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
    buffer = io.BytesIO()
    pdf, width, height = start_page(buffer, f"荣誉证书 {format_code(award.verification_code)}", "荣 誉 证 书",
                                    "Certificate of Award")
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
    finish_page(pdf, width, award.awarded_at, award.verification_code, address)
    return buffer.getvalue()


def verify_lookup(code: str):
    """For /verify: the award with this code, shown with the holder's name masked (a team's and a
    subdistrict's names are not personal)."""
    award = award_by_code(code)
    if award is None:
        return None
    holder = mask_name(award.worker.name) if award.worker is not None else holder_name(award)
    return "competitions/award_verify.html", {"award": award, "holder": holder}
