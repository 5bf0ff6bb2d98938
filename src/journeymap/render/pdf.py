"""A journey map as a landscape PDF, made by WeasyPrint from the HTML page (no browser).

Wide maps are split by stage groups: each sheet shows at most ``PageSize.max_stages`` stage
columns (8 on A3, 5 on A4) with the lane headers repeated, and a lane row is never cut across
pages (it moves to the next page whole, with the stage headers repeated above it).
"""

from __future__ import annotations

from typing import Any

from journeymap.map.model import JourneyMap
from journeymap.render.html import render_html


class ExternalResourceError(RuntimeError):
    """The page asked for something outside itself; a rendered map must be self-contained."""


def _data_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads ``data:`` URIs and refuses everything else.

    WeasyPrint logs a refused resource as a warning and renders on without it.
    """
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ExternalResourceError(f"refusing to fetch {url!r} while rendering a map")
            return super().fetch(url, headers)

    return DataOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML page, fetching nothing but ``data:`` URIs."""
    import weasyprint  # imported here: it takes a second to load

    pdf = weasyprint.HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def render_pdf(doc: JourneyMap, *, paper: str = "A3", continuous: bool = False) -> bytes:
    """The map as a landscape PDF on ``paper`` (``'A3'`` or ``'A4'``).

    ``continuous`` gives one very long page instead (see :func:`render_html`), for posters.
    """
    return html_to_pdf(render_html(doc, paper=paper, continuous=continuous))
