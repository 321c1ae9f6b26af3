"""Markdown for course descriptions, rendered safely: raw HTML in the source is shown as text."""
from markupsafe import Markup
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(source: str | None) -> Markup:
    # html=False escapes tags; markdown-it's link validation refuses javascript:, vbscript: and data: URLs,
    # so the rendered text is safe to mark as such (tested with hostile input).
    return Markup(_renderer.render(source or ""))  # nosec B704
