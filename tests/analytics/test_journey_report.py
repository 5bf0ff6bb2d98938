"""The report's analyses: default funnel steps, path column and the overview figures."""

from __future__ import annotations

from datetime import datetime

import ibis
import pytest
from ibis.backends import BaseBackend
from path_logs import event_table, step

from journeymap.analytics.journey_report import common_events, journey_report, path_column
from journeymap.data.engine import connect


@pytest.fixture(scope="module")
def duck() -> BaseBackend:
    return connect()


JOURNEYS = [
    step("a", 0, "visit", "home"),
    step("a", 1, "view_item", "product"),
    step("a", 2, "purchase", "checkout"),
    step("b", 0, "visit", "home"),
    step("b", 1, "view_item", "product"),
    step("c", 0, "visit", "home"),
    step("d", 0, "zzz_visit", None),
]


def test_common_events_rank_by_customers_then_name(duck: BaseBackend) -> None:
    assert common_events(event_table(duck, JOURNEYS), limit=3) == ["visit", "view_item", "purchase"]


def test_path_column_falls_back_to_event_without_touchpoints(duck: BaseBackend) -> None:
    table = event_table(duck, JOURNEYS)
    assert path_column(table) == "touchpoint"
    assert path_column(table.mutate(touchpoint=ibis.null("string"))) == "event"
    assert path_column(table.drop("touchpoint")) == "event"


def test_report_holds_every_analysis_and_the_overview(duck: BaseBackend) -> None:
    report = journey_report(event_table(duck, JOURNEYS), funnel_steps=["visit", "purchase"])
    assert (report.events, report.customers) == (7, 4)
    assert report.first == datetime(2024, 1, 1, 0, 0)
    assert report.funnel is not None
    assert [s.entered for s in report.funnel.steps] == [3, 1]
    assert report.paths.by == "touchpoint"
    assert report.paths.total == 3
    assert report.retention.cohorts[0].size == 1


def test_a_single_funnel_step_gives_no_funnel(duck: BaseBackend) -> None:
    assert journey_report(event_table(duck, JOURNEYS), funnel_steps=["visit"]).funnel is None
