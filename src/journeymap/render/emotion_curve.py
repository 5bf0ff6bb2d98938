"""The emotions lane as an SVG curve: one face per scored stage, a smooth line across the stages."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from journeymap.map.model import EmotionItem, ItemStatus, JourneyMap

SCORE_COLORS: dict[int, str] = {
    -2: "#DC2626",
    -1: "#F97316",
    0: "#EAB308",
    1: "#84CC16",
    2: "#16A34A",
}
PAD_Y = 26


@dataclass(frozen=True)
class CurvePoint:
    """The score of one stage: its position among all stages, the score and its label."""

    index: int
    stage_id: str
    score: int
    label: str


def stage_emotions(doc: JourneyMap, lane_id: str) -> list[list[EmotionItem]]:
    """The emotion items of ``lane_id`` per stage, in stage order, leaving out rejected ones."""
    return [
        [
            item
            for item in doc.items_at(lane_id, stage.id)
            if isinstance(item, EmotionItem) and item.status != ItemStatus.REJECTED
        ]
        for stage in doc.stages
    ]


def curve_points(doc: JourneyMap, lane_id: str) -> list[CurvePoint]:
    """One point per stage that has a score in ``lane_id`` (its first emotion item)."""
    points = []
    per_stage = zip(doc.stages, stage_emotions(doc, lane_id), strict=True)
    for index, (stage, items) in enumerate(per_stage):
        if items:
            points.append(CurvePoint(index, stage.id, items[0].score, items[0].text))
    return points


def _y(score: float, height: int) -> float:
    return PAD_Y + (2 - score) * (height - 2 * PAD_Y) / 4


def _monotone_segments(xy: list[tuple[float, float]]) -> list[str]:
    """Cubic Bezier segments (``C...``) through ``xy`` (x increasing) that never overshoot.

    Fritsch-Carlson monotone cubic interpolation; segment ``k`` runs from point ``k`` to
    point ``k + 1``.
    """
    n = len(xy)
    if n < 2:
        return []
    secants = [(xy[k + 1][1] - xy[k][1]) / (xy[k + 1][0] - xy[k][0]) for k in range(n - 1)]
    tangents = (
        [secants[0]]
        + [
            0.0 if secants[k - 1] * secants[k] <= 0 else (secants[k - 1] + secants[k]) / 2
            for k in range(1, n - 1)
        ]
        + [secants[-1]]
    )
    for k, secant in enumerate(secants):
        if secant == 0:
            tangents[k] = tangents[k + 1] = 0.0
            continue
        a, b = tangents[k] / secant, tangents[k + 1] / secant
        norm = a * a + b * b
        if norm > 9:
            scale = 3 / norm**0.5
            tangents[k], tangents[k + 1] = scale * a * secant, scale * b * secant
    segments = []
    for k in range(n - 1):
        (x0, y0), (x1, y1) = xy[k], xy[k + 1]
        dx = (x1 - x0) / 3
        segments.append(
            f"C{x0 + dx:.1f} {y0 + tangents[k] * dx:.1f} {x1 - dx:.1f} "
            f"{y1 - tangents[k + 1] * dx:.1f} {x1:.1f} {y1:.1f}"
        )
    return segments


def _monotone_path(xy: list[tuple[float, float]]) -> str:
    """The whole smooth path through ``xy`` (see :func:`_monotone_segments`)."""
    if not xy:
        return ""
    return f"M{xy[0][0]:.1f} {xy[0][1]:.1f}" + "".join(_monotone_segments(xy))


def score_color(score: float) -> str:
    """The colour of a score, blended between the colours of the whole scores around it."""
    low = max(-2, min(1, int(score // 1)))
    share = min(1.0, max(0.0, score - low))
    a, b = SCORE_COLORS[low], SCORE_COLORS[low + 1]
    channels = [
        round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02X}" for c in channels)


def _face(x: float, y: float, score: int, stage_id: str, label: str) -> str:
    color = SCORE_COLORS[score]
    mouth_y = y + 4.2
    bend = score * 1.9
    sign = "+" if score > 0 else ""
    return (
        f'<g class="emotion-point" data-stage="{escape(stage_id)}" data-score="{score}">'
        f"<title>{escape(label)} ({sign}{score})</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="15" fill="#FFFFFF" opacity="0.9"/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="12" fill="{color}" stroke="#FFFFFF" '
        f'stroke-width="2.5"/>'
        f'<circle cx="{x - 4:.1f}" cy="{y - 3:.1f}" r="1.6" fill="#FFFFFF"/>'
        f'<circle cx="{x + 4:.1f}" cy="{y - 3:.1f}" r="1.6" fill="#FFFFFF"/>'
        f'<path d="M{x - 5:.1f} {mouth_y:.1f}Q{x:.1f} {mouth_y + bend:.1f} {x + 5:.1f} '
        f'{mouth_y:.1f}" fill="none" stroke="#FFFFFF" stroke-width="1.8" '
        f'stroke-linecap="round"/>'
        f'<rect x="{x + 9:.1f}" y="{y - 23:.1f}" width="22" height="14" rx="7" '
        f'fill="#FFFFFF" stroke="{color}" stroke-width="1"/>'
        f'<text x="{x + 20:.1f}" y="{y - 12.5:.1f}" font-size="9.5" font-weight="bold" '
        f'text-anchor="middle" fill="{color}">{sign}{score}</text>'
        "</g>"
    )


def _gradient(gradient_id: str, height: int, stops: str) -> str:
    """A vertical gradient running from score +2 (top) to score -2 (bottom)."""
    return (
        f'<linearGradient id="{gradient_id}" gradientUnits="userSpaceOnUse" x1="0" '
        f'y1="{_y(2, height)}" x2="0" y2="{_y(-2, height)}">{stops}</linearGradient>'
    )


def _defs(uid: str, width: int, height: int) -> str:
    area_stops = (
        '<stop offset="0" stop-color="#22C55E" stop-opacity="0.28"/>'
        '<stop offset="0.5" stop-color="#FFFFFF" stop-opacity="0"/>'
        '<stop offset="1" stop-color="#EF4444" stop-opacity="0.28"/>'
    )
    clip = f'<rect x="0" y="0" width="{width}" height="{height}"/>'
    return (
        f"<defs>{_gradient(f'{uid}-area', height, area_stops)}"
        f'<clipPath id="{uid}-clip">{clip}</clipPath></defs>'
    )


def emotion_curve_svg(
    points: list[CurvePoint],
    *,
    stages: range,
    column_width: int,
    gap: int = 0,
    height: int = 170,
    uid: str = "emo",
    empty_text: str = "",
    title: str = "",
) -> Markup:
    """The curve for the stage columns ``stages`` (a part of the map), ``column_width`` px each.

    Columns are ``gap`` px apart, as in the table the SVG is drawn into.

    ``points`` are those of the whole map: the line runs on to the neighbouring parts' points
    and is clipped at the edges, so a map split over pages reads as one curve. Only the points
    of ``stages`` get a face. ``uid`` keeps the SVG ids unique within one HTML page; ``title``
    (the lane's) starts the text that describes the curve to screen readers.
    """
    pitch = column_width + gap
    width = max(1, len(stages)) * pitch - gap
    mid = _y(0, height)

    def x_of(index: int) -> float:
        return (index - stages.start) * pitch + column_width / 2

    xy = [(x_of(p.index), _y(p.score, height)) for p in points]
    spoken = "; ".join(f"{p.label} ({p.score:+d})" for p in points if p.index in stages)
    description = escape(": ".join(part for part in (title, spoken or empty_text) if part))
    out = [
        f'<svg class="emotion-curve" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{description}">',
        f"<title>{description}</title>",
        _defs(uid, width, height),
        f'<rect x="0" y="0" width="{width}" height="{mid:.1f}" fill="#F3FBF5"/>',
        f'<rect x="0" y="{mid:.1f}" width="{width}" height="{height - mid:.1f}" fill="#FEF5F5"/>',
    ]
    for score in (2, 1, -1, -2):
        y = _y(score, height)
        out.append(f'<path d="M0 {y:.1f}H{width}" stroke="#E6EAF0" stroke-width="1"/>')
    out.append(
        f'<path d="M0 {mid:.1f}H{width}" stroke="#B8C2D0" stroke-width="1" stroke-dasharray="4 4"/>'
    )
    for k in range(1, len(stages)):
        x = k * pitch - gap / 2
        out.append(f'<path d="M{x:g} 0V{height}" stroke="#E6EAF0" stroke-width="1"/>')
    if len(xy) >= 2:
        line = _monotone_path(xy)
        area = f"{line}L{xy[-1][0]:.1f} {mid:.1f}L{xy[0][0]:.1f} {mid:.1f}Z"
        out.append(f'<g clip-path="url(#{uid}-clip)">')
        out.append(f'<path d="{area}" fill="url(#{uid}-area)" stroke="none"/>')
        # one solid path per segment, coloured by its scores: WeasyPrint draws gradient
        # strokes as hairlines, and the faces hide the joins
        out.append('<g class="emotion-line">')
        for k, segment in enumerate(_monotone_segments(xy)):
            color = score_color((points[k].score + points[k + 1].score) / 2)
            out.append(
                f'<path d="M{xy[k][0]:.1f} {xy[k][1]:.1f}{segment}" fill="none" '
                f'stroke="{color}" stroke-width="3.5" stroke-linecap="round"/>'
            )
        out.append("</g></g>")
    for point, (x, y) in zip(points, xy, strict=True):
        if point.index in stages:
            out.append(_face(x, y, point.score, point.stage_id, point.label))
    if not any(p.index in stages for p in points) and empty_text:
        out.append(
            f'<text x="{width / 2:.1f}" y="{mid - 8:.1f}" font-size="12" fill="#94A3B8" '
            f'text-anchor="middle">{escape(empty_text)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
