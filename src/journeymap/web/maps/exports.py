"""Map downloads: YAML and JSON from the map I/O; HTML, PDF, PNG, XLSX, Markdown and CSV from
the renderer (:func:`journeymap.render.export.render_bytes`), the same code as the CLI's."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from journeymap.map.io import dump_json, dump_yaml
from journeymap.map.model import JourneyMap
from journeymap.render.export import render_bytes

CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
EXPORT_FORMATS = tuple(CONTENT_TYPES)


def export_bytes(doc: JourneyMap, fmt: str) -> bytes:
    """The map in ``fmt`` (one of :data:`EXPORT_FORMATS`) as bytes."""
    if fmt == "yaml":
        return dump_yaml(doc).encode("utf-8")
    if fmt == "json":
        return dump_json(doc).encode("utf-8")
    return render_bytes(doc, fmt)


def export_response(doc: JourneyMap, fmt: str, *, inline: bool = False) -> HttpResponse:
    """A download of the map in ``fmt``; 404 for an unknown format."""
    if fmt not in CONTENT_TYPES:
        raise Http404(f"unknown export format {fmt!r}")
    response = HttpResponse(export_bytes(doc, fmt), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.id}.{fmt}"'
    return response
