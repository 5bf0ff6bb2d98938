"""The editor's side panel: forms for the map, a stage, a lane or an item, and the reverse
step that turns a submitted form into an edit operation.

The fields of an item form come from the item's model class, so a new item field in the map
model needs only a line in :data:`FIELD_WIDGETS` to be editable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from journeymap.map.model import (
    LANE_ITEM_KINDS,
    ActionItem,
    ActionStatus,
    ChannelItem,
    ChannelType,
    EmotionItem,
    EvidenceSource,
    IdeaItem,
    ImageItem,
    ItemBase,
    JourneyMap,
    LaneKind,
    Lens,
    MapState,
    MetricItem,
    NoteItem,
    OpportunityItem,
    PainPointItem,
    SuccessPointItem,
    TouchpointItem,
    TurningPointItem,
)
from journeymap.web.maps.operations import OPERATION_ADAPTER, Operation

ITEM_CLASSES: dict[str, type[ItemBase]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        NoteItem,
        TouchpointItem,
        ChannelItem,
        EmotionItem,
        PainPointItem,
        SuccessPointItem,
        TurningPointItem,
        OpportunityItem,
        IdeaItem,
        MetricItem,
        ActionItem,
        ImageItem,
    )
}

KIND_LABELS = {
    "note": _("Note"),
    "touchpoint": _("Touchpoint"),
    "channel": _("Channel"),
    "emotion": _("Emotion"),
    "pain_point": _("Pain point"),
    "success_point": _("Success point"),
    "turning_point": _("Turning point"),
    "opportunity": _("Opportunity"),
    "idea": _("Idea"),
    "metric": _("Metric"),
    "action": _("Action"),
    "image": _("Image"),
}

LANE_KIND_LABELS = {
    LaneKind.GOALS: _("Goals and needs"),
    LaneKind.ACTIONS: _("Actions"),
    LaneKind.TOUCHPOINTS: _("Touchpoints"),
    LaneKind.CHANNELS: _("Channels"),
    LaneKind.THOUGHTS: _("Thoughts"),
    LaneKind.EMOTIONS: _("Emotions"),
    LaneKind.PAIN_POINTS: _("Pain points"),
    LaneKind.SUCCESS_POINTS: _("Success points"),
    LaneKind.TURNING_POINTS: _("Turning points"),
    LaneKind.OPPORTUNITIES: _("Opportunities"),
    LaneKind.IDEAS: _("Ideas"),
    LaneKind.METRICS: _("Metrics"),
    LaneKind.FRONTSTAGE: _("Frontstage"),
    LaneKind.BACKSTAGE: _("Backstage"),
    LaneKind.SUPPORT: _("Support processes"),
    LaneKind.ACTION_PLAN: _("Action plan"),
    LaneKind.TEXT: _("Text"),
    LaneKind.IMAGE: _("Images"),
}

SEVERITY_CHOICES = [("1", _("1 · minor")), ("2", _("2 · major")), ("3", _("3 · critical"))]
SCORE_CHOICES = [
    ("2", _("+2 · very positive")),
    ("1", _("+1 · positive")),
    ("0", _("0 · neutral")),
    ("-1", _("−1 · negative")),
    ("-2", _("−2 · very negative")),
]

# name -> (label, widget, choices); widgets: text, textarea, select, number, date, checkboxes.
FIELD_WIDGETS: dict[str, tuple[Any, str, list[tuple[str, Any]]]] = {
    "text": (_("Text"), "textarea", []),
    "description": (_("Details"), "textarea", []),
    "severity": (_("Severity"), "select", SEVERITY_CHOICES),
    "score": (_("Emotion score"), "select", SCORE_CHOICES),
    "channel": (
        _("Channel"),
        "select",
        [("", "—"), *[(c.value, c.value.replace("_", " ")) for c in ChannelType]],
    ),
    "owner": (_("Owner"), "text", []),
    "stay": (_("Why they stay"), "textarea", []),
    "leave": (_("Why they leave"), "textarea", []),
    "origin": (_("Seen by"), "select", [("team", _("the team")), ("customer", _("the customer"))]),
    "votes": (_("Votes"), "number", []),
    "unit": (_("Unit"), "text", []),
    "target": (_("Target"), "number", []),
    "current": (_("Current value"), "number", []),
    "due": (_("Due date"), "date", []),
    "action_status": (
        _("Status"),
        "select",
        [(s.value, s.value.replace("_", " ")) for s in ActionStatus],
    ),
    "src": (_("Image URL"), "text", []),
    "lens": (_("4C lens"), "checkboxes", [(lens.value, lens.value) for lens in Lens]),
    "tags": (_("Tags (comma-separated)"), "text", []),
    "evidence_source": (
        _("Evidence: source"),
        "select",
        [("", "—"), *[(s.value, s.value.replace("_", " ")) for s in EvidenceSource]],
    ),
    "evidence_quote": (_("Evidence: quote or figure"), "textarea", []),
}
LIST_FIELDS = frozenset({"lens"})
COMMA_FIELDS = frozenset({"tags"})
EVIDENCE_FIELDS = ("evidence_source", "evidence_quote")


def item_field_names(kind: str) -> list[str]:
    """The editable fields of an item kind, in form order."""
    own = [
        name
        for name in ITEM_CLASSES[kind].model_fields
        if name not in ItemBase.model_fields and name in FIELD_WIDGETS
    ]
    return ["text", *own, "description", "lens", "tags", *EVIDENCE_FIELDS]


@dataclass
class PanelField:
    """One input of a panel form."""

    name: str
    label: Any
    widget: str
    value: Any = ""
    choices: list[tuple[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def values(self) -> list[str]:
        """The chosen values of a multi-choice field."""
        return list(self.value) if isinstance(self.value, list | tuple) else [str(self.value)]


@dataclass
class Panel:
    """A panel form: its heading, the operation it submits, inputs and hidden values."""

    title: Any
    op: str
    fields: list[PanelField]
    hidden: dict[str, str] = field(default_factory=dict)
    delete: dict[str, str] | None = None
    error: str | None = None
    item_id: str | None = None


def _form_value(item: BaseModel | None, name: str) -> Any:
    if item is None:
        return ""
    if name == "evidence_source":
        evidence = getattr(item, "evidence", [])
        return evidence[0].source.value if evidence else ""
    if name == "evidence_quote":
        evidence = getattr(item, "evidence", [])
        if not evidence:
            return ""
        first = evidence[0]
        return first.quote or first.summary or ("" if first.figure is None else str(first.figure))
    value = getattr(item, name, None)
    if value is None:
        return ""
    if name in COMMA_FIELDS:
        return ", ".join(value)
    if name in LIST_FIELDS:
        return [v.value if hasattr(v, "value") else str(v) for v in value]
    return value.value if hasattr(value, "value") else value


def _fields(
    names: list[str], source: BaseModel | None, values: QueryDict | None, errors: dict[str, str]
) -> list[PanelField]:
    out = []
    for name in names:
        label, widget, choices = FIELD_WIDGETS.get(name, (name, "text", []))
        if values is not None:
            value: Any = values.getlist(name) if name in LIST_FIELDS else values.get(name, "")
        else:
            value = _form_value(source, name)
        out.append(PanelField(name, label, widget, value, choices, errors.get(name)))
    return out


def item_panel(
    doc: JourneyMap,
    *,
    lane: str,
    stage: str,
    item_id: str | None = None,
    kind: str | None = None,
    values: QueryDict | None = None,
    errors: dict[str, str] | None = None,
) -> Panel:
    """The form to add an item to a cell (``item_id`` None) or to edit an item."""
    errors = errors or {}
    if item_id:
        _cell, item = doc.find_item(item_id)
        return Panel(
            title=_("Edit %(kind)s") % {"kind": KIND_LABELS[item.kind]},
            op="update_item",
            fields=_fields(item_field_names(item.kind), item, values, errors),
            hidden={"item": item.id},
            delete={"op": "delete_item", "item": item.id},
            error=errors.get("__all__"),
            item_id=item.id,
        )
    allowed = LANE_ITEM_KINDS[doc.lane(lane).kind]
    kind = kind if kind in allowed else ("note" if "note" in allowed else min(allowed))
    return Panel(
        title=_("New %(kind)s in %(lane)s · %(stage)s")
        % {
            "kind": KIND_LABELS[kind],
            "lane": doc.lane(lane).title,
            "stage": doc.stage(stage).title,
        },
        op="add_item",
        fields=_fields(item_field_names(kind), None, values, errors),
        hidden={"lane": lane, "stage": stage, "kind": kind},
        error=errors.get("__all__"),
    )


def stage_panel(
    doc: JourneyMap,
    *,
    stage: str | None = None,
    values: QueryDict | None = None,
    errors: dict[str, str] | None = None,
) -> Panel:
    """The form to add a stage (``stage`` None) or to rename one."""
    errors = errors or {}
    names = ["title", "description"]
    labels = {"title": _("Stage name"), "description": _("Description")}
    row = doc.stage(stage) if stage else None
    fields = _fields(names, row, values, errors)
    for f in fields:
        f.label = labels[f.name]
        f.widget = "text" if f.name == "title" else "textarea"
    if row is None:
        return Panel(_("New stage"), "add_stage", fields, error=errors.get("__all__"))
    return Panel(
        _("Stage · %(title)s") % {"title": row.title},
        "update_stage",
        fields,
        hidden={"stage": row.id},
        delete={"op": "remove_stage", "stage": row.id},
        error=errors.get("__all__"),
    )


def lane_panel(
    doc: JourneyMap,
    *,
    lane: str | None = None,
    values: QueryDict | None = None,
    errors: dict[str, str] | None = None,
) -> Panel:
    """The form to add a lane of a chosen kind (``lane`` None) or to rename one."""
    errors = errors or {}
    row = doc.lane(lane) if lane else None
    fields = _fields(["title", "description"], row, values, errors)
    fields[0].label, fields[0].widget = _("Lane name"), "text"
    fields[1].label = _("Description")
    if row is None:
        kind_value = values.get("kind", "") if values is not None else LaneKind.TOUCHPOINTS.value
        kinds = PanelField(
            "kind",
            _("Kind"),
            "select",
            kind_value,
            [(k.value, LANE_KIND_LABELS[k]) for k in LaneKind],
            errors.get("kind"),
        )
        fields[0].label = _("Lane name (optional)")
        return Panel(_("New lane"), "add_lane", [kinds, fields[0]], error=errors.get("__all__"))
    return Panel(
        _("Lane · %(title)s") % {"title": row.title},
        "update_lane",
        fields,
        hidden={"lane": row.id},
        delete={"op": "remove_lane", "lane": row.id},
        error=errors.get("__all__"),
    )


def map_panel(
    doc: JourneyMap, *, values: QueryDict | None = None, errors: dict[str, str] | None = None
) -> Panel:
    """The form for the map's title, goal, description and state."""
    errors = errors or {}
    fields = _fields(["title", "goal", "description", "state"], doc, values, errors)
    labels = {
        "title": (_("Title"), "text", []),
        "goal": (_("Goal of the map"), "textarea", []),
        "description": (_("Description"), "textarea", []),
        "state": (
            _("State"),
            "select",
            [
                (MapState.CURRENT.value, _("current state")),
                (MapState.FUTURE.value, _("future state")),
            ],
        ),
    }
    for f in fields:
        f.label, f.widget, f.choices = labels[f.name]
    return Panel(_("Map settings"), "update_map", fields, error=errors.get("__all__"))


