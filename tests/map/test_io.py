"""YAML and JSON round trips are lossless; files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.map.io import dump_json, dump_yaml, load_map, parse_map, save_map
from journeymap.map.model import JourneyMap, LaneKind, NoteItem
from journeymap.map.templates import list_templates, load_template
from journeymap.map.validation import MapValidationError

SAMPLE = Path(__file__).with_name("sample_minimal.yaml")


def all_templates() -> list[JourneyMap]:
    return [load_template(t.id, lang) for t in list_templates() for lang in t.languages]


def test_yaml_round_trip_of_sample_is_lossless(sample_map: JourneyMap) -> None:
    assert parse_map(dump_yaml(sample_map)) == sample_map


def test_json_round_trip_of_sample_is_lossless(sample_map: JourneyMap) -> None:
    assert parse_map(dump_json(sample_map), fmt="json") == sample_map


def test_every_template_round_trips_through_yaml_and_json() -> None:
    for doc in all_templates():
        assert parse_map(dump_yaml(doc)) == doc
        assert parse_map(dump_json(doc), fmt="json") == doc


def test_dumped_yaml_keeps_item_kind_first_fields_and_no_defaults(sample_map: JourneyMap) -> None:
    text = dump_yaml(sample_map)
    assert text.startswith("schema_version: 1\n")
    assert "  - id: ig\n    kind: touchpoint\n    text: Instagram ad\n" in text
    assert "status:" not in text  # default values are left out


_tokens = st.sampled_from(
    ["\n", ": ", "#", "- ", "yes", "no", "2026-01-05", "'", '"', "~", "null", "  ", "|", "{a: 1}"]
)
_chars = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029\ufeff"
    ),
    min_size=1,
    max_size=8,
)
awkward_text = (
    st.lists(_tokens | _chars, min_size=1, max_size=6)
    .map("".join)
    .filter(lambda s: s.strip() == s and s != "")
)


@settings(max_examples=150, deadline=None)
@given(text=awkward_text, description=st.none() | awkward_text)
def test_any_item_text_survives_yaml_and_json(text: str, description: str | None) -> None:
    doc = load_map(SAMPLE)
    doc.cells[0].items.append(NoteItem(id="n1", text=text, description=description))
    doc.lanes[0] = doc.lanes[0].model_copy(update={"kind": LaneKind.FRONTSTAGE})
    doc = JourneyMap.model_validate(doc.model_dump())
    assert parse_map(dump_yaml(doc)) == doc
    assert parse_map(dump_json(doc), fmt="json") == doc


def test_dates_unquoted_in_yaml_are_read_as_text_where_text_is_expected() -> None:
    doc = parse_map("id: m\ntitle: 2026-01-05\n")
    assert doc.title == "2026-01-05"


def test_save_and_load_by_suffix(tmp_path: Path, sample_map: JourneyMap) -> None:
    for name in ("m.yaml", "m.yml", "m.json"):
        path = save_map(sample_map, tmp_path / name)
        assert load_map(path) == sample_map


def test_unknown_suffix_is_refused_and_writes_nothing(
    tmp_path: Path, sample_map: JourneyMap
) -> None:
    with pytest.raises(MapValidationError, match=r"m.txt: unknown map file type '.txt'"):
        save_map(sample_map, tmp_path / "m.txt")
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MapValidationError, match=r"nope\.yaml: file not found"):
        load_map(tmp_path / "nope.yaml")


def test_failed_write_leaves_old_file_untouched(
    tmp_path: Path, sample_map: JourneyMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_map(sample_map, tmp_path / "m.yaml")
    before = path.read_bytes()

    def broken(self: Path, data: bytes) -> int:
        self.open("wb").write(data[:10])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", broken)
    changed = sample_map.model_copy(update={"title": "Changed"})
    with pytest.raises(OSError, match="disk full"):
        save_map(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.yaml"]
