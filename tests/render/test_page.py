"""Page geometry: stage parts that fit a sheet, and column widths that fill it."""

from __future__ import annotations

import pytest

from journeymap.render.page import PAGE_SIZES, UnknownPageSizeError, page_size, stage_parts


@pytest.mark.parametrize(
    ("n_stages", "max_per_part", "sizes"),
    [
        (12, 8, [6, 6]),
        (9, 8, [5, 4]),
        (8, 8, [8]),
        (1, 8, [1]),
        (12, 5, [4, 4, 4]),
        (11, 5, [4, 4, 3]),
    ],
)
def test_stage_parts_are_as_few_and_as_even_as_fit(
    n_stages: int, max_per_part: int, sizes: list[int]
) -> None:
    parts = stage_parts(n_stages, max_per_part)
    assert [len(part) for part in parts] == sizes
    assert [i for part in parts for i in part] == list(range(n_stages))


def test_map_without_stages_has_one_empty_part() -> None:
    assert stage_parts(0, 8) == [range(0)]


def test_stage_parts_rejects_a_zero_part_size() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        stage_parts(3, 0)


@pytest.mark.parametrize("name", ["A3", "a4"])
def test_map_table_fits_the_sheet_for_every_part_size(name: str) -> None:
    size = page_size(name)
    assert size.width_mm > size.height_mm  # landscape
    for n in range(1, size.max_stages + 1):
        width = size.stage_width_for(n)
        assert size.table_width(width, n) <= size.content_width_px
        assert size.table_width(width + 1, n) > size.content_width_px - n  # and fills it


def test_unknown_page_size_names_the_known_ones() -> None:
    with pytest.raises(UnknownPageSizeError, match=r"'Letter'.*A3, A4"):
        page_size("Letter")
    assert set(PAGE_SIZES) == {"A3", "A4"}