def _stored_item(document: Mapping[str, Any], item_id: str) -> Mapping[str, Any] | None:
    """The item ``item_id`` of a stored document (plain data), if the map has it."""
    for cell in document.get("cells", []):
        for item in cell.get("items", []):
            if item.get("id") == item_id:
                return item
    return None


def _item_fields(
    post: QueryDict, kind: str, document: Mapping[str, Any], item_id: str | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in item_field_names(kind):
        if (
            name == "text"
            or name in EVIDENCE_FIELDS
            or (name not in post and name not in LIST_FIELDS)
        ):
            continue
        if name in LIST_FIELDS:
            fields[name] = post.getlist(name)
        elif name in COMMA_FIELDS:
            fields[name] = [t.strip() for t in post.get(name, "").split(",") if t.strip()]
        else:
            fields[name] = post.get(name, "").strip() or None
    if "evidence_source" in post:
        fields["evidence"] = _evidence(post, document, item_id)
    return fields


def _evidence(
    post: QueryDict, document: Mapping[str, Any], item_id: str | None
) -> list[dict[str, Any]]:
    """The item's evidence with its first entry replaced by the form's source and quote."""
    item = _stored_item(document, item_id) if item_id else None
    rest: list[dict[str, Any]] = [dict(e) for e in item.get("evidence", [])[1:]] if item else []
    source = post.get("evidence_source", "").strip()
    quote = post.get("evidence_quote", "").strip()
    if not source:
        return rest
    first: dict[str, Any] = {"source": source}
    if quote:
        first["quote"] = quote
    return [first, *rest]


def operation_from_form(op: str, post: QueryDict, document: Mapping[str, Any]) -> Operation:
    """The edit operation ``op`` from a submitted editor form (ValidationError when invalid).

    ``document`` is the map as stored (plain data): the form only needs an item's kind and
    evidence, or a lane's kind, so the map is not validated as a whole for it; the service
    validates the edited map before it stores it.
    """
    data: dict[str, Any] = {"op": op}
    simple = {
        "update_map": ("title", "goal", "description", "state"),
        "add_stage": ("title", "description", "position"),
        "update_stage": ("stage", "title", "description"),
        "move_stage": ("stage", "position"),
        "remove_stage": ("stage",),
        "add_lane": ("kind", "title", "position"),
        "update_lane": ("lane", "title", "description"),
        "move_lane": ("lane", "position"),
        "remove_lane": ("lane",),
        "move_item": ("item", "lane", "stage", "position"),
        "delete_item": ("item",),
        "set_emotion": ("stage", "score", "text", "lane"),
        "add_item": ("lane", "stage", "kind", "text", "position"),
        "update_item": ("item",),
        "link_persona": ("ref",),
        "unlink_persona": ("persona",),
    }.get(op, ())
    optional_blank = {"description", "goal"}
    for name in simple:
        if name in post:
            value = post.get(name, "").strip()
            if value or name in optional_blank:
                data[name] = value
    if op == "add_item":
        kind = data.get("kind")
        if kind not in ITEM_CLASSES:
            lane_kind = next(
                (
                    row.get("kind")
                    for row in document.get("lanes", [])
                    if row.get("id") == data.get("lane")
                ),
                None,
            )
            try:
                allowed = LANE_ITEM_KINDS[LaneKind(str(lane_kind))]
            except ValueError:
                allowed = frozenset({"note"})
            kind = "note" if "note" in allowed else min(allowed)
            data.pop("kind", None)
        data["fields"] = _item_fields(post, kind, document, None)
    elif op == "update_item":
        stored = _stored_item(document, data.get("item", ""))
        kind = str(stored.get("kind", "note")) if stored else "note"
        data["fields"] = _item_fields(post, kind, document, data.get("item"))
        if "text" in post:
            data["fields"]["text"] = post.get("text", "").strip()
    return OPERATION_ADAPTER.validate_python(data)
