"""Export a map to a file whose suffix names the format: .html .pdf .png .md .xlsx .csv.

The whole file is rendered in memory first and then written atomically, so a failed export
leaves no file behind (and an existing file as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeymap.atomic import atomic_write_bytes
from journeymap.map.model import JourneyMap


class UnsupportedFormatError(ValueError):
    """An export path whose suffix is not one of :data:`EXPORT_FORMATS`."""


@dataclass(frozen=True)
class ExportOptions:
    """Settings of the picture formats: ``paper`` for HTML/PDF/PNG; ``scale`` and ``poster``
    for PNG.

    ``scale`` is pixels per PDF point (1.0 = 72 DPI, the default 2.0 = 144 DPI); ``poster``
    makes one continuous picture instead of the PDF's pages stacked.
    """

    paper: str = "A3"
    scale: float = 2.0
    poster: bool = False


def _html(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.html import render_html

    return render_html(doc, paper=options.paper).encode("utf-8")


def _pdf(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.pdf import render_pdf

    return render_pdf(doc, paper=options.paper)


def _png(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.png import render_png

    return render_png(doc, options.scale, paper=options.paper, poster=options.poster)


def _markdown(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.markdown import render_markdown

    return render_markdown(doc).encode("utf-8")


def _xlsx(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.table import render_xlsx

    return render_xlsx(doc)


def _csv(doc: JourneyMap, options: ExportOptions) -> bytes:
    from journeymap.render.table import render_csv

    return render_csv(doc).encode("utf-8")


Renderer = Callable[[JourneyMap, ExportOptions], bytes]

EXPORT_FORMATS: dict[str, Renderer] = {
    ".html": _html,
    ".pdf": _pdf,
    ".png": _png,
    ".md": _markdown,
    ".xlsx": _xlsx,
    ".csv": _csv,
}


def format_of(path: str | Path) -> str:
    """The export suffix of ``path`` (``'.pdf'``...), or UnsupportedFormatError naming the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        known = ", ".join(EXPORT_FORMATS)
        found = f"file type {suffix!r}" if suffix else "no file type"
        raise UnsupportedFormatError(f"cannot export to {str(path)!r}: {found}; use one of {known}")
    return suffix


def render_bytes(doc: JourneyMap, fmt: str, options: ExportOptions | None = None) -> bytes:
    """The map rendered as ``fmt``: a suffix (``'.pdf'``) or a bare name (``'pdf'``)."""
    suffix = fmt.lower() if fmt.startswith(".") else f".{fmt.lower()}"
    if suffix not in EXPORT_FORMATS:
        known = ", ".join(s.lstrip(".") for s in EXPORT_FORMATS)
        raise UnsupportedFormatError(f"unknown export format {fmt!r}; use one of {known}")
    return EXPORT_FORMATS[suffix](doc, options or ExportOptions())


def export_map(
    doc: JourneyMap,
    path: str | Path,
    *,
    paper: str = "A3",
    scale: float = 2.0,
    poster: bool = False,
) -> Path:
    """Render ``doc`` in the format named by ``path``'s suffix and write it there atomically.

    ``paper`` (``'A3'`` or ``'A4'``, landscape) applies to HTML, PDF and PNG; ``scale`` (pixels
    per PDF point) and ``poster`` (one continuous picture) to PNG.
    """
    path = Path(path)
    options = ExportOptions(paper=paper, scale=scale, poster=poster)
    data = render_bytes(doc, format_of(path), options)
    atomic_write_bytes(path, data)
    return path
