"""All models side by side: the long table, spend columns, the grouped-bar figure, spend files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from attribution_logs import JOURNEYS, channel_log

from journeymap.analytics.attribution import MODELS, compare_attribution, read_spend
from journeymap.analytics.attribution.spend import SpendError
from journeymap.data.engine import connect


def test_comparison_lines_up_every_model_with_cpa_and_roas() -> None:
    table = channel_log(connect(), JOURNEYS)
    comparison = compare_attribution(table, spend={"Paid Search": 100.0, "Referral": 10.0})
    frame = comparison.to_frame()
    assert list(frame["model"].unique()) == list(MODELS)
    assert set(frame["channel"]) == {"Direct", "Email", "Organic Search", "Paid Search", "Referral"}
    for _, rows in frame.groupby("model"):
        assert rows["conversions"].sum() == pytest.approx(3)
    last = frame[(frame.model == "last_touch") & (frame.channel == "Paid Search")].iloc[0]
    assert last["cpa"] == pytest.approx(100.0)  # one conversion for 100
    assert last["roas"] == pytest.approx(1.0)  # its value 100 for 100 spent
    referral = frame[(frame.model == "markov") & (frame.channel == "Referral")].iloc[0]
    assert referral["conversions"] == 0 and pd.isna(referral["cpa"])
    assert comparison.unattributed_conversions == 1


def test_figure_has_one_bar_trace_per_model_grouped() -> None:
    comparison = compare_attribution(channel_log(connect(), JOURNEYS), models=("linear", "markov"))
    figure = comparison.figure("value")
    assert [trace.name for trace in figure.data] == ["linear", "markov"]
    assert figure.layout.barmode == "group"
    with pytest.raises(ValueError, match="measure"):
        comparison.figure("clicks")


def test_unknown_model_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        compare_attribution(channel_log(connect(), JOURNEYS), models=("data_driven",))


def test_spend_rows_of_a_channel_add_up_and_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_text("channel,campaign,spend\nEmail,a,10\nEmail,b,5.5\nDirect,c,0\n")
    assert read_spend(path) == {"Email": 15.5, "Direct": 0.0}
    path.write_text("channel,spend\nEmail,-3\n")
    with pytest.raises(SpendError, match=r"spend.csv:2: column 'spend' is negative"):
        read_spend(path)
    with pytest.raises(SpendError, match="cannot read"):
        read_spend(tmp_path / "missing.csv")
