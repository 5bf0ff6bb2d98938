"""export_map: the format comes from the suffix; unknown suffixes fail; failures leave no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.map.model import JourneyMap
from journeymap.render import export
from journeymap.render.export import (
    ExportOptions,
    UnsupportedFormatError,
    export_map,
    render_bytes,
)

MAGIC = {
    ".html": b"<!DOCTYPE html>",
    ".md": b"# Demo",
    ".xlsx": b"PK\x03\x04",
    ".csv": b"map_id,map_title,",
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
}


@pytest.mark.parametrize("suffix", list(MAGIC))
def test_export_picks_the_format_from_the_suffix(
    minimal_map: JourneyMap, tmp_path: Path, suffix: str
) -> None:
    path = export_map(minimal_map, tmp_path / "out" / f"map{suffix}")
    assert path == tmp_path / "out" / f"map{suffix}"
    assert path.read_bytes().startswith(MAGIC[suffix])
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_suffix_case_does_not_matter(minimal_map: JourneyMap, tmp_path: Path) -> None:
    assert export_map(minimal_map, tmp_path / "MAP.CSV").read_bytes().startswith(b"map_id,")


@pytest.mark.parametrize(
    ("name", "message"),
    [("map.docx", "file type '.docx'"), ("map", "no file type"), ("map.yaml", "'.yaml'")],
)
def test_unknown_suffix_is_rejected_naming_the_file(
    minimal_map: JourneyMap, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(UnsupportedFormatError, match=message) as info:
        export_map(minimal_map, tmp_path / name)
    assert name in str(info.value) and ".html, .pdf, .png, .md, .xlsx, .csv" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_failed_rendering_leaves_no_file_and_keeps_the_old_one(
    minimal_map: JourneyMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc: JourneyMap, options: ExportOptions) -> bytes:
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(export.EXPORT_FORMATS, ".pdf", broken)
    with pytest.raises(RuntimeError, match="renderer broke"):
        export_map(minimal_map, tmp_path / "new.pdf")
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.pdf"
    old.write_bytes(b"previous export")
    with pytest.raises(RuntimeError):
        export_map(minimal_map, old)
    assert old.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [old]


def test_render_bytes_takes_bare_format_names(minimal_map: JourneyMap) -> None:
    assert render_bytes(minimal_map, "md").startswith(b"# Demo")
    assert render_bytes(minimal_map, ".CSV").startswith(b"map_id,")
    with pytest.raises(UnsupportedFormatError, match="unknown export format 'docx'"):
        render_bytes(minimal_map, "docx")


def test_scale_reaches_the_png(minimal_map: JourneyMap, tmp_path: Path) -> None:
    from PIL import Image

    path = export_map(minimal_map, tmp_path / "m.png", scale=0.5)
    with Image.open(path) as image:
        assert image.width == pytest.approx(420 / 25.4 * 72 * 0.5, abs=1)


def test_poster_reaches_the_png(
    minimal_map: JourneyMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journeymap.render.png as png

    calls: list[dict[str, object]] = []

    def fake_render_png(doc: JourneyMap, scale: float, **options: object) -> bytes:
        calls.append(options)
        return b"png"

    monkeypatch.setattr(png, "render_png", fake_render_png)
    export_map(minimal_map, tmp_path / "m.png", poster=True, paper="A4")
    assert calls == [{"paper": "A4", "poster": True}]


def test_paper_size_reaches_the_html(minimal_map: JourneyMap, tmp_path: Path) -> None:
    html = export_map(minimal_map, tmp_path / "m.html", paper="A4").read_text("utf-8")
    assert "size: 297mm 210mm" in html
    with pytest.raises(ValueError, match="unknown page size 'B5'"):
        export_map(minimal_map, tmp_path / "m2.html", paper="B5")
    assert not (tmp_path / "m2.html").exists()


def test_importing_the_package_loads_no_pdf_png_or_xlsx_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, journeymap.render\n"
        "print(sorted(m for m in ('weasyprint', 'pypdfium2', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
