"""A journey map as one PNG picture, rasterized from its PDF with pypdfium2 (no browser).

A map that takes several PDF pages becomes one tall picture: the pages stacked top to bottom
in order, each keeping its margins, so the picture reads like the printed sheets laid out.
"""

from __future__ import annotations

import io

from journeymap.map.model import JourneyMap
from journeymap.render.pdf import render_pdf

DEFAULT_SCALE = 2.0  # pixels per PDF point: 144 DPI, an A3 sheet is 2381 px wide


def pdf_to_png(pdf: bytes, *, scale: float = DEFAULT_SCALE) -> bytes:
    """Every page of ``pdf`` rendered at ``scale`` (1.0 = 72 DPI) and stacked into one PNG."""
    import pypdfium2 as pdfium
    from PIL import Image

    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [page.render(scale=scale).to_pil().convert("RGB") for page in document]
    finally:
        document.close()
    if not pages:
        raise ValueError("the PDF has no pages")
    width = max(page.width for page in pages)
    sheet = Image.new("RGB", (width, sum(page.height for page in pages)), "white")
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_png(doc: JourneyMap, scale: float = DEFAULT_SCALE, *, paper: str = "A3") -> bytes:
    """The map as one PNG: its PDF pages stacked, at ``scale`` pixels per point (2.0 = 144 DPI)."""
    return pdf_to_png(render_pdf(doc, paper=paper), scale=scale)
