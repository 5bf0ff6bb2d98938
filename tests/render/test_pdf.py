"""The PDF: landscape sheets with every stage title, wide maps split by stages, nothing fetched."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest

from journeymap.map.model import JourneyMap
from journeymap.render import pdf as pdf_module
from journeymap.render.page import PAGE_SIZES

MM_TO_PT = 72 / 25.4


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (pypdfium2) with runs of white space made single spaces."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [re.sub(r"\s+", " ", page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def test_pdf_text_contains_every_stage_title(full_map: JourneyMap, full_pdf: bytes) -> None:
    text = " ".join(page_texts(full_pdf))
    for stage in full_map.stages:
        assert stage.title in text
    assert full_map.title in text


def test_pdf_pages_are_landscape_a3(full_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(full_pdf))
    a3 = PAGE_SIZES["A3"]
    assert len(reader.pages) >= 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert width == pytest.approx(a3.width_mm * MM_TO_PT, abs=1)
        assert height == pytest.approx(a3.height_mm * MM_TO_PT, abs=1)


def test_wide_map_is_split_by_stage_groups_without_cutting_cards(
    wide_map: JourneyMap, wide_pdf: bytes
) -> None:
    texts = page_texts(wide_pdf)
    first = {s.title for s in wide_map.stages[:6]}
    second = {s.title for s in wide_map.stages[6:]}
    assert len(texts) >= 2
    assert "stages 1–6 of 12" in texts[0].lower()  # the label is set in capitals
    assert any("stages 7–12 of 12" in text.lower() for text in texts)
    for text in texts:  # each sheet shows the stages of one group only
        shown = {title for title in first | second if re.search(rf"\b{title}\b", text)}
        assert shown in (first, second), shown
    for _, item in wide_map.iter_items():  # every card's text sits whole on one page
        if item.kind != "emotion":
            assert any(item.text in text for text in texts), item.text


def test_polish_and_russian_text_comes_through(
    polish_map: JourneyMap, russian_map: JourneyMap
) -> None:
    polish = " ".join(page_texts(pdf_module.render_pdf(polish_map)))
    assert "Płatność" in polish and "Żółty przycisk" in polish and "cel mapy" in polish.lower()
    russian = " ".join(page_texts(pdf_module.render_pdf(russian_map)))
    assert "Поиск товара" in russian and "Ошибка при оплате картой" in russian


def test_renderer_fetches_data_uris_only(
    monkeypatch: pytest.MonkeyPatch, pixel_png_uri: str
) -> None:
    from weasyprint.urls import URLFetcher

    fetched: list[str] = []
    original = URLFetcher.fetch

    def recording_fetch(self: URLFetcher, url: str, headers: object = None) -> object:
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", recording_fetch)
    pixel = pixel_png_uri
    html = (
        '<html><body><img src="http://127.0.0.1:9/x.png"><img src="https://example.com/y.png">'
        f'<img src="{pixel}"><p>hello</p></body></html>'
    )
    pdf = pdf_module.html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert fetched == [pixel]


def _outline_titles(pdf: bytes) -> list[str]:
    titles: list[str] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(pypdf.PdfReader(io.BytesIO(pdf)).outline)
    return titles


def test_pdf_bookmarks_lead_to_the_map_its_personas_and_stage_groups(
    full_pdf: bytes, wide_pdf: bytes
) -> None:
    assert _outline_titles(full_pdf) == [
        "Coffee subscription — first order",
        "Marta Kowalska",
        "Budget student",
    ]
    assert _outline_titles(wide_pdf) == ["Twelve stages", "Stages 1–6 of 12", "Stages 7–12 of 12"]
