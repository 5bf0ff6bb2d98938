"""The PNG: rasterized from the PDF, pages stacked, non-blank, of the sheets' aspect."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image, ImageOps, ImageStat

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


def test_poster_is_one_continuous_picture_cut_below_the_map(
    wide_map: JourneyMap, wide_pdf: bytes
) -> None:
    paged = Image.open(io.BytesIO(pdf_to_png(wide_pdf, scale=0.5)))
    poster = Image.open(io.BytesIO(render_png(wide_map, 0.5, poster=True)))
    assert poster.width == paged.width
    assert poster.height < paged.height  # no page margins, footers or blank page ends
    gray = poster.convert("L")
    last_row = gray.crop((0, gray.height - 1, gray.width, gray.height))
    assert ImageStat.Stat(last_row).extrema[0][0] > 250  # cut in the white below the map
    content = ImageOps.invert(gray).point(lambda v: 255 if v > 6 else 0).getbbox()
    assert content is not None
    assert gray.height - content[3] == pytest.approx(content[0], abs=3)  # margin as on the left
