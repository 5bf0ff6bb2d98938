"""The analytics report page: self-contained, escaped, one chart per section."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from journeymap.render.report import ReportPage, ReportSection, render_report


def _page(**kwargs: object) -> str:
    page = ReportPage(
        title="Shop <journey>",
        subtitle="events.parquet",
        headlines=(("customers", "1,234"),),
        sections=(
            ReportSection(title="Chart", summary="a & b", figure=go.Figure(go.Bar(x=[1], y=[2]))),
            ReportSection(
                title="Table", table=pd.DataFrame({"path": ["<a> → b"], "share": [0.123456]})
            ),
            ReportSection(title="Nothing", empty_message="No cohorts yet."),
        ),
    )
    return render_report(page, generated=datetime(2024, 1, 2, 3, 4, tzinfo=UTC), **kwargs)


def test_plotly_library_is_inlined_once_and_nothing_is_fetched() -> None:
    page = _page()
    assert page.count(get_plotlyjs()[:200]) == 1
    assert "<script src=" not in page
    assert page.count('class="plotly-graph-div"') == 1


def test_text_is_escaped_and_numbers_formatted() -> None:
    page = _page()
    assert "<title>Shop &lt;journey&gt;</title>" in page
    assert "a &amp; b" in page
    assert "<td>&lt;a&gt; → b</td>" in page
    assert "<td>0.1235</td>" in page


def test_sections_without_chart_or_table_say_why() -> None:
    page = _page()
    assert '<p class="empty">No cohorts yet.</p>' in page
    assert "2024-01-02 03:04 UTC" in page
    assert '<div class="value">1,234</div>' in page
