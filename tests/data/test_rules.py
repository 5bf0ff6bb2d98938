"""Mapping rules: YAML validation with file:line, first match wins, unmapped events reported."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import ibis
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import connect, load_table
from journeymap.data.events import Events
from journeymap.data.rules import RulesError, glob_regex, load_rules, map_events, parse_rules

RULES_YAML = """\
version: 1
rules:
  - name: pricing page
    match:
      event: page_view
      url: "*/pricing*"
    assign: {touchpoint: Pricing page, stage: Consideration}
  - name: any page
    match:
      event: [page_view, screen_view]
    assign: {touchpoint: Website, stage: Awareness}
  - name: pro checkout
    match:
      event: begin_checkout
      properties: {plan: pro}
    assign: {touchpoint: Checkout, stage: Purchase, channel: Web shop}
  - name: paid search landing
    match:
      url_regex: "[?&]gclid="
      source: Google
      medium: [cpc, ppc]
    assign: {touchpoint: Search ad}
"""


def _events(backend: BaseBackend) -> Events:
    rows = [
        ("a", 1, "page_view", "https://shop.example/pricing?x=1", "pro", "google", "cpc"),
        ("a", 2, "page_view", "https://shop.example/blog", None, "google", "organic"),
        ("a", 3, "begin_checkout", None, "pro", None, None),
        ("b", 1, "begin_checkout", None, "basic", None, None),
        ("b", 2, "landing", "https://shop.example/?gclid=1", None, "GOOGLE", "ppc"),
        ("b", 3, "scroll", None, None, None, None),
        ("c", 1, "scroll", None, None, None, None),
        ("c", 2, "screen_view", None, None, "newsletter", "email"),
    ]
    frame = pd.DataFrame(
        [
            {
                "customer_id": c,
                "timestamp": datetime(2024, 1, 1, h),
                "event": e,
                "page_location": url,
                "plan": plan,
                "utm_source": src,
                "utm_medium": med,
            }
            for c, h, e, url, plan, src, med in rows
        ]
    ).astype({"page_location": object, "plan": object, "utm_source": object, "utm_medium": object})
    return Events(load_table(backend, frame))


def _assignments(result_events: Events) -> list[tuple[str | None, ...]]:
    table = result_events.table.order_by(["customer_id", "timestamp"])
    rows = table.select("touchpoint", "stage", "channel").to_pyarrow().to_pylist()
    return [(r["touchpoint"], r["stage"], r["channel"]) for r in rows]


EXPECTED = [
    ("Pricing page", "Consideration", "Paid Search"),
    ("Website", "Awareness", "Organic Search"),
    ("Checkout", "Purchase", "Web shop"),
    (None, None, "Direct"),
    ("Search ad", None, "Paid Search"),
    (None, None, "Direct"),
    (None, None, "Direct"),
    ("Website", "Awareness", "Email"),
]


def test_first_matching_rule_assigns_touchpoint_stage_and_channel() -> None:
    result = map_events(_events(connect()), parse_rules(RULES_YAML))
    assert _assignments(result.events) == EXPECTED


def test_unmapped_events_are_counted_and_named_not_dropped() -> None:
    result = map_events(_events(connect()), parse_rules(RULES_YAML), top=2)
    assert (result.total, result.mapped, result.unmapped) == (8, 5, 3)
    assert result.mapped_share == pytest.approx(5 / 8)
    assert result.top_unmapped == (("scroll", 2), ("begin_checkout", 1))
    assert result.rule_hits == (
        ("pricing page", 1),
        ("any page", 2),
        ("pro checkout", 1),
        ("paid search landing", 1),
    )
    assert result.events.table.count().execute() == 8
    assert "_jm_rule" not in result.events.table.columns
    assert result.to_dict()["top_unmapped"][0] == {"event": "scroll", "events": 2}


def test_rules_without_default_channel_leave_channel_to_the_rules() -> None:
    rules = parse_rules(RULES_YAML.replace("version: 1\n", "version: 1\ndefault_channel: false\n"))
    channels = [c for *_, c in _assignments(map_events(_events(connect()), rules).events)]
    assert channels == [None, None, "Web shop", None, None, None, None, None]


def test_properties_map_is_searched_when_no_column_has_the_name() -> None:
    backend = connect()
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "timestamp": [datetime(2024, 1, 1), datetime(2024, 1, 2)],
            "event": ["page_view", "page_view"],
        }
    )
    table = load_table(backend, frame).mutate(
        properties=ibis.map({"page_location": "https://x.example/pricing", "plan": "pro"})
    )
    rules = parse_rules(
        "rules:\n  - match: {url: '*/pricing', properties: {plan: pro}}\n"
        "    assign: {touchpoint: Pricing}\n"
    )
    result = map_events(Events(table), rules)
    assert result.mapped == 2


@pytest.mark.spark
def test_rules_map_the_same_on_spark_and_duckdb(spark_backend: BaseBackend) -> None:
    rules = parse_rules(RULES_YAML)
    spark = map_events(_events(spark_backend), rules)
    assert _assignments(spark.events) == EXPECTED
    assert (spark.mapped, spark.top_unmapped) == (5, (("scroll", 2), ("begin_checkout", 1)))


def test_glob_becomes_an_anchored_regex_with_literal_dots() -> None:
    assert glob_regex("*/pricing?.html") == r"^.*/pricing.\.html$"


def test_rules_file_is_read_with_numbers_as_text(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n  - match: {properties: {plan_id: 3, trial: yes}}\n    assign: {stage: Use}\n"
    )
    rules = load_rules(path)
    assert rules.rules[0].match.properties == {"plan_id": "3", "trial": "true"}
    assert rules.label(0) == f"{path}:2: rules[0]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  - match: {event: a}\n    assign: {touchpoint: T, colour: red}\n",
            "rules.yaml:3: rules[0].assign.colour: Extra inputs are not permitted",
        ),
        (
            "rules:\n  - match: {event: a}\n    assign: {}\n",
            "rules.yaml:3: rules[0].assign: Value error, needs at least one of touchpoint",
        ),
        (
            "rules:\n  - name: x\n    match: {}\n    assign: {stage: S}\n",
            "rules.yaml:3: rules[0].match: Value error, needs at least one condition",
        ),
        (
            "rules:\n  - match:\n      url_regex: '(unclosed'\n    assign: {stage: S}\n",
            "rules.yaml:3: rules[0].match.url_regex: Value error, not a valid regular expression",
        ),
        (
            "rules:\n  - match: {url: '*a', url_regex: 'b'}\n    assign: {stage: S}\n",
            "give url (a glob) or url_regex, not both",
        ),
        ("rules: []\n", "rules.yaml:1: rules: List should have at least 1 item"),
        ("rules:\n  - match: {event: a\n", "rules.yaml:3: YAML syntax error"),
        ("- just a list\n", "rules.yaml: expected a mapping with a 'rules' list"),
        (
            "version: 2\nrules:\n  - match: {event: a}\n    assign: {stage: S}\n",
            "rules.yaml:1: version",
        ),
    ],
)
def test_bad_rules_files_get_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


def test_missing_rules_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"nope\.yaml: file not found"):
        load_rules(tmp_path / "nope.yaml")


def test_rule_on_a_field_the_events_lack_names_the_rule() -> None:
    backend = connect()
    frame = pd.DataFrame(
        {"customer_id": ["a"], "timestamp": [datetime(2024, 1, 1)], "event": ["x"]}
    )
    rules = parse_rules(
        "rules:\n  - name: by url\n    match: {url: '*'}\n    assign: {stage: S}\n",
        source="r.yaml",
    )
    with pytest.raises(RulesError, match=r"r\.yaml:2: rules\[0\] \(by url\): match.url_property"):
        map_events(Events(load_table(backend, frame)), rules)
    rules = parse_rules("rules:\n  - match: {medium: cpc}\n    assign: {stage: S}\n")
    with pytest.raises(RulesError, match="no medium or utm_medium column"):
        map_events(Events(load_table(backend, frame)), rules)
