"""``journeymap survey``: CSAT, NPS and CES, comment themes, abandonment reasons, emotion curve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from journeymap.analytics.feedback_themes import (
    AbandonReasonsResult,
    FeedbackThemesResult,
    abandonment_reasons,
    feedback_themes,
)
from journeymap.analytics.satisfaction import (
    SatisfactionResult,
    StageEmotion,
    emotion_curve_from_surveys,
    satisfaction,
)
from journeymap.cli.output import JsonFlag, fail, out, print_json, require_choice
from journeymap.data.surveys import SURVEY_FORMATS, SurveyError, read_surveys
from journeymap.map.io import load_map
from journeymap.map.validation import MapValidationError

BY_COLUMNS = ("touchpoint", "stage", "persona", "segment")


def parse_survey_columns(values: list[str]) -> dict[str, str]:
    """``QUESTION=ROLE`` options as a mapping (split at the last ``=``: questions may hold one)."""
    mapping: dict[str, str] = {}
    for value in values:
        source, sep, role = value.rpartition("=")
        if not sep or not source.strip() or not role.strip():
            fail(f"--columns: {value!r}: expected SOURCE_COLUMN=ROLE, e.g. 'How satisfied...=csat'")
        mapping[source.strip()] = role.strip()
    return mapping


def survey_command(
    surveys: Annotated[Path, typer.Argument(help="Survey export (CSV).")],
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"One of {', '.join(SURVEY_FORMATS)}; default: detected."),
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            help="Map a column to a role, repeatable: 'Email=customer_id', "
            "'How satisfied with delivery?=csat@tp-delivery'.",
        ),
    ] = None,
    touchpoint: Annotated[
        str | None, typer.Option("--touchpoint", help="Touchpoint of every response.")
    ] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Stage of every response.")] = None,
    day_first: Annotated[
        bool, typer.Option("--day-first", help="Read 03/04/2024 as 3 April.")
    ] = False,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Map whose emotion curve to derive per stage.")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help=f"Group scores by {', '.join(BY_COLUMNS)}.")
    ] = "touchpoint",
    period: Annotated[
        str | None, typer.Option("--period", help="Also split by day, week, month, quarter, year.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show satisfaction scores, comment themes and top abandonment reasons of a survey export."""
    require_choice("--by", by, BY_COLUMNS)
    if not surveys.is_file():
        fail(f"{surveys}: no such file")
    doc = None
    if map_file is not None:
        try:
            doc = load_map(map_file)
        except (MapValidationError, OSError, ValueError) as exc:
            fail(str(exc))
    try:
        responses = read_surveys(
            surveys,
            format=format,
            columns=parse_survey_columns(columns or []),
            touchpoint=touchpoint,
            stage=stage,
            day_first=day_first,
        )
        scores = satisfaction(responses, by=by, period=period)  # type: ignore[arg-type]
        themes = feedback_themes(responses, by=by)
        reasons = abandonment_reasons(responses)
        curve = None
        if doc is not None:
            # Stage answers first; else touchpoints placed at their stages by the map.
            curve = emotion_curve_from_surveys(doc, satisfaction(responses, by="stage"))
            if not curve:
                curve = emotion_curve_from_surveys(doc, satisfaction(responses, by="touchpoint"))
    except (SurveyError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        data: dict[str, Any] = {
            "satisfaction": scores.to_dict(),
            "themes": themes.to_dict(),
            "abandon_reasons": reasons.to_dict(),
        }
        if curve is not None:
            data["emotion_curve"] = [point.to_dict() for point in curve]
        print_json(data)
        return
    out.print(_scores_table(scores))
    if themes.groups:
        out.print(_themes_table(themes))
    if reasons.reasons:
        out.print(_reasons_table(reasons))
    if curve is not None and doc is not None:
        out.print(_curve_table(curve, [s.id for s in doc.stages]))


def _pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.0f}" if signed else f"{value:.0f}%"


def _scores_table(result: SatisfactionResult) -> Table:
    table = Table(
        *result.by,
        *(["period"] if result.period else []),
        "CSAT",
        "n",
        "NPS",
        "promoters/passives/detractors",
        "CES mean",
        "CES easy",
        "n",
        title="Satisfaction",
        caption="CSAT: % of 4-5 on 1-5; NPS: % 9-10 minus % 0-6; CES: 1-7, easy = 5-7",
    )
    rows = [(row.key, row.period, row.counts) for row in result.rows]
    rows.append((tuple("(all)" for _ in result.by), None, result.overall))
    for key, period, c in rows:
        table.add_row(
            *(str(k) if k is not None else "(none)" for k in key),
            *([period.isoformat() if period else ""] if result.period else []),
            _pct(c.csat),
            str(c.csat_responses) if c.csat_responses else "",
            _pct(c.nps, signed=True),
            f"{c.promoters}/{c.passives}/{c.detractors}" if c.nps_responses else "",
            f"{c.ces_mean:.2f}" if c.ces_mean is not None else "",
            _pct(c.ces_easy_share),
            str(c.ces_responses) if c.ces_responses else "",
        )
    return table


def _themes_table(result: FeedbackThemesResult) -> Table:
    table = Table(
        result.by or "group", "comments", "theme (top terms)", "example", title="Comment themes"
    )
    for group in result.groups:
        for theme in group.themes:
            table.add_row(
                group.key or "(none)",
                f"{theme.comments} ({theme.share:.0%})",
                ", ".join(theme.terms[:5]),
                theme.examples[0] if theme.examples else "",
            )
    return table


def _reasons_table(result: AbandonReasonsResult) -> Table:
    table = Table(
        "#", "reason", "count", "share", title=f"Top reasons for abandoning ({result.total} given)"
    )
    for rank, reason in enumerate(result.reasons, start=1):
        table.add_row(str(rank), reason.reason, str(reason.count), f"{reason.share:.0%}")
    return table


def _curve_table(curve: list[StageEmotion], stages: list[str]) -> Table:
    table = Table(
        "stage",
        "score",
        "sentiment index",
        "evidence",
        title="Emotion curve from surveys (suggested)",
        caption="index >= 0.6: +2; >= 0.2: +1; > -0.2: 0; > -0.6: -1; else -2",
    )
    by_stage = {point.stage: point for point in curve}
    for stage in stages:
        point = by_stage.get(stage)
        if point is None:
            table.add_row(stage, "", "", "too few answers")
            continue
        summary = point.item.evidence[0].summary or ""
        table.add_row(
            stage,
            f"{point.item.score:+d}" if point.item.score else "0",
            f"{point.index:+.2f}",
            summary,
        )
    return table


def register(app: typer.Typer) -> None:
    """Add the ``survey`` command to ``app``."""
    app.command("survey")(survey_command)
