"""The report's insight sections: one :class:`ReportSection` per part of an
:class:`~journeymap.analytics.insight_report.InsightReport`, empty ones saying why."""

from __future__ import annotations

import pandas as pd

from journeymap.analytics.attribution.spend import efficiency
from journeymap.analytics.insight_report import InsightReport
from journeymap.analytics.sequences import ARROW
from journeymap.render.report import ReportSection

TOP = 10


def _pct(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{100 * value:.{digits}f}%"


def _pp(value: float | None) -> str:
    return "" if value is None else f"{100 * value:+.1f}"


def _p_value(value: float | None) -> str:
    if value is None:
        return ""
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def insight_sections(report: InsightReport) -> list[ReportSection]:
    """Sections in reading order: attribution, moments of truth, turning points, pain and success
    points, conformance, segments, then the survey sections."""
    notes = report.notes
    return [
        *_attribution(report, notes.get("attribution")),
        _moments(report, notes.get("moments")),
        _turning(report, notes.get("turning")),
        *_pains(report, notes.get("insights")),
        _conformance(report, notes.get("insights")),
        *_segments(report, notes.get("segments")),
        *_surveys(report),
    ]


def _empty(title: str, note: str | None, default: str) -> ReportSection:
    return ReportSection(title=title, empty_message=f"Not shown: {note}." if note else default)


def _attribution(report: InsightReport, note: str | None) -> list[ReportSection]:
    title = "Attribution by channel and model"
    result = report.attribution
    if result is None:
        return [_empty(title, note, "No attribution.")]
    models = [model.model for model in result.results]
    rows = [
        {
            "channel": channel,
            **{
                model.model: f"{model.credit(channel).conversions:,.1f}" for model in result.results
            },
        }
        for channel in result.channels
    ]
    summary = (
        f"Conversions ({result.conversion}) credited to each channel by each model: "
        f"{', '.join(models)}; {result.total_conversions:,.0f} conversions had a channel touch "
        "before them"
    )
    if result.unattributed_conversions:
        summary += f", {result.unattributed_conversions:,.0f} without a touch are not credited"
    sections = [
        ReportSection(
            title=title, summary=summary + ".", figure=result.figure(), table=pd.DataFrame(rows)
        )
    ]
    spend = dict(result.spend)
    if spend:
        by_model = {
            model.model: {e.channel: e for e in efficiency(model, spend)}
            for model in result.results
        }
        cost_rows = []
        for channel in sorted(spend):
            row = {"channel": channel, "spend": _money(spend[channel])}
            for model in models:
                item = by_model[model].get(channel)
                cpa = _money(item.cpa) if item and item.cpa is not None else "–"
                roas = f"{item.roas:,.2f}" if item and item.roas is not None else "–"
                row[model] = f"CPA {cpa} · ROAS {roas}"
            cost_rows.append(row)
        sections.append(
            ReportSection(
                title="Spend: cost per acquisition and return on ad spend",
                summary="Per channel with spend and per model: CPA = spend / attributed "
                "conversions, ROAS = attributed value / spend.",
                table=pd.DataFrame(cost_rows),
            )
        )
    return sections


def _moments(report: InsightReport, note: str | None) -> ReportSection:
    title = "Moments of truth"
    result = report.moments
    if result is None:
        return _empty(title, note, "No moments of truth.")
    shown = [*result.raising(TOP), *result.lowering(TOP)]
    rows = [
        {
            "step": m.step,
            "reached": f"{m.reached:,}",
            "conversion if reached": _pct(m.conversion_reached),
            "conversion if not": _pct(m.conversion_not_reached),
            "lift (pp)": _pp(m.lift),
            "95% interval (pp)": f"{_pp(m.lift_low)} to {_pp(m.lift_high)}",
            "p-value": _p_value(m.p_value),
        }
        for m in shown
    ]
    summary = (
        f"Conversion of customers who reached each {result.by} before converting against those "
        f"who did not ({result.converted:,} of {result.customers:,} customers convert, "
        f"{_pct(result.conversion)}); the table lists the significant steps (p < 0.05, at least "
        f"{result.min_support} customers on each side), those that raise conversion first."
    )
    has_lift = any(m.supported and m.lift is not None for m in result.moments)
    return ReportSection(
        title=title,
        summary=summary,
        figure=result.figure() if has_lift else None,
        table=pd.DataFrame(rows) if rows else None,
        empty_message="No step has enough customers on both sides to compare.",
    )


def _turning(report: InsightReport, note: str | None) -> ReportSection:
    title = "Turning points"
    result = report.turning
    if result is None:
        return _empty(title, note, "No turning points.")
    points = [p for p in result.points if p.reached][:TOP]
    rows = [
        {
            result.by: p.step,
            "reached": f"{p.reached:,}",
            "left": f"{p.left:,}",
            "went on": f"{p.continued:,}",
            "exit probability": _pct(p.exit_probability),
        }
        for p in points
    ]
    return ReportSection(
        title=title,
        summary=f"Where customers decide to leave: per {result.by}, the customers who never "
        "convert and end their journey there (exit probability × volume), most first.",
        figure=result.figure() if points else None,
        table=pd.DataFrame(rows) if rows else None,
    )


def _pains(report: InsightReport, note: str | None) -> list[ReportSection]:
    if report.insights is None:
        return [
            _empty("Pain points", note, "No pain points."),
            _empty("Success points", note, "No success points."),
        ]
    found = report.insights.pains
    pains = pd.DataFrame(
        [
            {
                "severity": p.severity,
                "kind": p.kind.replace("_", " "),
                "where": p.step,
                "stage": p.stage or "",
                "customers": f"{p.customers:,}",
                "evidence": p.summary + (f' — "{p.quote}"' if p.quote else ""),
            }
            for p in found.pains
        ]
    )
    successes = pd.DataFrame(
        [
            {
                "kind": s.kind.replace("_", " "),
                "where": s.step,
                "stage": s.stage or "",
                "customers": f"{s.customers:,}",
                "evidence": s.summary,
            }
            for s in found.successes
        ]
    )
    return [
        ReportSection(
            title="Pain points",
            summary="Detected candidates, highest severity first (3 = the customers affected × "
            "lost conversion are at least 5% of all customers); they go onto the map as "
            "suggestions with journeymap insights.",
            table=pains if not pains.empty else None,
            empty_message="No pain point found.",
        ),
        ReportSection(
            title="Success points",
            summary="Steps with a significant positive conversion lift or high satisfaction.",
            table=successes if not successes.empty else None,
            empty_message="No success point found.",
        ),
    ]


def _conformance(report: InsightReport, note: str | None) -> ReportSection:
    title = "Designed journey vs actual journey"
    if report.insights is None:
        return _empty(title, note, "No conformance.")
    result = report.insights.conformance
    rows = [
        {
            "deviation": d.kind,
            "move": d.label,
            "customers": f"{d.customers:,}",
            "share": _pct(d.customers / result.customers if result.customers else None),
            "times": f"{d.occurrences:,}",
        }
        for d in result.deviations[:TOP]
    ]
    summary = (
        f"{_pct(result.share_following)} of {result.customers:,} customers follow the map's "
        f"stage order ({ARROW.join(result.stage_order)}); {_pct(result.in_order_share)} never "
        f"go back to an earlier stage; {result.backtracking:,} customers backtrack."
    )
    return ReportSection(
        title=title,
        summary=summary,
        figure=result.figure() if result.deviations else None,
        table=pd.DataFrame(rows) if rows else None,
        empty_message="Every customer follows the map's stage order.",
    )


def _segments(report: InsightReport, note: str | None) -> list[ReportSection]:
    title = "Segments and persona drafts"
    result = report.segments
    if result is None:
        return [_empty(title, note, "No segments.")] if note else []
    rows = [
        {
            "persona draft": p.name,
            "customers": f"{p.size:,} ({_pct(p.share, 0)})",
            "conversion": _pct(p.conversion_rate),
            "revenue per customer": _money(p.revenue_per_customer),
            "top channels": ", ".join(c for c, _ in p.top_channels),
            "typical path": ARROW.join(p.typical_path),
        }
        for p in result.profiles
    ]
    how = (
        "the best mean silhouette of k = 2..8"
        if result.k_chosen_by == "silhouette"
        else "the number given"
    )
    section = ReportSection(
        title=title,
        summary=f"{result.k} behavioural segments of {result.customers:,} customers (k by {how}); "
        "journeymap segments -o personas.yaml writes them as data-backed persona drafts.",
        figure=result.figure(),
        table=pd.DataFrame(rows),
    )
    return [section]


def _surveys(report: InsightReport) -> list[ReportSection]:
    """The survey sections, when survey answers were given."""
    notes = report.notes
    parts = ("satisfaction", "themes", "negative_comments", "abandon_reasons")
    if all(getattr(report, p) is None and p not in notes for p in parts):
        return []
    sections = []
    scores = report.satisfaction
    if scores is None:
        sections.append(_empty("Satisfaction", notes.get("satisfaction"), "No survey scores."))
    else:
        rows = [
            {
                scores.by[0] if scores.by else "group": row.key[0] or "(none)",
                "CSAT": _pct(None if row.counts.csat is None else row.counts.csat / 100, 0),
                "CSAT answers": row.counts.csat_responses,
                "NPS": "" if row.counts.nps is None else f"{row.counts.nps:+.0f}",
                "NPS answers": row.counts.nps_responses,
                "CES": "" if row.counts.ces_mean is None else f"{row.counts.ces_mean:.2f}",
            }
            for row in scores.rows
        ]
        overall = scores.overall
        csat = "no CSAT" if overall.csat is None else f"CSAT {overall.csat:.0f}%"
        nps = "no NPS" if overall.nps is None else f"NPS {overall.nps:+.0f}"
        sections.append(
            ReportSection(
                title="Satisfaction",
                summary=f"Overall {csat} ({overall.csat_responses:,} answers), {nps} "
                f"({overall.nps_responses:,} answers). CSAT: % of 4-5 on 1-5; NPS: % 9-10 minus "
                "% 0-6; CES: mean on 1-7.",
                figure=scores.figure() if scores.rows else None,
                table=pd.DataFrame(rows) if rows else None,
            )
        )
    themes, negatives = report.themes, report.negative_comments
    if themes is None or negatives is None:
        note = notes.get("themes") or notes.get("negative_comments")
        sections.append(_empty("Comments", note, "No comments."))
    else:
        said = {g.key: g for g in negatives.groups}
        rows = []
        for group in themes.groups:
            counts = said.get(group.key)
            for theme in group.themes:
                rows.append(
                    {
                        themes.by or "group": group.key or "(all)",
                        "negative comments": ""
                        if counts is None
                        else f"{counts.negative} of {counts.comments} ({_pct(counts.share, 0)})",
                        "theme": ", ".join(theme.terms[:5]),
                        "comments": f"{theme.comments} ({_pct(theme.share, 0)})",
                        "example": theme.examples[0] if theme.examples else "",
                    }
                )
        sections.append(
            ReportSection(
                title="Comments",
                summary="Themes of the free-text comments (TF-IDF + NMF) per "
                f"{themes.by or 'group'}; a comment is negative when its answer has a low score "
                "(CSAT 1-2, NPS 0-6, CES 1-3).",
                figure=themes.figure() if rows else None,
                table=pd.DataFrame(rows) if rows else None,
                empty_message="No comments in the survey answers.",
            )
        )
    reasons = report.abandon_reasons
    if reasons is None:
        sections.append(
            _empty("Reasons for abandoning", notes.get("abandon_reasons"), "No reasons.")
        )
    else:
        frame = reasons.to_frame()
        frame["share"] = [_pct(s, 0) for s in frame["share"]]
        sections.append(
            ReportSection(
                title="Reasons for abandoning",
                summary=f"The most common of {reasons.total:,} reasons given by customers who "
                "did not buy.",
                figure=reasons.figure() if reasons.reasons else None,
                table=frame if reasons.reasons else None,
                empty_message="No reason for abandoning in the survey answers.",
            )
        )
    return sections
