"""A journey map as one PNG picture, rasterized from its PDF with pypdfium2 (no browser).

By default a map that takes several PDF pages becomes one tall picture: the pages stacked top
to bottom in order, each keeping its margins and footer, as the printed sheets laid out.
``poster=True`` prints the map on one long sheet instead (no page breaks, no footers) and
cuts the picture just below the content: one continuous image for slides and wikis.
"""

from __future__ import annotations

import io
from typing import Any

from journeymap.map.model import JourneyMap
from journeymap.render.pdf import render_pdf

DEFAULT_SCALE = 2.0  # pixels per PDF point: 144 DPI, an A3 sheet is 2381 px wide
_PROBE_SCALE = 0.25  # a cheap low-resolution look to find where a long page's content ends


def _trimmed_height_pt(page: Any) -> float:
    """Where to cut a long page: below its content by as much white as is left of it."""
    from PIL import ImageOps

    height = float(page.get_height())
    probe = page.render(scale=_PROBE_SCALE).to_pil().convert("L")
    box = ImageOps.invert(probe).point(lambda v: 255 if v > 6 else 0).getbbox()
    if box is None:
        return height
    left, bottom = box[0] / _PROBE_SCALE, (box[3] + 1) / _PROBE_SCALE
    return min(height, bottom + left)


def pdf_to_png(pdf: bytes, *, scale: float = DEFAULT_SCALE, trim: bool = False) -> bytes:
    """Every page of ``pdf`` rendered at ``scale`` (1.0 = 72 DPI) and stacked into one PNG.

    ``trim`` cuts each page just below its content (keeping a margin as wide as the left one).
    """
    import pypdfium2 as pdfium
    from PIL import Image

    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            cut = float(page.get_height()) - _trimmed_height_pt(page) if trim else 0.0
            crop = (0.0, cut, 0.0, 0.0)  # left, bottom, right, top, in points
            pages.append(page.render(scale=scale, crop=crop).to_pil().convert("RGB"))
    finally:
        document.close()
    if not pages:
        raise ValueError("the PDF has no pages")
    width = max(page.width for page in pages)
    sheet = Image.new("RGB", (width, sum(page.height for page in pages)), "white")
    top = 0
    for image in pages:
        sheet.paste(image, (0, top))
        top += image.height
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_png(
    doc: JourneyMap, scale: float = DEFAULT_SCALE, *, paper: str = "A3", poster: bool = False
) -> bytes:
    """The map as one PNG at ``scale`` pixels per point (2.0 = 144 DPI).

    By default the PDF's pages are stacked; ``poster`` gives one continuous picture as wide
    as a ``paper`` sheet and as long as the map.
    """
    if poster:
        return pdf_to_png(render_pdf(doc, paper=paper, continuous=True), scale=scale, trim=True)
    return pdf_to_png(render_pdf(doc, paper=paper), scale=scale)
