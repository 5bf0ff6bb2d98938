"""The editor's grid drawn as HTML: stage heads, lanes, cells, item cards and emotion curves.

Built in Python rather than in a template: the grid of a big map (12 stages x 15 lanes, 300
items) is thousands of elements, and string building draws it in a few milliseconds where the
Django template language needed about half a second (the targets are 50 ms for the whole page
and 30 ms for an edit, which answers with the fresh grid). Every text of the map goes through
:func:`_e`; ids need no escaping (the map model allows only ``[a-z0-9_-]`` in them). The texts
of the interface are the catalogs' messages, translated once per page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape

from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from journeymap.map.model import (
    ActionItem,
    ChannelItem,
    EmotionItem,
    Evidence,
    IdeaItem,
    ImageItem,
    Item,
    MetricItem,
    PainPointItem,
    Stage,
    SuccessPointItem,
    TouchpointItem,
    TurningPointItem,
)
from journeymap.render.icons import channel_icon, evidence_icon
from journeymap.web.comments.templatetags.comment_tags import comment_icon
from journeymap.web.maps.grid import CURVE_HEIGHT, EditorGrid, GridRow
from journeymap.web.maps.panels import LANE_KIND_LABELS

SCORE_CLASSES = {-2: "neg2", -1: "neg1", 0: "zero", 1: "pos1", 2: "pos2"}
PANEL = 'hx-target="#panel" hx-swap="outerHTML"'


def _e(value: object) -> str:
    """A text of the map, escaped for HTML content and attribute values."""
    return escape(str(value), quote=True)


def percent_y(y: float | None) -> str:
    """A curve y coordinate as a CSS percentage of the curve's height."""
    return "0" if y is None else f"{100 * y / CURVE_HEIGHT:.2f}"


@cache
def _channel_svg(channel: str | None) -> str:
    return str(channel_icon(channel, size=14))


@cache
def _evidence_svg(source: str) -> str:
    return str(evidence_icon(source, size=12))


@dataclass(frozen=True)
class _Page:
    """What every part of the grid needs: the viewer's rights, the URLs and the texts."""

    can_edit: bool
    can_comment: bool
    shared: bool
    comment_counts: Mapping[str, int]
    item_panel: str
    stage_panel: str
    lane_panel: str
    set_emotion: str
    comments: str
    icon: str
    drag: str
    comments_label: str
    severity: str
    target: str

    def comment_button(self, target: str, css: str, attrs: str = "") -> str:
        """The comment button of a stage or an item, with its count of open threads; none on a
        shared map, nor where there is nothing to read and the viewer cannot comment."""
        if self.shared:
            return ""
        n = self.comment_counts.get(target, 0)
        if not n and not self.can_comment:
            return ""
        return (
            f'<button type="button" class="{css}{" has-comments" if n else ""}"'
            f' hx-get="{self.comments}?target={target.replace(":", "%3A")}" {PANEL}{attrs}'
            f' title="{self.comments_label}" aria-label="{self.comments_label}">'
            f"{self.icon}{f' {n}' if n else ''}</button>"
        )


def _badge(item: Item, page: _Page) -> str:
    """The mark before an item's text: severity dots, channel icon, score or marker."""
    if isinstance(item, PainPointItem):
        n = item.severity
        return f'<span class="sev sev-{n}" title="{page.severity} {n}/3">{"●" * n}</span>'
    if isinstance(item, TouchpointItem | ChannelItem):
        if not item.channel:
            return ""
        return f'<span class="chan" title="{item.channel}">{_channel_svg(item.channel)}</span>'
    if isinstance(item, EmotionItem):
        sign = "+" if item.score > 0 else ""
        return f'<span class="score score-{SCORE_CLASSES[item.score]}">{sign}{item.score}</span>'
    if isinstance(item, TurningPointItem):
        return '<span class="marker" aria-hidden="true">◆</span>'
    if isinstance(item, SuccessPointItem):
        return '<span class="marker" aria-hidden="true">★</span>'
    if isinstance(item, IdeaItem) and item.votes:
        return f'<span class="votes">▲ {item.votes}</span>'
    return ""


def _details(item: Item, page: _Page) -> str:
    """What a kind shows under the text: a metric's value, an action's status, an image."""
    if isinstance(item, MetricItem):
        value = "—" if item.current is None else f"<strong>{localize(item.current)}</strong>"
        unit = f" {_e(item.unit)}" if item.unit else ""
        target = (
            ""
            if item.target is None
            else f' <span class="muted">/ {page.target} {localize(item.target)}</span>'
        )
        return f'\n  <p class="metric">{value}{unit}{target}</p>'
    if isinstance(item, ActionItem):
        owner = f" · {_e(item.owner)}" if item.owner else ""
        due = f" · {date_format(item.due, 'SHORT_DATE_FORMAT')}" if item.due else ""
        status = item.action_status
        return (
            f'\n  <p class="action-meta"><span class="status status-{status}">{status}</span>'
            f"{owner}{due}</p>"
        )
    if isinstance(item, TouchpointItem) and item.owner:
        return f'\n  <p class="action-meta">{_e(item.owner)}</p>'
    if isinstance(item, ImageItem):
        return (
            f'\n  <img class="item-image" src="{_e(item.src)}" alt="{_e(item.text)}"'
            ' loading="lazy">'
        )
    return ""


