"""A journey map as one self-contained HTML page: inline CSS and SVG, nothing fetched.

The page is laid out for a landscape sheet (A3 by default): stage columns have a fixed width in
CSS pixels, and a map with more stages than a sheet holds is split into parts of consecutive
stages, each a table of its own with the lane headers repeated. The PDF is this same page.
Rejected items are left out of the picture (the XLSX/CSV exports keep them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from journeymap.map.model import (
    EmotionItem,
    Item,
    ItemStatus,
    JourneyMap,
    Lane,
    LaneKind,
    MetricItem,
    Persona,
    PersonaRef,
    Stage,
)
from journeymap.render.emotion_curve import curve_points, emotion_curve_svg, stage_emotions
from journeymap.render.icons import channel_icon, evidence_icon, icon
from journeymap.render.item_text import metric_state
from journeymap.render.labels import Labels
from journeymap.render.page import PageSize, page_size, stage_parts


@dataclass(frozen=True)
class LaneStyle:
    """How a lane kind looks: its icon, a strong accent colour and a soft background."""

    icon: str
    accent: str
    soft: str

    @property
    def band(self) -> str:
        """The lane's row background: its soft colour, halfway to white."""
        rgb = [int(self.soft[i : i + 2], 16) for i in (1, 3, 5)]
        return "#" + "".join(f"{(c + 255) // 2:02X}" for c in rgb)


LANE_STYLES: dict[LaneKind, LaneStyle] = {
    LaneKind.GOALS: LaneStyle("flag", "#4F46E5", "#EEF0FF"),
    LaneKind.ACTIONS: LaneStyle("footsteps", "#475569", "#F1F4F8"),
    LaneKind.TOUCHPOINTS: LaneStyle("web", "#0F766E", "#E3F5F2"),
    LaneKind.CHANNELS: LaneStyle("layers", "#0369A1", "#E3F1FB"),
    LaneKind.THOUGHTS: LaneStyle("thought", "#A16207", "#FDF6D8"),
    LaneKind.EMOTIONS: LaneStyle("heart", "#DB2777", "#FCEAF3"),
    LaneKind.PAIN_POINTS: LaneStyle("alert", "#DC2626", "#FDECEC"),
    LaneKind.SUCCESS_POINTS: LaneStyle("check", "#15803D", "#E5F7EA"),
    LaneKind.TURNING_POINTS: LaneStyle("diamond", "#7E22CE", "#F4EAFD"),
    LaneKind.OPPORTUNITIES: LaneStyle("bulb", "#B45309", "#FDF1DD"),
    LaneKind.IDEAS: LaneStyle("star", "#CA8A04", "#FEF8DC"),
    LaneKind.METRICS: LaneStyle("chart", "#1D4ED8", "#E8EFFD"),
    LaneKind.FRONTSTAGE: LaneStyle("user", "#3730A3", "#ECEDFB"),
    LaneKind.BACKSTAGE: LaneStyle("gear", "#5B21B6", "#F1ECFB"),
    LaneKind.SUPPORT: LaneStyle("layers", "#4B5563", "#F1F2F4"),
    LaneKind.ACTION_PLAN: LaneStyle("checklist", "#0E7490", "#E2F5F8"),
    LaneKind.TEXT: LaneStyle("note", "#334155", "#F3F5F8"),
    LaneKind.IMAGE: LaneStyle("image", "#334155", "#F3F5F8"),
}

# Stage header colours, taken in turn: (accent, soft).
STAGE_PALETTE: list[tuple[str, str]] = [
    ("#2563EB", "#E8F0FE"),
    ("#0D9488", "#E2F6F3"),
    ("#7C3AED", "#F0EAFE"),
    ("#DB2777", "#FCE9F2"),
    ("#EA580C", "#FDEEE3"),
    ("#16A34A", "#E5F6EA"),
    ("#0891B2", "#E1F4F8"),
    ("#CA8A04", "#FBF3D9"),
]

CONTINUOUS_HEIGHT_MM = 5000  # one long sheet: 5 m holds any map people draw by hand

AVATAR_COLORS = ["#6366F1", "#0EA5E9", "#14B8A6", "#F59E0B", "#EC4899", "#8B5CF6", "#10B981"]

SEVERITY_COLORS = {1: "#D97706", 2: "#EA580C", 3: "#DC2626"}
ACTION_STATUS_COLORS = {
    "todo": ("#475569", "#EEF1F5"),
    "in_progress": ("#1D4ED8", "#E3ECFD"),
    "done": ("#15803D", "#E1F5E7"),
    "blocked": ("#B91C1C", "#FCE4E4"),
}
LENS_COLORS = {
    "value": ("#047857", "#DDF5EA"),
    "cost": ("#BE123C", "#FCE5EA"),
    "convenience": ("#1D4ED8", "#E3ECFD"),
    "communication": ("#7E22CE", "#F1E6FC"),
}


@dataclass(frozen=True)
class MapPart:
    """Consecutive stages shown side by side on one sheet; ``span`` are their indexes."""

    number: int
    span: range
    stages: list[tuple[int, Stage]]


