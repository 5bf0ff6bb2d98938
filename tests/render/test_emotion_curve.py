"""The emotion curve: points per scored stage, a smooth line that never overshoots, parts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from journeymap.map.model import JourneyMap
from journeymap.render.emotion_curve import (
    PAD_Y,
    CurvePoint,
    _monotone_path,
    curve_points,
    emotion_curve_svg,
    score_color,
)


def _faces(svg: str) -> list[tuple[str, float]]:
    """(stage id, x of the face) for every face in the SVG."""
    root = ET.fromstring(svg)
    faces = []
    for group in root.iter("g"):
        if group.get("class") == "emotion-point":
            circle = group.find("circle")
            assert circle is not None
            faces.append((group.get("data-stage", ""), float(circle.get("cx", "nan"))))
    return faces


def test_curve_points_skip_unscored_stages_and_rejected_items(full_map: JourneyMap) -> None:
    data = full_map.model_dump()
    for cell in data["cells"]:
        if cell["lane"] == "emotions" and cell["stage"] == "use":
            cell["items"][0]["status"] = "rejected"
    doc = JourneyMap.model_validate(data)
    points = curve_points(doc, "emotions")
    assert [(p.index, p.stage_id, p.score) for p in points] == [
        (0, "discover", 1),
        (1, "research", 0),
        (2, "subscribe", -2),
        (3, "deliver", 1),
    ]


def test_svg_is_well_formed_with_one_face_per_point_at_column_centres() -> None:
    points = [CurvePoint(0, "a", 2, "Great"), CurvePoint(2, "c", -2, "Awful & <bad>")]
    svg = emotion_curve_svg(points, stages=range(3), column_width=100, gap=4, height=170)
    assert _faces(str(svg)) == [("a", 50.0), ("c", 258.0)]
    root = ET.fromstring(str(svg))
    assert root.get("width") == str(3 * 100 + 2 * 4)
    assert "Awful &amp; &lt;bad&gt;" in str(svg)


def test_scores_map_to_heights_best_at_the_top() -> None:
    points = [CurvePoint(i, f"s{i}", score, "x") for i, score in enumerate([2, 0, -2])]
    svg = str(emotion_curve_svg(points, stages=range(3), column_width=100, height=170))
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)" r="12"', svg)]
    assert ys == [PAD_Y, 85.0, 170 - PAD_Y]


def test_part_of_a_split_map_draws_faces_only_for_its_stages_but_the_line_runs_on() -> None:
    points = [CurvePoint(i, f"s{i}", (i % 5) - 2, f"p{i}") for i in range(12)]
    svg = str(emotion_curve_svg(points, stages=range(6, 12), column_width=100, uid="part2"))
    assert [stage for stage, _ in _faces(svg)] == [f"s{i}" for i in range(6, 12)]
    assert 'clip-path="url(#part2-clip)"' in svg
    segments = re.findall(
        r'<path d="(M[^"]+)" fill="none" stroke="#[0-9A-F]{6}" stroke-width="3.5"', svg
    )
    assert len(segments) == 11  # the whole curve, clipped to this part
    assert segments[0].startswith("M-550.0 ")  # from stage 0, off to the left


def test_empty_curve_says_there_is_no_data() -> None:
    svg = str(emotion_curve_svg([], stages=range(3), column_width=100, empty_text="No data"))
    assert "No data" in svg and "emotion-point" not in svg and "emotion-line" not in svg


def test_segments_are_coloured_by_their_scores() -> None:
    assert score_color(2) == "#16A34A" and score_color(-2) == "#DC2626"
    assert score_color(0) == "#EAB308"
    assert score_color(-1.5) not in {score_color(-1), score_color(-2)}  # a blend
    points = [CurvePoint(0, "a", 2, "x"), CurvePoint(1, "b", 2, "y"), CurvePoint(2, "c", -2, "z")]
    svg = str(emotion_curve_svg(points, stages=range(3), column_width=100))
    colours = re.findall(r'fill="none" stroke="(#[0-9A-F]{6})" stroke-width="3.5"', svg)
    assert colours == ["#16A34A", "#EAB308"]  # +2 to +2, then +2 to -2 (mean 0)


def test_monotone_path_never_overshoots_its_points() -> None:
    xy = [(0.0, 10.0), (100.0, 90.0), (200.0, 90.0), (300.0, 10.0), (400.0, 50.0)]
    path = _monotone_path(xy)
    segments = re.findall(r"C([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)", path)
    assert len(segments) == len(xy) - 1
    for (_, y0), (x1, y1), segment in zip(xy, xy[1:], segments, strict=False):
        c1y, c2y = float(segment[1]), float(segment[3])
        low, high = min(y0, y1), max(y0, y1)
        assert low - 0.05 <= c1y <= high + 0.05 and low - 0.05 <= c2y <= high + 0.05
        assert (float(segment[4]), float(segment[5])) == (x1, y1)
