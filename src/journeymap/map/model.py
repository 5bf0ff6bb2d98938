"""The journey map document: Pydantic models for a map, its personas, stages, lanes and items."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    model_validator,
)

SCHEMA_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(max_length=20_000)]


class Strict(BaseModel):
    """Base for every model of the document: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MapState(StrEnum):
    """Whether a map shows the journey as it is or as it should become."""

    CURRENT = "current"
    FUTURE = "future"


class LaneKind(StrEnum):
    """The typed rows of a map; each holds items of the kinds in :data:`LANE_ITEM_KINDS`."""

    GOALS = "goals"
    ACTIONS = "actions"
    TOUCHPOINTS = "touchpoints"
    CHANNELS = "channels"
    THOUGHTS = "thoughts"
    EMOTIONS = "emotions"
    PAIN_POINTS = "pain_points"
    SUCCESS_POINTS = "success_points"
    TURNING_POINTS = "turning_points"
    OPPORTUNITIES = "opportunities"
    IDEAS = "ideas"
    METRICS = "metrics"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"
    ACTION_PLAN = "action_plan"
    TEXT = "text"
    IMAGE = "image"


class Lens(StrEnum):
    """The 4C lens: how an item matters to the customer."""

    VALUE = "value"
    COST = "cost"
    CONVENIENCE = "convenience"
    COMMUNICATION = "communication"


class EvidenceSource(StrEnum):
    """Where a fact on the map is known from."""

    ANALYTICS = "analytics"
    SURVEY = "survey"
    INTERVIEW = "interview"
    USABILITY_TEST = "usability_test"
    SUPPORT_LOG = "support_log"
    OBSERVATION = "observation"
    ASSUMPTION = "assumption"


class ChannelType(StrEnum):
    """Kinds of channel a touchpoint happens in; they drive the channel icons."""

    WEB = "web"
    MOBILE_APP = "mobile_app"
    EMAIL = "email"
    SOCIAL = "social"
    SEARCH = "search"
    ADS = "ads"
    PHONE = "phone"
    CHAT = "chat"
    STORE = "store"
    EVENT = "event"
    MAIL = "mail"
    SMS = "sms"
    WORD_OF_MOUTH = "word_of_mouth"
    PARTNER = "partner"
    SALES = "sales"
    PRODUCT = "product"
    OTHER = "other"


class ItemStatus(StrEnum):
    """Accepted items are the team's; suggested ones were proposed from data for review."""

    ACCEPTED = "accepted"
    SUGGESTED = "suggested"
    REJECTED = "rejected"