def _evidence(ev: Evidence) -> str:
    title = _e(f"{ev.source}: {ev.quote}" if ev.quote else ev.source)
    return f'<span class="evidence" title="{title}">{_evidence_svg(ev.source)}</span>'


def _foot(item: Item) -> str:
    """The 4C lens, tags and (the first three) evidence icons of an item."""
    if not (item.lens or item.evidence or item.tags):
        return ""
    lenses = "".join(f'<span class="lens lens-{lens}">{lens}</span>' for lens in item.lens)
    tags = "".join(f'<span class="tag">#{_e(tag)}</span>' for tag in item.tags)
    evidence = "".join(_evidence(ev) for ev in item.evidence[:3])
    return f'\n  <div class="item-foot">\n    {lenses}\n    {tags}\n    {evidence}\n  </div>'


def _card(item: Item, page: _Page) -> str:
    """One item card (a button that opens the item's form, for editors)."""
    suggested = " item-suggested" if item.status == "suggested" else ""
    edit = (
        f' tabindex="0" role="button" hx-get="{page.item_panel}?item={item.id}" {PANEL}'
        " hx-trigger=\"click, keyup[key=='Enter']\""
        if page.can_edit
        else ""
    )
    comments = page.comment_button(f"item:{item.id}", "comment-btn", ' hx-trigger="click consume"')
    return (
        f'<article class="item item-{item.kind}{suggested}" data-item="{item.id}"{edit}>\n  '
        f"{_badge(item, page)}\n  "
        f'<p class="item-text">{_e(item.text)}</p>\n  {comments}'
        f"{_details(item, page)}{_foot(item)}\n</article>"
    )


def _title(page: _Page, css: str, title: str, panel: str) -> tuple[str, str]:
    """The drag handle and the title of a stage or a lane; for editors the title is a button
    that opens its form in the side panel."""
    if not page.can_edit:
        return "", f'<span class="{css}">{title}</span>'
    handle = f'<span class="handle" title="{page.drag}" aria-hidden="true">⋮⋮</span>'
    return handle, f'<button class="{css}" type="button" hx-get="{panel}" {PANEL}>{title}</button>'


def _stage_head(number: int, stage: Stage, page: _Page) -> str:
    title = _e(stage.title)
    handle, heading = _title(page, "stage-title", title, f"{page.stage_panel}?stage={stage.id}")
    steps = (
        '<small class="steps">' + " · ".join(_e(step.title) for step in stage.steps) + "</small>"
        if stage.steps
        else ""
    )
    comments = page.comment_button(f"stage:{stage.id}", "comment-btn stage-comment")
    return (
        f'<div class="stage-head" data-stage="{stage.id}">\n  {handle}\n'
        f'  <span class="stage-no">{number}</span>\n  {heading}\n  {comments}\n  {steps}\n</div>'
    )


def _curve(row: GridRow, grid: EditorGrid, page: _Page) -> str:
    """The emotion curve of an emotions lane, with a click target per stage and score for
    editors."""
    width, height = grid.curve_width, grid.curve_height
    lines = "".join(
        f'<line x1="0" x2="{width}" y1="{y}" y2="{y}"'
        f' class="{"zero-line" if score == 0 else "guide-line"}"/>'
        for score, y in grid.score_lines
    )
    out = [
        f'<div class="curve" data-lane="{row.lane.id}">\n'
        f'<svg class="curve-svg" viewBox="0 0 {width} {height}" preserveAspectRatio="none"'
        f' aria-hidden="true">\n{lines}\n'
        f'<polyline points="{row.polyline}" class="curve-line"/>\n</svg>\n'
    ]
    set_score, set_emotion = (
        gettext("Set %(stage)s to %(score)s"),
        gettext("Set emotion of %(stage)s to %(score)s"),
    )
    for point in row.curve:
        out.append(
            f'<div class="curve-col" style="left: {point.left:.4f}%; width: {point.width:.4f}%">\n'
        )
        if page.can_edit:
            names = {"stage": _e(point.stage.title)}
            for score, y in grid.score_lines:
                values = {**names, "score": score}
                out.append(
                    f'<button type="button" class="curve-target" style="top: {percent_y(y)}%"'
                    f' title="{set_score % values}" aria-label="{set_emotion % values}"'
                    f' hx-post="{page.set_emotion}" hx-vals=\'{{"stage": "{point.stage.id}",'
                    f' "score": "{score}", "lane": "{row.lane.id}"}}\'></button>\n'
                )
        if point.score is not None:
            out.append(
                f'<span class="curve-dot score-{SCORE_CLASSES[point.score]}"'
                f' style="top: {percent_y(point.y)}%" title="{point.score}"></span>\n'
            )
        out.append("</div>\n")
    out.append("</div>\n")
    return "".join(out)


