"""HTML to PDF with WeasyPrint: the shared page (header, page numbers, a CJK font) around a kind's body.

Every PDF extends templates/reports/pdf/base.html and is styled by static/css/print.css: A4, the
header (jurisdiction, document number, date) and "第 N 页 共 M 页" in the page margins, and
WenQuanYi Micro Hei from Debian (fonts-wqy-microhei), which WeasyPrint embeds subset to the
characters used (harfbuzz-subset), so a report of a few pages stays small.

Templates render in Chinese whatever the requester's language: a 批复 is an official document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

PRINT_CSS = "css/print.css"


def _stylesheet() -> str:
    found = finders.find(PRINT_CSS)
    if not found:  # collected only: read it from STATIC_ROOT
        found = str(Path(settings.STATIC_ROOT) / PRINT_CSS)
    return found


def render_html(template: str, context: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def write_pdf(html: str, target: Path) -> None:
    """Render the HTML to a PDF file at `target` (fonts subset, images and links resolved offline)."""
    from weasyprint import CSS, HTML  # imported when first used: pango loads only in the worker

    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        target, stylesheets=[CSS(filename=_stylesheet())], pdf_variant=None
    )
