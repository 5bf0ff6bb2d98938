"""Map downloads: YAML and JSON from the map I/O; HTML, PDF, PNG, XLSX, Markdown and CSV from
the renderer (:func:`journeymap.render.export.render_bytes`), the same code as the CLI's.

A stored map is exported from :func:`map_document` (the download, a background export job),
which resolves the map's library personas for the rendered formats."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from journeymap.map.io import dump_json, dump_yaml
from journeymap.map.model import JourneyMap
from journeymap.render.export import render_bytes
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of
from journeymap.web.personas.selectors import resolved_document

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


def map_document(journey_map: Map, fmt: str) -> JourneyMap:
    """The document a download of ``journey_map`` in ``fmt`` is made from: as stored for YAML
    and JSON (library persona references kept, so a re-import links them again), with the
    library personas resolved for the rendered formats."""
    return document_of(journey_map) if fmt in ("yaml", "json") else resolved_document(journey_map)


def map_export_response(journey_map: Map, fmt: str) -> HttpResponse:
    """A download of a stored map in ``fmt``; 404 for an unknown format."""
    return export_response(map_document(journey_map, fmt), fmt)
