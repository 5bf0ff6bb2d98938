"""Which Parquet files are sorted by customer, and where they split into parts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from journeymap.data import layout
from journeymap.data.layout import customer_bounds
from journeymap.data.readers import read_events


def _write(path: Path, ids: list[str], row_group_size: int = 2, **options: object) -> str:
    frame = pd.DataFrame(
        {
            "customer_id": pd.Series(ids, dtype="string"),
            "timestamp": pd.Series(pd.date_range("2024-01-01", periods=len(ids), freq="min")),
            "event": "view",
        }
    )
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False),
        path,
        row_group_size=row_group_size,
        **options,
    )
    return str(path)


def test_a_sorted_file_splits_at_row_groups_into_parts_of_about_the_size(tmp_path: Path) -> None:
    # row groups: [a, b] [c, d] [e, f] [g, h]; eight events in parts of about three
    path = _write(tmp_path / "e.parquet", list("abcdefgh"))
    assert customer_bounds([path], part_events=3) == ("e", "g")
    assert customer_bounds([path], part_events=4) == ("e",)
    assert customer_bounds([path], part_events=8) == ()


def test_no_cut_inside_a_customer_who_spans_two_row_groups(tmp_path: Path) -> None:
    # row groups: [a, b] [b, c] [d, e]: the cut that would fall before the second group moves on
    path = _write(tmp_path / "e.parquet", list("abbcde"))
    assert customer_bounds([path], part_events=2) == ("d",)


def test_several_files_count_together_in_the_order_of_their_ids(tmp_path: Path) -> None:
    later = _write(tmp_path / "b.parquet", list("efgh"))
    earlier = _write(tmp_path / "a.parquet", list("abcd"))
    assert customer_bounds([later, earlier], part_events=4) == ("e",)


@pytest.mark.parametrize(
    ("ids", "options"),
    [
        (list("abcdbacd"), {}),  # not sorted: the row groups' ranges overlap
        (list("abcdefgh"), {"write_statistics": False}),  # no statistics to tell
    ],
)
def test_files_that_cannot_be_split_give_one_part(
    tmp_path: Path, ids: list[str], options: dict[str, object]
) -> None:
    assert customer_bounds([_write(tmp_path / "e.parquet", ids, **options)], part_events=2) == ()


def test_a_footer_that_cannot_be_read_gives_one_part(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not a footer")
    assert customer_bounds([str(broken)], part_events=2) == ()


def test_a_customer_column_that_is_not_text_gives_one_part(tmp_path: Path) -> None:
    path = tmp_path / "e.parquet"
    pq.write_table(pa.table({"customer_id": list(range(8))}), path, row_group_size=2)
    assert customer_bounds([str(path)], part_events=2) == ()


def test_read_events_finds_the_parts_of_sorted_parquet_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "PART_EVENTS", 4)
    sorted_file = _write(tmp_path / "sorted.parquet", list("abcdefgh"))
    assert read_events(sorted_file).customer_bounds == ("e",)
    assert read_events(_write(tmp_path / "mixed.parquet", list("abcdbacd"))).customer_bounds == ()
    mapped = tmp_path / "mapped.parquet"
    renamed = pq.read_table(sorted_file).rename_columns(["user", "timestamp", "event"])
    pq.write_table(renamed, mapped, row_group_size=2)
    assert read_events(mapped, columns={"user": "customer_id"}).customer_bounds == ("e",)
    pd.read_parquet(sorted_file).to_csv(tmp_path / "e.csv", index=False)
    assert read_events(tmp_path / "e.csv").customer_bounds == ()
