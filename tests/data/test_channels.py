"""GA4 default channel grouping: one hand case per group (and the edges), on DuckDB and Spark."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.data import channels as ch
from journeymap.data.channels import (
    CHANNEL_GROUPS,
    add_default_channel,
    default_channel,
    with_default_channel,
)
from journeymap.data.engine import connect, load_table

# (source, medium, campaign) -> expected channel group
CASES: list[tuple[str | None, str | None, str | None, str]] = [
    ("(direct)", "(none)", None, ch.DIRECT),
    ("(direct)", "(not set)", None, ch.DIRECT),
    (None, None, None, ch.DIRECT),
    ("", "", None, ch.DIRECT),
    ("google", "cpc", "brand-cross-network", ch.CROSS_NETWORK),
    ("amazon", "cpc", None, ch.PAID_SHOPPING),
    ("newsletter", "paid", "summer_shop", ch.PAID_SHOPPING),
    ("google", "cpc", None, ch.PAID_SEARCH),
    ("Bing", "PPC", None, ch.PAID_SEARCH),
    ("www.google.co.uk", "retargeting", None, ch.PAID_SEARCH),
    ("facebook", "paid_social", None, ch.PAID_SOCIAL),
    ("m.facebook.com", "cpc", None, ch.PAID_SOCIAL),
    ("youtube", "cpv", None, ch.PAID_VIDEO),
    ("dv360", "display", None, ch.DISPLAY),
    ("adnet", "cpm", None, ch.DISPLAY),
    ("partner", "cpa", None, ch.PAID_OTHER),
    ("ebay.com", "referral", None, ch.ORGANIC_SHOPPING),
    ("blog", "referral", "e-shop launch", ch.ORGANIC_SHOPPING),
    ("blog", "referral", "workshop", ch.REFERRAL),
    ("l.instagram.com", "referral", None, ch.ORGANIC_SOCIAL),
    ("community", "social", None, ch.ORGANIC_SOCIAL),
    ("vimeo.com", "referral", None, ch.ORGANIC_VIDEO),
    ("partner", "video-embed", None, ch.ORGANIC_VIDEO),
    ("duckduckgo.com", "referral", None, ch.ORGANIC_SEARCH),
    ("unknown-engine", "organic", None, ch.ORGANIC_SEARCH),
    ("example.org", "referral", None, ch.REFERRAL),
    ("example.org", "link", None, ch.REFERRAL),
    ("newsletter", "email", None, ch.EMAIL),
    ("e-mail", "blast", None, ch.EMAIL),
    ("partner", "affiliate", None, ch.AFFILIATES),
    ("spotify", "audio", None, ch.AUDIO),
    ("sms", "text", None, ch.SMS),
    ("crm", "sms", None, ch.SMS),
    ("app", "web-push", None, ch.MOBILE_PUSH),
    ("firebase", "x", None, ch.MOBILE_PUSH),
    ("app", "in-app notification", None, ch.MOBILE_PUSH),
    ("(direct)", "offline", None, ch.UNASSIGNED),
    ("notgoogle", "weird", None, ch.UNASSIGNED),
]


def _cases_table(backend: BaseBackend) -> ibis.Table:
    frame = pd.DataFrame(
        [(i, s, m, c) for i, (s, m, c, _) in enumerate(CASES)],
        columns=["i", "source", "medium", "campaign"],
    ).astype({"source": object, "medium": object, "campaign": object})
    return load_table(backend, frame)


def _channels(backend: BaseBackend) -> list[str]:
    table = _cases_table(backend)
    result = add_default_channel(table, table.source, table.medium, table.campaign)
    return result.order_by("i").to_pyarrow().column("channel").to_pylist()


def test_every_channel_group_has_a_hand_case() -> None:
    assert {expected for *_, expected in CASES} == set(CHANNEL_GROUPS)


def test_hand_cases_get_the_ga4_channel_group_on_duckdb() -> None:
    assert _channels(connect()) == [expected for *_, expected in CASES]


def test_value_expression_and_table_step_agree() -> None:
    table = _cases_table(connect())
    values = table.select("i", channel=default_channel(table.source, table.medium, table.campaign))
    assert values.order_by("i").channel.to_pyarrow().to_pylist() == _channels(connect())


@pytest.mark.spark
def test_channel_grouping_is_equal_on_spark_and_duckdb(spark_backend: BaseBackend) -> None:
    assert _channels(spark_backend) == _channels(connect())


def test_missing_fields_count_as_direct_and_no_campaign() -> None:
    table = load_table(connect(), pd.DataFrame({"medium": ["organic", None]}))
    result = table.select(channel=default_channel(None, table.medium)).to_pyarrow()
    assert result.column("channel").to_pylist() == [ch.ORGANIC_SEARCH, ch.DIRECT]


def test_with_default_channel_reads_utm_columns_or_properties() -> None:
    backend = connect()
    utm = load_table(
        backend, pd.DataFrame({"utm_source": ["google"], "utm_medium": ["cpc"], "event": ["v"]})
    )
    assert with_default_channel(utm).channel.to_pyarrow().to_pylist() == [ch.PAID_SEARCH]
    props = backend.create_table(
        "props",
        ibis.memtable(
            {"properties": [{"source": "facebook", "medium": "referral"}]},
            schema={"properties": "map<string, string>"},
        ),
    )
    assert with_default_channel(props).channel.to_pyarrow().to_pylist() == [ch.ORGANIC_SOCIAL]


def test_with_default_channel_keeps_an_existing_channel_and_skips_tables_without_traffic() -> None:
    backend = connect()
    given = load_table(backend, pd.DataFrame({"channel": ["Store"], "source": ["google"]}))
    assert with_default_channel(given).channel.to_pyarrow().to_pylist() == ["Store"]
    bare = load_table(backend, pd.DataFrame({"event": ["view"]}))
    assert with_default_channel(bare).columns == ("event",)
