"""Rendering and export of journey maps: HTML, PDF, PNG, Markdown, XLSX and CSV.

``export_map(doc, "map.pdf")`` picks the format from the suffix and writes atomically; the
functions below return the rendered map for callers that keep it in memory (the web app).
WeasyPrint, pypdfium2 and openpyxl are imported only when a PDF, PNG or XLSX is made.
"""

from journeymap.render.export import export_map, render_bytes
from journeymap.render.html import render_html
from journeymap.render.markdown import render_markdown
from journeymap.render.pdf import render_pdf
from journeymap.render.png import render_png
from journeymap.render.table import render_csv, render_xlsx, write_xlsx

__all__ = [
    "export_map",
    "render_bytes",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_png",
    "render_xlsx",
    "write_xlsx",
]