def _row(row: GridRow, grid: EditorGrid, page: _Page) -> str:
    """A lane: its head, then its cells (below the curve for an emotions lane)."""
    lane = row.lane
    title = _e(lane.title)
    handle, heading = _title(page, "lane-title", title, f"{page.lane_panel}?lane={lane.id}")
    kind = _e(LANE_KIND_LABELS[lane.kind])
    out = [
        f'<section class="grid-row lane lane-{lane.kind}" data-lane="{lane.id}">\n'
        f'<div class="lane-head">\n  {handle}\n  <div>\n    {heading}\n'
        f'    <small class="lane-kind">{kind}</small>\n  </div>\n</div>\n'
    ]
    if row.is_emotions:
        out.append(_curve(row, grid, page))
        out.append('<div class="curve-labels">\n')
        for cell in row.cells:
            cards = "".join(_card(item, page) for item in cell.items)
            out.append(
                f'<div class="cell cell-emotion" data-lane="{lane.id}"'
                f' data-stage="{cell.stage.id}">\n{cards}\n</div>\n'
            )
        out.append("</div>\n")
    else:
        add_to = gettext("Add to %(lane)s at %(stage)s")
        for cell in row.cells:
            cards = "".join(_card(item, page) for item in cell.items)
            add = ""
            if page.can_edit:
                label = add_to % {"lane": title, "stage": _e(cell.stage.title)}
                add = (
                    f'<button class="add-item" type="button"'
                    f' hx-get="{page.item_panel}?lane={lane.id}&amp;stage={cell.stage.id}"'
                    f' {PANEL} aria-label="{label}">+</button>'
                )
            out.append(
                f'<div class="cell" data-lane="{lane.id}" data-stage="{cell.stage.id}">\n'
                f'<div class="cell-items" data-sortable="items">\n{cards}\n</div>\n{add}\n</div>\n'
            )
    out.append("</section>\n")
    return "".join(out)


def _page(
    map_id: int,
    can_edit: bool,
    can_comment: bool,
    shared: bool,
    comment_counts: Mapping[str, int],
) -> _Page:
    return _Page(
        can_edit=can_edit,
        can_comment=can_comment,
        shared=shared,
        comment_counts=comment_counts,
        item_panel=reverse("maps:panel", args=[map_id, "item"]),
        stage_panel=reverse("maps:panel", args=[map_id, "stage"]),
        lane_panel=reverse("maps:panel", args=[map_id, "lane"]),
        set_emotion=reverse("maps:edit", args=[map_id, "set_emotion"]),
        comments=reverse("comments:panel", args=[map_id]),
        icon=str(comment_icon()),
        drag=_e(gettext("Drag to reorder")),
        comments_label=_e(gettext("Comments")),
        severity=_e(gettext("Severity")),
        target=_e(gettext("target")),
    )


def render_card(
    item: Item,
    *,
    map_id: int,
    can_edit: bool,
    can_comment: bool,
    comment_counts: Mapping[str, int],
) -> SafeString:
    """One item card of the editor's grid, as :func:`render_grid` draws it (the answer to an
    edit of that item)."""
    page = _page(map_id, can_edit, can_comment, False, comment_counts)
    return mark_safe(_card(item, page))  # every text of the map is escaped in _card


def render_grid(
    grid: EditorGrid,
    *,
    map_id: int,
    can_edit: bool,
    can_comment: bool,
    shared: bool,
    comment_counts: Mapping[str, int],
) -> SafeString:
    """The grid of the editor (or of a shared map) as HTML."""
    page = _page(map_id, can_edit, can_comment, shared, comment_counts)
    stages = grid.doc.stages
    count = ngettext("%(counter)s stage", "%(counter)s stages", len(stages)) % {
        "counter": len(stages)
    }
    heads = "\n".join(_stage_head(n, stage, page) for n, stage in enumerate(stages, 1))
    add_stage = (
        f'<button class="add-col" type="button" title="{_e(gettext("Add a stage"))}"'
        f' hx-get="{page.stage_panel}" {PANEL}>+</button>'
        if can_edit
        else ""
    )
    add_lane = (
        f'<button class="add-lane" type="button" hx-get="{page.lane_panel}" {PANEL}>'
        f"+ {_e(gettext('Add a lane'))}</button>"
        if can_edit
        else ""
    )
    rows = "".join(_row(row, grid, page) for row in grid.rows)
    return mark_safe(  # every text of the map is escaped above
        f'<div class="map-grid" style="--stages: {len(stages)}">\n'
        f'<div class="grid-row stage-row">\n<div class="corner">{count}</div>\n'
        f'<div class="stages" data-sortable="stages">\n{heads}\n</div>\n{add_stage}\n</div>\n'
        f'<div class="lanes" data-sortable="lanes">\n{rows}</div>\n{add_lane}\n</div>'
    )