class ActionStatus(StrEnum):
    """Progress of an action plan item."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class Evidence(Strict):
    """Where an item is known from: a source kind and a quote or a figure."""

    source: EvidenceSource
    summary: Text | None = None
    quote: Text | None = None
    figure: float | None = None
    unit: str | None = None
    sample_size: int | None = Field(default=None, ge=0)
    date: dt.date | None = None
    link: str | None = None


class ItemBase(Strict):
    """Fields every item has: a stable id, a text, tags, the 4C lens and evidence."""

    id: Id
    text: Text = Field(min_length=1)
    description: Text | None = None
    tags: list[str] = Field(default_factory=list)
    lens: list[Lens] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    status: ItemStatus = ItemStatus.ACCEPTED
    step: Id | None = None


class NoteItem(ItemBase):
    """A plain note: a goal, an action, a thought, a frontstage/backstage/support entry, text."""

    kind: Literal["note"] = "note"


class TouchpointItem(ItemBase):
    """A point where the customer meets the company."""

    kind: Literal["touchpoint"] = "touchpoint"
    channel: ChannelType | None = None
    owner: str | None = None


class ChannelItem(ItemBase):
    """A channel used at a stage."""

    kind: Literal["channel"] = "channel"
    channel: ChannelType = ChannelType.OTHER


class EmotionItem(ItemBase):
    """One point of the emotion curve: a score from -2 (very negative) to +2 (very positive)."""

    kind: Literal["emotion"] = "emotion"
    score: int = Field(ge=-2, le=2)


class PainPointItem(ItemBase):
    """Something that hurts the customer; severity 1 (minor) to 3 (critical)."""

    kind: Literal["pain_point"] = "pain_point"
    severity: int = Field(default=2, ge=1, le=3)


class SuccessPointItem(ItemBase):
    """Something that works well and should be kept."""

    kind: Literal["success_point"] = "success_point"


class TurningPointItem(ItemBase):
    """A moment of truth: where the customer decides to stay or to leave."""

    kind: Literal["turning_point"] = "turning_point"
    stay: Text | None = None
    leave: Text | None = None


class OpportunityItem(ItemBase):
    """A chance to improve, seen by the customer or by the team."""

    kind: Literal["opportunity"] = "opportunity"
    origin: Literal["customer", "team"] = "team"


class IdeaItem(ItemBase):
    """An idea from a workshop."""

    kind: Literal["idea"] = "idea"
    votes: int = Field(default=0, ge=0)


class MetricBinding(Strict):
    """Binds a metric item to a computed metric (e.g. a funnel step conversion)."""

    metric: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class MetricItem(ItemBase):
    """A KPI with a unit, a target and the current value."""

    kind: Literal["metric"] = "metric"
    unit: str | None = None
    target: float | None = None
    current: float | None = None
    higher_is_better: bool = True
    binding: MetricBinding | None = None


class ActionItem(ItemBase):
    """An action plan entry with an owner, a due date and a status."""

    kind: Literal["action"] = "action"
    owner: str | None = None
    due: dt.date | None = None
    action_status: ActionStatus = ActionStatus.TODO


class ImageItem(ItemBase):
    """An image (a URL or a data: URI), with its text as the alternative text."""

    kind: Literal["image"] = "image"
    src: str = Field(min_length=1)


Item = Annotated[
    NoteItem
    | TouchpointItem
    | ChannelItem
    | EmotionItem
    | PainPointItem
    | SuccessPointItem
    | TurningPointItem
    | OpportunityItem
    | IdeaItem
    | MetricItem
    | ActionItem
    | ImageItem,
    Field(discriminator="kind"),
]

LANE_ITEM_KINDS: dict[LaneKind, frozenset[str]] = {
    LaneKind.GOALS: frozenset({"note"}),
    LaneKind.ACTIONS: frozenset({"note"}),
    LaneKind.TOUCHPOINTS: frozenset({"touchpoint"}),
    LaneKind.CHANNELS: frozenset({"channel"}),
    LaneKind.THOUGHTS: frozenset({"note"}),
    LaneKind.EMOTIONS: frozenset({"emotion"}),
    LaneKind.PAIN_POINTS: frozenset({"pain_point"}),
    LaneKind.SUCCESS_POINTS: frozenset({"success_point"}),
    LaneKind.TURNING_POINTS: frozenset({"turning_point"}),
    LaneKind.OPPORTUNITIES: frozenset({"opportunity"}),
    LaneKind.IDEAS: frozenset({"idea"}),
    LaneKind.METRICS: frozenset({"metric"}),
    LaneKind.FRONTSTAGE: frozenset({"note", "touchpoint"}),
    LaneKind.BACKSTAGE: frozenset({"note"}),
    LaneKind.SUPPORT: frozenset({"note"}),
    LaneKind.ACTION_PLAN: frozenset({"action"}),
    LaneKind.TEXT: frozenset({"note"}),
    LaneKind.IMAGE: frozenset({"image"}),
}


class EmpathyMap(Strict):
    """What the persona says, thinks, does and feels."""

    says: list[Text] = Field(default_factory=list)
    thinks: list[Text] = Field(default_factory=list)
    does: list[Text] = Field(default_factory=list)
    feels: list[Text] = Field(default_factory=list)


class Persona(Strict):
    """A customer archetype the map is drawn for."""

    id: Id
    name: str = Field(min_length=1, max_length=200)
    initials: str | None = Field(default=None, max_length=4)
    avatar: str | None = None
    segment: str | None = None
    description: Text | None = None
    demographics: dict[str, str] = Field(default_factory=dict)
    goals: list[Text] = Field(default_factory=list)
    needs: list[Text] = Field(default_factory=list)
    pains: list[Text] = Field(default_factory=list)
    expectations: list[Text] = Field(default_factory=list)
    stage_expectations: dict[str, list[Text]] = Field(default_factory=dict)
    motivations: list[Text] = Field(default_factory=list)
    values: list[Text] = Field(default_factory=list)
    channels: list[ChannelType] = Field(default_factory=list)
    media: list[str] = Field(default_factory=list)
    quote: Text | None = None
    empathy: EmpathyMap | None = None
    size: float | None = Field(default=None, ge=0, le=1)
    sources: list[Evidence] = Field(default_factory=list)
    data_backed: bool = False

    @property
    def display_initials(self) -> str:
        """Initials for the avatar circle: the given ones, else from the name."""
        if self.initials:
            return self.initials
        return "".join(part[0] for part in self.name.split()[:2]).upper()


class PersonaRef(Strict):
    """A persona kept outside the map (in a workspace library), referenced by its id."""

    id: Id
    ref: str = Field(min_length=1)
    name: str | None = None


def _persona_tag(value: Any) -> str:
    has_ref = "ref" in value if isinstance(value, dict) else isinstance(value, PersonaRef)
    return "ref" if has_ref else "persona"


PersonaEntry = Annotated[
    Annotated[Persona, Tag("persona")] | Annotated[PersonaRef, Tag("ref")],
    Discriminator(_persona_tag),
]


class Step(Strict):
    """A step inside a stage."""

    id: Id
    title: str = Field(min_length=1, max_length=200)
    description: Text | None = None


class Stage(Strict):
    """A phase of the journey (a column of the map), with optional ordered steps."""

    id: Id
    title: str = Field(min_length=1, max_length=200)
    description: Text | None = None
    steps: list[Step] = Field(default_factory=list)


class Lane(Strict):
    """A typed row of the map."""

    id: Id
    kind: LaneKind
    title: str = Field(min_length=1, max_length=200)
    description: Text | None = None


class Cell(Strict):
    """The items of one lane at one stage."""

    lane: Id
    stage: Id
    items: list[Item] = Field(default_factory=list)


class JourneyMap(Strict):
    """A customer journey map: goal, personas, ordered stages, typed lanes and their cells.

    References (cells to lanes and stages, items to steps, ids) are checked after the fields; to
    collect those problems with their locations instead of one error, call
    :func:`journeymap.map.validation.validate_map`.
    """

    schema_version: int = SCHEMA_VERSION
    id: Id
    title: str = Field(min_length=1, max_length=300)
    goal: Text | None = None
    description: Text | None = None
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    state: MapState = MapState.CURRENT
    scenario: str | None = None
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)
    personas: list[PersonaEntry] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> JourneyMap:
        if info.context and info.context.get("defer_references"):
            return self
        from journeymap.map.validation import reference_problems

        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(p.describe() for p in problems))
        return self

    # Lookups used by renderers, diff, analytics bindings and the web editor.
    def stage(self, stage_id: str) -> Stage:
        """The stage with ``stage_id`` (KeyError if there is none)."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def lane(self, lane_id: str) -> Lane:
        """The lane with ``lane_id`` (KeyError if there is none)."""
        for lane in self.lanes:
            if lane.id == lane_id:
                return lane
        raise KeyError(lane_id)

    def cell(self, lane_id: str, stage_id: str) -> Cell | None:
        """The cell at ``lane_id`` x ``stage_id``, or None when it is empty."""
        for cell in self.cells:
            if cell.lane == lane_id and cell.stage == stage_id:
                return cell
        return None

    def items_at(self, lane_id: str, stage_id: str) -> list[Item]:
        """The items of one cell (empty list for an empty cell)."""
        cell = self.cell(lane_id, stage_id)
        return list(cell.items) if cell else []

    def iter_items(self) -> list[tuple[Cell, Item]]:
        """Every item with its cell, in lane then stage order of the cells."""
        return [(cell, item) for cell in self.cells for item in cell.items]

    def find_item(self, item_id: str) -> tuple[Cell, Item]:
        """The cell and item with ``item_id`` (KeyError if there is none)."""
        for cell, item in self.iter_items():
            if item.id == item_id:
                return cell, item
        raise KeyError(item_id)

    def emotion_curve(self, lane_id: str | None = None) -> list[tuple[Stage, EmotionItem | None]]:
        """The emotion score per stage of the first emotions lane (or of ``lane_id``)."""
        lanes = [lane for lane in self.lanes if lane.kind == LaneKind.EMOTIONS]
        if lane_id is not None:
            lanes = [lane for lane in lanes if lane.id == lane_id]
        if not lanes:
            return []
        curve: list[tuple[Stage, EmotionItem | None]] = []
        for stage in self.stages:
            emotions = [
                i for i in self.items_at(lanes[0].id, stage.id) if isinstance(i, EmotionItem)
            ]
            curve.append((stage, emotions[0] if emotions else None))
        return curve

    def all_ids(self) -> set[str]:
        """Every id used in the map (stages, steps, lanes, personas, items)."""
        ids = {s.id for s in self.stages} | {lane.id for lane in self.lanes}
        ids |= {step.id for s in self.stages for step in s.steps}
        ids |= {p.id for p in self.personas}
        ids |= {item.id for _, item in self.iter_items()}
        return ids


def slugify(text: str, taken: set[str] | None = None) -> str:
    """A valid, unused id made from ``text`` (``'Add to cart'`` -> ``'add-to-cart'``)."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"
    if not re.match(ID_PATTERN, base):
        base = f"x-{base}"
    taken = taken or set()
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
