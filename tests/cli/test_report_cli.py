"""``journeymap report``: one self-contained HTML page, written whole, errors on stderr."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.map.io import load_map

runner = CliRunner()

EVENTS = """customer_id,timestamp,event,touchpoint,stage
a,2024-01-01T10:00:00Z,visit,home,discovery
a,2024-01-01T10:01:00Z,view_item,product,research
a,2024-01-01T10:05:00Z,purchase,checkout,payment
a,2024-01-10T10:05:00Z,purchase,checkout,payment
b,2024-01-02T10:00:00Z,visit,home,discovery
b,2024-01-02T10:03:00Z,view_item,product,research
c,2024-01-03T10:00:00Z,visit,home,discovery
"""

MAP = """schema_version: 1
id: shop
title: Shop journey
stages:
  - id: discovery
    title: Discovery
  - id: research
    title: Research
  - id: payment
    title: Payment
"""


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def _sections(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_report_is_one_offline_page_with_every_section(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        ["report", str(events), "--steps", "visit,purchase", "--no-segments", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert _sections(page)[:5] == [
        "Funnel",
        "Top paths",
        "Step by step (Sankey)",
        "Transition matrix",
        "Retention",
    ]
    assert "<script src=" not in page  # nothing fetched: Plotly is inline
    # the insight sections the data cannot give say why
    assert "Not shown: the events have no &#39;channel&#39; column." in page
    assert "Not shown: give the journey map (--map) for pain points and conformance." in page
    assert "Satisfaction" not in _sections(page)  # no --surveys
    assert "visit → purchase" in page


def test_map_stages_become_the_funnel_steps(events: Path, tmp_path: Path) -> None:
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP, encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(events), "--map", str(map_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Journey report: Shop journey" in page
    assert "discovery → research → payment by stage" in page


def test_without_steps_the_most_common_events_make_the_funnel(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(events), "-o", str(out)]).exit_code == 0
    assert "visit → view_item → purchase by event" in out.read_text(encoding="utf-8")


def test_errors_exit_1_and_leave_no_file(events: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    bad_map = runner.invoke(
        app, ["report", str(events), "--map", str(tmp_path / "no.yaml"), "-o", str(out)]
    )
    assert bad_map.exit_code == 1
    assert "no.yaml" in bad_map.stderr
    bad_suffix = runner.invoke(app, ["report", str(events), "-o", str(tmp_path / "r.pdf")])
    assert bad_suffix.exit_code == 1
    assert "must end in .html" in bad_suffix.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [events]


INSIGHT_SECTIONS = [
    "Attribution by channel and model",
    "Spend: cost per acquisition and return on ad spend",
    "Moments of truth",
    "Turning points",
    "Pain points",
    "Success points",
    "Designed journey vs actual journey",
    "Segments and persona drafts",
    "Satisfaction",
    "Comments",
    "Reasons for abandoning",
]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Events, survey answers, the map and a spend file made by the journeymap commands."""
    folder = tmp_path_factory.mktemp("report")
    files = {
        "events": folder / "events.parquet",
        "surveys": folder / "surveys.csv",
        "map": folder / "map.yaml",
        "spend": folder / "spend.csv",
    }
    simulate = runner.invoke(
        app,
        [
            "simulate",
            "online-clothing-store",
            "--customers",
            "3000",
            "--seed",
            "5",
            "-o",
            str(files["events"]),
            "--surveys",
            str(files["surveys"]),
        ],
    )
    assert simulate.exit_code == 0, simulate.output
    made = runner.invoke(
        app, ["new", "--template", "online-clothing-store", "-o", str(files["map"])]
    )
    assert made.exit_code == 0, made.output
    files["spend"].write_text("channel,spend\nPaid Social,4000\nEmail,250\n", encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def full_report(simulated: dict[str, Path]) -> str:
    out = simulated["events"].parent / "full.html"
    result = runner.invoke(
        app,
        [
            "report",
            str(simulated["events"]),
            "--map",
            str(simulated["map"]),
            "--surveys",
            str(simulated["surveys"]),
            "--spend",
            str(simulated["spend"]),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_gains_every_insight_section_with_map_surveys_and_spend(full_report: str) -> None:
    assert _sections(full_report)[5:] == INSIGHT_SECTIONS
    assert "Not shown" not in full_report
    assert "<script src=" not in full_report
    charts = full_report.count('class="plotly-graph-div"')
    assert charts == 5 + 8  # every insight section but pain, success points and spend: a chart


def test_report_numbers_are_those_of_the_analytics(
    simulated: dict[str, Path], full_report: str
) -> None:
    from journeymap.analytics.attribution import compare_attribution
    from journeymap.analytics.enrich import map_insights
    from journeymap.analytics.feedback_themes import negative_comments
    from journeymap.analytics.satisfaction import satisfaction
    from journeymap.data.engine import connect
    from journeymap.data.readers import read_events
    from journeymap.data.surveys import read_surveys

    events = read_events(simulated["events"], backend=connect())
    doc = load_map(simulated["map"])
    surveys = read_surveys(simulated["surveys"])
    spend = {"Paid Social": 4000.0, "Email": 250.0}
    attribution = compare_attribution(events, spend=spend)
    markov = attribution.result("markov").credit("Paid Social")
    assert f"<td>{markov.conversions:,.1f}</td>" in full_report
    assert f"CPA {4000 / markov.conversions:,.2f} · ROAS {markov.value / 4000:,.2f}" in full_report
    insights = map_insights(events, doc, surveys=surveys)
    moments = insights.moments
    assert f"({moments.converted:,} of {moments.customers:,} customers convert" in full_report
    top = moments.raising()[0]
    assert f"<td>{top.step}</td><td>{top.reached:,}</td>" in full_report
    share = insights.conformance.share_following or 0
    assert f"{100 * share:.1f}% of {insights.conformance.customers:,} customers follow" in (
        full_report
    )
    for pain in insights.pains.pains:
        assert html.escape(pain.summary, quote=True) in full_report
    overall = satisfaction(surveys).overall
    assert f"Overall CSAT {overall.csat:.0f}% ({overall.csat_responses:,} answers)" in full_report
    said = next(g for g in negative_comments(surveys).groups if g.comments)
    assert f"{said.negative} of {said.comments} (" in full_report


def test_survey_sections_need_surveys_and_pain_points_need_the_map(
    simulated: dict[str, Path],
) -> None:
    out = simulated["events"].parent / "plain.html"
    result = runner.invoke(
        app, ["report", str(simulated["events"]), "--no-segments", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert _sections(page)[5:] == [
        "Attribution by channel and model",
        "Moments of truth",
        "Turning points",
        "Pain points",
        "Success points",
        "Designed journey vs actual journey",
    ]
    assert page.count("Not shown: give the journey map (--map)") == 3


def test_a_bad_spend_file_is_refused_before_anything_is_written(
    simulated: dict[str, Path], tmp_path: Path
) -> None:
    spend = tmp_path / "spend.csv"
    spend.write_text("channel,spend\nEmail,lots\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", str(simulated["events"]), "--spend", str(spend), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "spend.csv" in result.stderr
    assert not out.exists()
