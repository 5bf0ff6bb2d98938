"""The PNG: rasterized from the PDF, pages stacked, non-blank, of the sheets' aspect."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image, ImageStat

from journeymap.map.model import JourneyMap
from journeymap.render.png import pdf_to_png, render_png


def test_png_is_the_pages_stacked_with_the_sheets_aspect(full_pdf: bytes) -> None:
    png = pdf_to_png(full_pdf, scale=0.5)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    pages = pypdf.PdfReader(io.BytesIO(full_pdf)).pages
    width = float(pages[0].mediabox.width)
    height = sum(float(page.mediabox.height) for page in pages)
    assert image.width == pytest.approx(width * 0.5, abs=1)
    assert image.width / image.height == pytest.approx(width / height, rel=0.01)


def test_png_is_not_blank(full_pdf: bytes) -> None:
    image = Image.open(io.BytesIO(pdf_to_png(full_pdf, scale=0.5))).convert("L")
    assert ImageStat.Stat(image).var[0] > 100
    colours = Image.open(io.BytesIO(pdf_to_png(full_pdf, scale=0.5))).getcolors(1 << 16)
    assert colours is None or len(colours) > 50  # more than a few flat colours


def test_scale_sets_the_resolution(minimal_map: JourneyMap) -> None:
    png = render_png(minimal_map, scale=1.0)
    image = Image.open(io.BytesIO(png))
    assert image.width == pytest.approx(420 / 25.4 * 72, abs=1)  # A3 landscape at 72 DPI
    assert image.width > image.height


def test_scale_must_be_positive(full_pdf: bytes) -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        pdf_to_png(full_pdf, scale=0)