def visible_items(doc: JourneyMap, lane_id: str, stage_id: str) -> list[Item]:
    """The items of a cell that belong on the picture (all but rejected ones)."""
    return [i for i in doc.items_at(lane_id, stage_id) if i.status != ItemStatus.REJECTED]


def metric_progress(item: MetricItem) -> float:
    """How far the current value is towards the target, 0..1 (1 = reached)."""
    if item.current is None or not item.target:
        return 0.0
    if item.higher_is_better:
        ratio = item.current / item.target
    else:
        ratio = item.target / item.current if item.current else 1.0
    return max(0.0, min(1.0, ratio))


def avatar_colors(doc: JourneyMap) -> dict[str, str]:
    """A colour per persona for its avatar circle, different for the personas of one map."""
    return {p.id: AVATAR_COLORS[n % len(AVATAR_COLORS)] for n, p in enumerate(doc.personas)}


def is_embedded_image(src: str | None) -> bool:
    """Only ``data:image/...`` sources are drawn; anything else would need a fetch."""
    return src is not None and src.strip().lower().startswith("data:image/")


@dataclass(frozen=True)
class StepRef:
    """How a card points at its step: the step's number in its stage, its title, a colour."""

    number: int
    title: str
    color: str


def step_refs(doc: JourneyMap) -> dict[str, StepRef]:
    """Every step id with its number within its stage and its stage's accent colour."""
    return {
        step.id: StepRef(number, step.title, STAGE_PALETTE[index % len(STAGE_PALETTE)][0])
        for index, stage in enumerate(doc.stages)
        for number, step in enumerate(stage.steps, start=1)
    }


def stage_expectations(doc: JourneyMap) -> dict[str, list[tuple[Persona, list[str]]]]:
    """Per stage id, what each (embedded) persona expects there."""
    found: dict[str, list[tuple[Persona, list[str]]]] = {}
    for persona in doc.personas:
        if isinstance(persona, Persona):
            for stage in doc.stages:
                if persona.stage_expectations.get(stage.id):
                    found.setdefault(stage.id, []).append(
                        (persona, persona.stage_expectations[stage.id])
                    )
    return found


def is_web_link(url: str) -> bool:
    """An http(s) address: shown as a link to click, never fetched."""
    return url.strip().lower().startswith(("http://", "https://"))


def map_parts(doc: JourneyMap, size: PageSize) -> list[MapPart]:
    """The map's stages split into parts that fit one sheet each."""
    return [
        MapPart(number, span, [(i, doc.stages[i]) for i in span])
        for number, span in enumerate(stage_parts(len(doc.stages), size.max_stages), start=1)
    ]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journeymap.render", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        icon=icon,
        channel_icon=channel_icon,
        evidence_icon=evidence_icon,
        metric_state=metric_state,
        metric_progress=metric_progress,
        is_embedded_image=is_embedded_image,
        is_web_link=is_web_link,
        lane_styles=LANE_STYLES,
        stage_palette=STAGE_PALETTE,
        severity_colors=SEVERITY_COLORS,
        action_status_colors=ACTION_STATUS_COLORS,
        lens_colors=LENS_COLORS,
    )
    env.tests["persona_ref"] = lambda entry: isinstance(entry, PersonaRef)
    return env


@cache
def _stylesheet() -> str:
    return resources.files("journeymap.render").joinpath("static/map.css").read_text("utf-8")


def render_html(doc: JourneyMap, *, paper: str = "A3", continuous: bool = False) -> str:
    """The map as one self-contained HTML page laid out for a landscape ``paper`` sheet.

    ``continuous`` prints it on one sheet of the paper's width and :data:`CONTINUOUS_HEIGHT_MM`
    height, without page breaks or footers: the source of a poster PNG.
    """
    size = page_size(paper)
    parts = map_parts(doc, size)
    stage_width = size.stage_width_for(max(len(p.span) for p in parts))
    labels = Labels(doc.language)

    def emotion_svg(lane: Lane, part: MapPart) -> Markup:
        return emotion_curve_svg(
            curve_points(doc, lane.id),
            stages=part.span,
            column_width=stage_width,
            gap=size.gap_px,
            uid=f"emo-{lane.id}-{part.number}",
            empty_text=labels["emotion.none"],
            title=lane.title,
        )

    emotions: dict[str, list[list[EmotionItem]]] = {
        lane.id: stage_emotions(doc, lane.id)
        for lane in doc.lanes
        if lane.kind == LaneKind.EMOTIONS
    }
    first_backstage = next(
        (n for n, lane in enumerate(doc.lanes) if lane.kind == LaneKind.BACKSTAGE), None
    )
    template = _environment().get_template("map.html")
    return template.render(
        doc=doc,
        L=labels,
        size=size,
        parts=parts,
        stage_width=stage_width,
        css=Markup(_stylesheet()),
        items=lambda lane_id, stage_id: visible_items(doc, lane_id, stage_id),
        emotion_svg=emotion_svg,
        emotions=emotions,
        line_of_visibility_before=first_backstage if first_backstage else None,
        steps=step_refs(doc),
        avatar_colors=avatar_colors(doc),
        expectations=stage_expectations(doc),
        continuous=continuous,
        continuous_height_mm=CONTINUOUS_HEIGHT_MM,
    )
