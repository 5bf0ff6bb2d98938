"""``journeymap survey`` and ``journeymap segments``: tables, JSON, persona files, errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.map.model import Persona

runner = CliRunner()
TEMPLATE = Path(__file__).parents[2] / "src/journeymap/map/templates/online-clothing-store.en.yaml"


def _surveys(path: Path) -> Path:
    lines = ["customer_id,timestamp,touchpoint,stage,csat,nps,comment,abandon_reason"]
    for i in range(12):
        lines.append(f"c{i},2024-01-0{1 + i % 9}T10:00:00Z,tp-cart,add-to-cart,{1 + i % 5},,,")
    for i in range(12):
        lines.append(f"n{i},2024-01-05T10:00:00Z,tp-parcel,post-purchase,,{i % 11},,")
    lines.append("x1,2024-01-05T10:00:00Z,tp-cart,add-to-cart,,,,Too expensive")
    lines.append("x2,2024-01-05T10:00:00Z,tp-cart,add-to-cart,,,,too expensive")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_survey_prints_scores_reasons_and_the_emotion_curve(tmp_path: Path) -> None:
    source = _surveys(tmp_path / "s.csv")
    result = runner.invoke(app, ["survey", str(source), "--by", "stage", "--map", str(TEMPLATE)])
    assert result.exit_code == 0, result.output
    assert "Satisfaction" in result.stdout
    assert "add-to-cart" in result.stdout
    assert "Too expensive" in result.stdout
    assert "Emotion curve from surveys" in result.stdout


def test_survey_json_has_the_hand_counts(tmp_path: Path) -> None:
    source = _surveys(tmp_path / "s.csv")
    result = runner.invoke(
        app, ["survey", str(source), "--json", "--by", "stage", "--map", str(TEMPLATE)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {row["key"]["stage"]: row for row in data["satisfaction"]["rows"]}
    # CSAT answers 1..5 cycling over 12 customers: 4 and 5 appear 2 times each (+1 for 1, 2)
    assert rows["add-to-cart"]["csat_responses"] == 12
    assert rows["add-to-cart"]["csat_satisfied"] == 4
    # NPS answers 0..10, 0: 0-6 are 8 detractors (0 twice), 7-8 passives, 9-10 promoters
    assert (rows["post-purchase"]["promoters"], rows["post-purchase"]["detractors"]) == (2, 8)
    assert data["abandon_reasons"]["reasons"] == [
        {"reason": "Too expensive", "count": 2, "share": 1.0}
    ]
    assert [p["stage"] for p in data["emotion_curve"]] == ["add-to-cart", "post-purchase"]


def test_survey_with_a_missing_column_fails_with_the_file_name(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("who,when,csat\na,2024-01-01,4\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", str(source)])
    assert result.exit_code == 1
    assert "bad.csv" in result.stderr
    assert "customer_id" in result.stderr
    mapped = runner.invoke(
        app,
        [
            "survey", str(source), "--columns", "who=customer_id", "--columns", "when=timestamp",
            "--touchpoint", "cart", "--json",
        ],
    )  # fmt: skip
    assert mapped.exit_code == 0, mapped.output
    assert json.loads(mapped.stdout)["satisfaction"]["overall"]["csat_satisfied"] == 1


def _events(path: Path) -> Path:
    rows = []
    start = datetime(2024, 1, 1)
    for i in range(10):
        for k, tp in enumerate(["email", "cart", "thanks"]):
            rows.append(
                {
                    "customer_id": f"b{i}",
                    "timestamp": (start + timedelta(days=i, hours=k)).isoformat(),
                    "event": "purchase" if tp == "thanks" else "view",
                    "touchpoint": tp,
                    "channel": "Email",
                    "revenue": 40.0 if tp == "thanks" else None,
                }
            )
    for i in range(20):
        rows.append(
            {
                "customer_id": f"v{i}",
                "timestamp": (start + timedelta(days=i)).isoformat(),
                "event": "view",
                "touchpoint": "ad",
                "channel": "Paid Social",
                "revenue": None,
            }
        )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_segments_writes_persona_drafts_as_yaml(tmp_path: Path) -> None:
    events = _events(tmp_path / "events.csv")
    out = tmp_path / "personas.yaml"
    result = runner.invoke(app, ["segments", str(events), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["k"] == 2
    assert [s["size"] for s in data["segments"]] == [20, 10]
    personas = [Persona.model_validate(p) for p in yaml.safe_load(out.read_text())["personas"]]
    assert [p.data_backed for p in personas] == [True, True]
    assert personas[1].name == "Email high-value buyers"


def test_segments_refuses_a_bad_k_and_a_non_yaml_output(tmp_path: Path) -> None:
    events = _events(tmp_path / "events.csv")
    bad_k = runner.invoke(app, ["segments", str(events), "--k", "two"])
    assert bad_k.exit_code == 1
    assert "--k must be 'auto' or a whole number" in bad_k.stderr
    bad_out = runner.invoke(app, ["segments", str(events), "-o", str(tmp_path / "p.txt")])
    assert bad_out.exit_code == 1
    assert not (tmp_path / "p.txt").exists()
