"""The map-as-code commands: exit codes, messages on stderr, files written whole."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.map.io import load_map
from journeymap.map.templates import list_templates

SAMPLE = Path(__file__).parents[1] / "map" / "sample_minimal.yaml"
runner = CliRunner()


def test_templates_lists_every_template_with_languages() -> None:
    result = runner.invoke(app, ["templates", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [t["id"] for t in listed] == [t.id for t in list_templates()]
    clothing = next(t for t in listed if t["id"] == "online-clothing-store")
    assert clothing["languages"] == ["en", "pl", "ru"]


def test_new_creates_a_valid_map_in_the_chosen_language(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    result = runner.invoke(
        app, ["new", "--template", "consumer-lifecycle", "--lang", "pl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert load_map(out).language == "pl"


def test_new_with_unknown_template_names_the_choices(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    result = runner.invoke(app, ["new", "--template", "nope", "-o", str(out)])
    assert result.exit_code == 1
    assert "unknown template 'nope'; available: " in result.stderr
    assert "b2b-sales" in result.stderr
    assert not out.exists()


def test_new_with_missing_language(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["new", "-t", "b2b-sales", "--lang", "de", "-o", str(tmp_path / "m.yaml")]
    )
    assert result.exit_code == 1
    assert "template 'b2b-sales' has no language 'de'" in result.stderr


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "map.yaml"
    out.write_text("keep me")
    result = runner.invoke(app, ["new", "-t", "saas-trial", "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text() == "keep me"
    assert runner.invoke(app, ["new", "-t", "saas-trial", "-o", str(out), "--force"]).exit_code == 0


def test_validate_ok_and_broken(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(SAMPLE)]).exit_code == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE.read_text().replace("score: -1", "score: 3"))
    result = runner.invoke(app, ["validate", str(SAMPLE), str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:28: cells[1].items[0].score: an emotion score must be" in result.stderr


def test_validate_json_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n")
    result = runner.invoke(app, ["validate", "--json", str(broken)])
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)
    assert entry == {
        "file": str(broken),
        "valid": False,
        "problems": [f"{broken}:1: title: required field is missing"],
    }


def test_diff_text_json_and_exit_code(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    new.write_text(SAMPLE.read_text().replace("score: -1", "score: 1"))
    text = runner.invoke(app, ["diff", str(SAMPLE), str(new)])
    assert text.exit_code == 0
    assert "~ emotion at stage 'pay' changed: -1 -> +1 ('Anxious')" in text.stdout
    data = runner.invoke(app, ["diff", "--json", str(SAMPLE), str(new)])
    assert json.loads(data.stdout)["summary"] == {"emotion.changed": 1}
    assert runner.invoke(app, ["diff", "--exit-code", str(SAMPLE), str(new)]).exit_code == 1
    assert runner.invoke(app, ["diff", "--exit-code", str(SAMPLE), str(SAMPLE)]).exit_code == 0


def test_diff_of_invalid_file_fails_with_its_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n")
    result = runner.invoke(app, ["diff", str(SAMPLE), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "YAML syntax error" in result.stderr


def test_schema_to_stdout_and_to_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout)["title"] == "journeymap journey map"
    out = tmp_path / "map.schema.json"
    assert runner.invoke(app, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["$id"].endswith("map-v1.json")


def test_render_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    for name in ("map.html", "map.md", "map.csv", "map.xlsx"):
        out = tmp_path / name
        result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert "Instagram ad" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_render_pdf_of_a_template(tmp_path: Path) -> None:
    source = tmp_path / "shop.yaml"
    assert (
        runner.invoke(app, ["new", "-t", "online-clothing-store", "-o", str(source)]).exit_code == 0
    )
    out = tmp_path / "shop.pdf"
    result = runner.invoke(app, ["render", str(source), "-o", str(out), "--paper", "a4"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_render_to_unknown_suffix_fails_and_writes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(SAMPLE), "-o", str(tmp_path / "map.docx")])
    assert result.exit_code == 1
    assert "file type '.docx'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_of_invalid_map_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text().replace("lane: tp", "lane: tq"))
    result = runner.invoke(app, ["render", str(bad), "-o", str(tmp_path / "out.html")])
    assert result.exit_code == 1
    assert f"{bad}:21: cells[0].lane: unknown lane 'tq'" in result.stderr
    assert not (tmp_path / "out.html").exists()


def test_render_png_pages_and_poster(tmp_path: Path) -> None:
    from PIL import Image

    pages, poster = tmp_path / "pages.png", tmp_path / "poster.png"
    assert runner.invoke(app, ["render", str(SAMPLE), "-o", str(pages)]).exit_code == 0
    assert runner.invoke(app, ["render", str(SAMPLE), "-o", str(poster), "--poster"]).exit_code == 0
    with Image.open(pages) as paged, Image.open(poster) as sheet:
        assert paged.size != sheet.size
        assert sheet.width > 0 and sheet.height > 0
