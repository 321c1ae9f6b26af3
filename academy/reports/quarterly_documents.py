"""The quarterly report's documents, made once from its frozen figures (academy/reports/quarterly.py):
a PDF in the certificates' Chinese font with the issuer's name and date in their red, and an XLSX with
the same figures, sheet by sheet."""
import io
from datetime import date
from decimal import Decimal

import xlsxwriter
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from academy.certificates.pdf import ISSUER, RED, register_font
from academy.core.pdftext import text_paragraph
from academy.core.spreadsheets import WORKBOOK_OPTIONS, spreadsheet_safe

PLAN_HEADER = ("项目", "范围", "指标", "计划", "实际", "完成率(%)", "截至统计日应完成", "状态")
HIGHLIGHTS = (("courses", "本季度开班数"), ("hours", "本季度结业学时"), ("certificates", "本季度新发结业证书"),
              ("agreements_signed", "本季度签订协议"), ("agreements_expiring", "季度结束后90天内到期协议"))
STANDING_HEADER = ("街道", "适用继续教育人数", "达标人数", "达标率(%)")


def title_of(figures: dict) -> str:
    return f"{ISSUER} {figures['year']}年第{figures['quarter']}季度工作报告"


def plan_rows(figures: dict) -> list[list[str]]:
    return [[plan["programme"], plan["scope"], target["label"], target["planned"], target["actual"],
             target["reached"], target["due"], target["status_label"]]
            for plan in figures["plans"] for target in plan["targets"]]


def standing_rows(figures: dict) -> list[list]:
    standing = figures["standing"]
    return [[row["subdistrict"], row["applicable"], row["compliant"], row["rate"]] for row in standing["subdistricts"]] \
        + [["全区合计", standing["applicable"], standing["compliant"], standing["rate"]]]


def _table(font: str, header, rows, widths) -> Table:
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    table = Table([[text_paragraph(value, cell) for value in header]]
                  + [[text_paragraph(value, cell) for value in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), HexColor("#F2DCDB")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def render_pdf(figures: dict, issued_on: date) -> bytes:
    font = register_font()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=48, bottomMargin=48,
                                 title=title_of(figures), author=ISSUER)
    heading = ParagraphStyle("heading", fontName=font, fontSize=17, leading=24, alignment=1, textColor=RED)
    section = ParagraphStyle("section", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=16, wordWrap="CJK", firstLineIndent=20)
    seal = ParagraphStyle("seal", fontName=font, fontSize=12, leading=18, alignment=2, textColor=RED)
    story = [text_paragraph(title_of(figures), heading),
             text_paragraph(f"统计期间：{figures['first']} 至 {figures['last']}（计划完成情况截至 {figures['as_of']}）",
                            ParagraphStyle("period", parent=body, firstLineIndent=0, alignment=1)),
             Spacer(1, 8), text_paragraph("一、工作概述", section)]
    story += [text_paragraph(line, body) for line in figures["text"].splitlines() if line.strip()]
    story.append(text_paragraph("二、年度计划完成情况", section))
    rows = plan_rows(figures)
    story.append(_table(font, PLAN_HEADER, rows, [62, 58, 110, 44, 44, 50, 70, 42]) if rows
                 else text_paragraph("本年度尚未制定计划。", body))
    story.append(text_paragraph("三、本季度工作要点", section))
    story.append(_table(font, ("事项", "数量"), [[label, figures["highlights"][key]] for key, label in HIGHLIGHTS],
                        [300, 120]))
    story.append(text_paragraph("四、继续教育达标情况", section))
    story.append(_table(font, STANDING_HEADER, standing_rows(figures), [140, 110, 90, 90]))
    story += [Spacer(1, 24), text_paragraph(ISSUER, seal), text_paragraph(f"{issued_on:%Y年%m月%d日}", seal)]
    document.build(story)
    return buffer.getvalue()


def _as_number(text: str):
    """A figure of the frozen JSON as a number for the spreadsheet (empty stays empty)."""
    return float(Decimal(text)) if text else ""


def render_xlsx(figures: dict) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **WORKBOOK_OPTIONS})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#F2DCDB", "text_wrap": True})
    cell = book.add_format({"border": 1})
    title = book.add_format({"bold": True, "font_size": 14})

    def sheet(name: str, header, rows, widths):
        page = book.add_worksheet(name)
        page.write(0, 0, title_of(figures), title)
        page.write_row(2, 0, header, head)
        for index, row in enumerate(rows, start=3):
            page.write_row(index, 0, [spreadsheet_safe(value) if isinstance(value, str) else value for value in row],
                           cell)
        for column, width in enumerate(widths):
            page.set_column(column, column, width)
        return page

    numbers = [row[:3] + [_as_number(value) for value in row[3:7]] + row[7:] for row in plan_rows(figures)]
    sheet("计划完成情况", PLAN_HEADER, numbers, [14, 12, 22, 10, 10, 10, 14, 8])
    sheet("季度要点", ("事项", "数量"), [[label, figures["highlights"][key]] for key, label in HIGHLIGHTS], [28, 12])
    sheet("继续教育", STANDING_HEADER, standing_rows(figures), [16, 16, 10, 10])
    text = sheet("工作概述", ("统计期间", "计划截至", "工作概述"),
                 [[f"{figures['first']} 至 {figures['last']}", figures["as_of"], figures["text"]]], [26, 12, 80])
    text.set_row(3, 120, book.add_format({"text_wrap": True, "valign": "top", "border": 1}))
    book.close()
    return buffer.getvalue()
