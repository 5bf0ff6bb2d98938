"""Which Parquet files are sorted by customer, and where they split into parts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from journeymap.data import layout
from journeymap.data.layout import KEY_COLUMN, customer_layout, key_metadata
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


def customer_bounds(files: list[str], part_events: int) -> tuple[str | int, ...]:
    return customer_layout(files, part_events=part_events)[1]


def customer_key(files: list[str]) -> str | None:
    return customer_layout(files)[0]


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


def _keyed(path: Path, ids: list[str], keys: list[int], mark: str | None = "customer_id") -> str:
    table = pq.read_table(_write(path, ids)).append_column("customer_key", pa.array(keys))
    if mark is not None:
        table = table.replace_schema_metadata(key_metadata(mark))
    pq.write_table(table, path, row_group_size=2)
    return str(path)


def test_a_marked_customer_key_stands_for_the_ids_and_splits_them(tmp_path: Path) -> None:
    path = _keyed(tmp_path / "e.parquet", list("aabcdefg"), [0, 0, 1, 2, 3, 4, 5, 6])
    # row groups by key: [0, 0] [1, 2] [3, 4] [5, 6]
    assert customer_layout([path], part_events=4) == (KEY_COLUMN, (3,))
    # the key taken for an id: not text
    assert customer_layout([path], KEY_COLUMN, keyed=False, part_events=4) == (None, ())


@pytest.mark.parametrize(
    ("mark", "keys"),
    [
        (None, [0, 1, 2, 3]),  # a column of that name, but not one journeymap numbered
        ("user", [0, 1, 2, 3]),  # numbered for another column
        ("customer_id", ["0", "1", "2", "3"]),  # not an integer
    ],
)
def test_an_unmarked_or_foreign_key_is_not_used(
    tmp_path: Path, mark: str | None, keys: list[object]
) -> None:
    assert customer_key([_keyed(tmp_path / "e.parquet", list("abcd"), keys, mark)]) is None


def test_several_keyed_files_need_separate_customers_and_keys(tmp_path: Path) -> None:
    first = _keyed(tmp_path / "a.parquet", list("abcd"), [0, 1, 2, 3])
    after = _keyed(tmp_path / "b.parquet", list("efgh"), [4, 5, 6, 7])
    assert customer_key([after, first]) == KEY_COLUMN
    # each file numbered from 0: two customers would share a key
    again = _keyed(tmp_path / "c.parquet", list("efgh"), [0, 1, 2, 3])
    assert customer_key([first, again]) is None
    # the same customer in two files, with one key or two
    shared = _keyed(tmp_path / "d.parquet", list("defg"), [3, 4, 5, 6])
    assert customer_key([first, shared]) is None


def test_read_events_groups_on_a_marked_key_unless_the_columns_are_mapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "PART_EVENTS", 4)
    path = _keyed(tmp_path / "e.parquet", list("abcdefgh"), list(range(8)))
    events = read_events(path)
    assert (events.customer_key, events.customer_bounds) == (KEY_COLUMN, (4,))
    assert events.customer_column == KEY_COLUMN
    mapped = read_events(path, columns={"customer_key": "session_id"})
    assert (mapped.customer_key, mapped.customer_bounds) == (None, ("e",))
    assert mapped.customer_column == "customer_id"
