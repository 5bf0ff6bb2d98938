"""The HTML page: every stage, lane and item is there, nothing is fetched, lanes look their kind."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import escape

from journeymap.map.model import ItemStatus, JourneyMap, LaneKind
from journeymap.render.html import render_html


class _Collector(HTMLParser):
    """Tags with their attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


class _Nesting(HTMLParser):
    """Checks that every element is closed, in order (void and self-closed SVG ones aside)."""

    VOID = frozenset({"meta", "img", "br", "col", "hr", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]}, open: {self.open[-3:]}")


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_html_contains_every_stage_lane_and_visible_item_text(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    for stage in full_map.stages:
        assert str(escape(stage.title)) in html
        for step in stage.steps:
            assert str(escape(step.title)) in html
    for lane in full_map.lanes:
        assert str(escape(lane.title)) in html
    for _, item in full_map.iter_items():
        if item.status != ItemStatus.REJECTED:
            assert str(escape(item.text)) in html, item.id


def test_every_element_is_closed_in_order(full_map: JourneyMap, wide_map: JourneyMap) -> None:
    for doc in (full_map, wide_map):
        checker = _Nesting()
        checker.feed(render_html(doc))
        assert checker.errors == [] and checker.open == []


def test_rejected_items_are_left_out_of_the_picture(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    assert "Old idea nobody liked" not in html
    assert 'id="item-n2"' not in html


def test_html_fetches_nothing_from_the_network(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    tags = parse(html).tags
    assert not [t for t, _ in tags if t in {"script", "link", "iframe", "object", "embed"}]
    for tag, attrs in tags:
        if tag == "a":  # a link is followed by a reader's click, never fetched by the page
            continue
        for name in ("src", "href", "srcset", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html)
    assert "@import" not in html
    # the sketch in the full map is an https image: shown by its text, never loaded
    assert "Sketch of the brew guide" in html
    assert not [a for t, a in tags if t == "img" and "example.com" in (a.get("src") or "")]


def test_html_embeds_data_uri_images(full_map: JourneyMap, pixel_png_uri: str) -> None:
    pixel = pixel_png_uri
    data = full_map.model_dump()
    data["cells"][-1]["items"][0]["src"] = pixel
    html = render_html(JourneyMap.model_validate(data))
    assert [a for t, a in parse(html).tags if t == "img" and a.get("src") == pixel]


def test_emotion_curve_has_one_point_per_scored_stage(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    points = re.findall(r'class="emotion-point" data-stage="([^"]+)" data-score="(-?\d)"', html)
    assert points == [
        ("discover", "1"),
        ("research", "0"),
        ("subscribe", "-2"),
        ("deliver", "1"),
        ("use", "2"),
    ]
    assert html.count('<svg class="emotion-curve"') == 1
    assert 'class="emotion-line"' in html


def test_wide_map_is_split_into_parts_that_each_repeat_the_lanes(wide_map: JourneyMap) -> None:
    html = render_html(wide_map)
    parts = html.split('<section class="map-part')[1:]
    assert len(parts) == 2
    assert "Stages 1–6 of 12" in parts[0] and "Stages 7–12 of 12" in parts[1]
    for part, stages in zip(parts, (wide_map.stages[:6], wide_map.stages[6:]), strict=True):
        assert part.count('<th class="stage"') == 6
        for stage in stages:
            assert f'id="stage-{stage.id}"' in part
        for lane in wide_map.lanes:
            assert lane.title in part
    points = re.findall(r'class="emotion-point" data-stage="([^"]+)"', html)
    assert points == [stage.id for stage in wide_map.stages]


def test_a4_paper_splits_into_more_parts_than_a3(wide_map: JourneyMap) -> None:
    assert render_html(wide_map, paper="A4").count('<section class="map-part') == 3
    assert render_html(wide_map, paper="A3").count('<section class="map-part') == 2


def test_continuous_page_has_no_page_breaks_or_footers(wide_map: JourneyMap) -> None:
    html = render_html(wide_map, continuous=True)
    assert '<body class="continuous">' in html
    assert "size: 420mm 5000mm" in html and "@bottom-right" not in html
    assert html.count('<section class="map-part') == 2


def test_lane_kinds_get_their_own_look(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    assert 'class="card card-pain_point sev-3"' in html
    assert 'class="card card-pain_point sev-1"' in html
    assert 'id="item-o3"' in html and "card-opportunity suggested" in html
    assert "metric-off" in html and "metric-on" in html
    assert "icon-diamond" in html and "Free shipping over two bags" in html
    assert "Abandons the checkout" in html
    for status in ("In progress", "To do", "Done", "Blocked"):
        assert f">{status}</span>" in html
    for channel in ("social", "search", "email", "sms", "chat", "phone", "mobile_app"):
        assert f"icon-{channel}" in html
    assert "chip-lens" in html and ">Cost</span>" in html
    assert "Interview" in html and "I had to pick it up at the post office, again." in html
    assert "Line of visibility" in html
    lane_rows = re.findall(r'<tr class="lane lane-([a-z_]+)"', html)
    assert set(lane_rows) == {lane.kind.value for lane in full_map.lanes}
    assert len(lane_rows) == len(full_map.lanes)
    assert LaneKind.EMOTIONS.value in lane_rows


def test_stage_steps_are_listed_once_and_cards_point_at_their_step(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    details = html.split('<tr class="stage-details">')[1].split("</tr>")[0]
    assert "Instagram ad" in details and "Friend&#39;s story" in details
    assert html.count("Sees an ad and gets curious") == 1
    card = html.split('id="item-a2"')[1].split("</div>")[0]
    assert 'class="step-ref" title="Friend&#39;s story"' in card and ">2</span>" in card


def test_evidence_links_are_links_not_fetches(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    links = [a for t, a in parse(html).tags if t == "a"]
    assert links == [{"class": "ev-link", "href": "https://analytics.example.com/checkout"}]


def test_stage_details_show_what_each_persona_expects_there(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    details = html.split('<tr class="stage-details">')[1].split("</tr>")[0]
    assert "The price she saw is the price she pays" in details
    assert 'title="Marta Kowalska">MK</span>' in details


def test_personas_of_one_map_get_different_avatar_colours(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    colours = re.findall(r'<div class="avatar[^"]*" style="background: (#[0-9A-F]{6});', html)
    assert len(colours) == 2 and colours[0] != colours[1]


def test_emotion_curve_is_described_for_screen_readers(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    assert 'aria-label="Emotions: Curious (+1); Unsure about the price (+0);' in html


def test_persona_header_shows_avatar_quote_lists_and_empathy_map(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    assert '<div class="avatar"' in html and ">MK</div>" in html
    assert "I want great coffee to just show up" in html
    assert "Urban professionals, 25-34" in html
    for heading in ("Goals", "Needs", "Pains", "Says", "Thinks", "Does", "Feels"):
        assert heading in html
    assert "34% of customers" in html
    assert "Instagram, Coffee blogs" in html  # media
    assert "workspace/budget-student" in html  # the referenced persona
    assert ">BS</div>" in html


def test_map_goal_state_and_scenario_are_in_the_header(full_map: JourneyMap) -> None:
    html = render_html(full_map)
    assert "Goal of the map" in html and str(escape(full_map.goal or "")) in html
    assert "Current state" in html
    assert "First subscription after an Instagram ad" in html


def test_polish_and_russian_maps_get_their_own_words(
    polish_map: JourneyMap, russian_map: JourneyMap
) -> None:
    polish = render_html(polish_map)
    assert '<html lang="pl">' in polish
    assert "Cel mapy" in polish and "Żółty przycisk „Zapłać” jest niewidoczny" in polish
    assert "Krytyczny" in polish
    russian = render_html(russian_map)
    assert "Цель карты" in russian and "Целевое состояние" in russian
    assert "Ошибка при оплате картой" in russian and "К выполнению" in russian


def test_text_from_the_map_is_escaped(minimal_map: JourneyMap) -> None:
    data = minimal_map.model_dump()
    data["title"] = "<script>alert(1)</script> & co"
    html = render_html(JourneyMap.model_validate(data))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_map_without_stages_or_personas_still_renders() -> None:
    doc = JourneyMap(id="empty", title="Empty map")
    html = render_html(doc)
    assert "Empty map" in html and "<table" in html
