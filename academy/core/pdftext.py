"""Text that enters a PDF: always as text, never as ReportLab markup.

ReportLab's `Paragraph` reads its text as markup: `<img src="…"/>` makes the server fetch a URL or
read a file, `<br/>` and `<font>` forge lines and colours, an unknown colour raises. So every
paragraph of our PDFs is built by `text_paragraph`, which escapes the whole text (our PDFs use no
markup of their own), and text drawn on a canvas goes through `pdf_text` too. Control and
bidirectional formatting characters are dropped: they print nothing, and U+202E would show a name
reversed. A test renders every PDF with hostile names and reads them back (tests/security/test_pdfs.py).
"""
import unicodedata
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph


def pdf_text(value) -> str:
    """The value as plain printable text: control (Cc) and format (Cf: bidi overrides, zero-width)
    characters removed, line breaks and tabs turned into spaces."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))


def paragraph_text(value) -> str:
    """The value escaped for a ReportLab paragraph: it shows literally, whatever it contains."""
    return escape(pdf_text(value))  # &, < and >: quotes mean nothing outside a tag


def text_paragraph(value, style) -> Paragraph:
    """A paragraph showing `value` literally. The only way our PDFs build paragraphs."""
    return Paragraph(paragraph_text(value), style)


def fit_lines(value, font_name: str, size: float, width: float, *, min_size: float | None = None,
              max_lines: int = 3) -> tuple[float, list[str]]:
    """(font size, lines) to draw `value` within `width`: the size is reduced down to `min_size`,
    then the text is broken between characters (CJK has no spaces) into at most `max_lines` lines,
    the last ending in "…" if it still does not fit."""
    text = pdf_text(value)
    min_size = min_size or size
    while size > min_size and stringWidth(text, font_name, size) > width:
        size -= 1
    lines, current = [], ""
    for char in text:
        if current and stringWidth(current + char, font_name, size) > width:
            lines.append(current)
            current = ""
        current += char
    lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and stringWidth(last + "…", font_name, size) > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last + "…"]
    return size, lines
