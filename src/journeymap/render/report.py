"""The analytics report as one self-contained HTML page: Plotly's JavaScript inline, no fetches.

The page is a title, a few headline figures and a list of sections; each section has a Plotly
chart and/or a table. What goes into the sections is decided by the caller.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import jinja2
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.offline import get_plotlyjs


@dataclass(frozen=True)
class ReportSection:
    """One part of the report: a heading, a line of explanation, a chart and/or a table."""

    title: str
    summary: str = ""
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    empty_message: str = "No data for this section."


@dataclass(frozen=True)
class ReportPage:
    """The whole page: title, subtitle (e.g. the data source), headline figures and sections."""

    title: str
    subtitle: str = ""
    headlines: Sequence[tuple[str, str]] = ()
    sections: Sequence[ReportSection] = field(default_factory=tuple)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journeymap.render", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html")


def _chart(figure: go.Figure, number: int) -> Markup:
    """The figure as a div and a script; the Plotly library itself is inlined once per page."""
    return Markup(
        figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{number}",
            config={"displaylogo": False, "responsive": True},
        )
    )


def _table(frame: pd.DataFrame) -> Markup:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "" if pd.isna(value) else f"{value:,.4g}"
        if value is None or value is pd.NA:
            return ""
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def render_report(page: ReportPage, *, generated: datetime | None = None) -> str:
    """The page as one HTML document that opens offline."""
    sections = [
        {
            "title": s.title,
            "summary": s.summary,
            "chart": _chart(s.figure, i) if s.figure is not None else None,
            "table": _table(s.table) if s.table is not None and not s.table.empty else None,
            "empty_message": s.empty_message,
        }
        for i, s in enumerate(page.sections, start=1)
    ]
    return _template().render(
        title=page.title,
        subtitle=page.subtitle,
        headlines=page.headlines,
        sections=sections,
        plotly_js=Markup(get_plotlyjs()),
        generated=(generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
    )
