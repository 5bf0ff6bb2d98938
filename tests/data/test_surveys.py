"""Reading survey exports: Google Forms, Typeform, generic CSV with a mapping, and bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import ibis
import pytest
from ibis.backends import BaseBackend

from journeymap.data.engine import load_table
from journeymap.data.surveys import SurveyError, detect_format, parse_timestamp, read_surveys


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rows(responses: Any) -> list[dict[str, Any]]:
    table = responses.table
    keys = [c for c in ("customer_id", "timestamp", "touchpoint") if c in table.columns]
    return table.order_by(keys).to_pyarrow().to_pylist()


GOOGLE = (
    "Timestamp,Email Address,How satisfied were you with the checkout?,"
    '"How likely are you to recommend us to a friend, from 0 to 10?",Any other comments?\n'
    "2024/03/15 1:23:45 PM GMT+1,ann@example.com,5,10,Fast and easy\n"
    "2024/03/16 9:00:00 AM GMT-05:30,bob@example.com,2,3,\n"
)

TYPEFORM = (
    "#,How easy was it to pay?,Why didn't you buy?,Start Date (UTC),Submitted At,"
    "Network ID,customer_id,touchpoint\n"
    "r1,6,,2024-03-15 10:00:00,2024-03-15 10:02:00,n1,c1,checkout\n"
    "r2,2,Too expensive,2024-03-15 11:00:00,2024-03-15 11:02:00,n2,c2,checkout\n"
)


def test_google_forms_export_reads_questions_email_and_offsets(tmp_path: Path) -> None:
    source = _write(tmp_path / "form.csv", GOOGLE)
    rows = _rows(read_surveys(source, touchpoint="checkout"))
    assert [r["customer_id"] for r in rows] == ["ann@example.com", "bob@example.com"]
    assert [r["timestamp"] for r in rows] == [
        datetime(2024, 3, 15, 12, 23, 45),
        datetime(2024, 3, 16, 14, 30),
    ]
    assert [(r["csat"], r["nps"]) for r in rows] == [(5, 10), (2, 3)]
    assert [r["comment"] for r in rows] == ["Fast and easy", None]
    assert {r["touchpoint"] for r in rows} == {"checkout"}


def test_typeform_export_reads_hidden_fields_and_submitted_at(tmp_path: Path) -> None:
    source = _write(tmp_path / "typeform.csv", TYPEFORM)
    responses = read_surveys(source)
    rows = _rows(responses)
    assert [r["response_id"] for r in rows] == ["r1", "r2"]
    assert [r["timestamp"] for r in rows] == [
        datetime(2024, 3, 15, 10, 2),
        datetime(2024, 3, 15, 11, 2),
    ]
    assert [r["ces"] for r in rows] == [6, 2]
    assert [r["abandon_reason"] for r in rows] == [None, "Too expensive"]
    assert [r["touchpoint"] for r in rows] == ["checkout", "checkout"]


def test_formats_are_detected_from_the_header() -> None:
    assert detect_format(["Timestamp", "Q1"]) == "google"
    assert detect_format(["#", "Q1", "Submitted At"]) == "typeform"
    assert detect_format(["customer_id", "timestamp", "csat"]) == "generic"


def test_generic_csv_with_mapping_gives_one_row_per_touchpoint_question(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "wide.csv",
        "user;when;Rate checkout;Rate delivery;Delivery notes\n"
        "u1;15.03.2024 10:00;4;5;Quick\n"
        "u2;16.03.2024 11:30;2;;\n".replace(";", ","),
    )
    responses = read_surveys(
        source,
        format="generic",
        columns={
            "user": "customer_id",
            "when": "timestamp",
            "Rate checkout": "csat@checkout",
            "Rate delivery": "csat@delivery",
            "Delivery notes": "comment@delivery",
        },
    )
    rows = _rows(responses)
    assert [(r["customer_id"], r["touchpoint"], r["csat"], r["comment"]) for r in rows] == [
        ("u1", "checkout", 4, None),
        ("u1", "delivery", 5, "Quick"),
        ("u2", "checkout", 2, None),
    ]
    assert rows[0]["timestamp"] == datetime(2024, 3, 15, 10)


def test_stage_qualifier_sets_the_stage(tmp_path: Path) -> None:
    source = _write(tmp_path / "s.csv", "id,at,Q\nu1,2024-01-02,7\n")
    rows = _rows(
        read_surveys(
            source, columns={"id": "customer_id", "at": "timestamp", "Q": "nps@stage:purchase"}
        )
    )
    assert [(r["stage"], r["touchpoint"], r["nps"]) for r in rows] == [("purchase", None, 7)]


def test_simulator_survey_file_is_read_natively(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "surveys.csv",
        '"customer_id","timestamp","survey","touchpoint","stage","csat","nps","comment",'
        '"abandon_reason"\n'
        '"c1",2026-04-13 11:35:14Z,"nps","tp-cart","add-to-cart",,10,,\n'
        '"c2",2026-04-14 08:00:00Z,"csat","tp-cart","add-to-cart",2,,"Too slow",\n'
        '"c3",2026-04-15 09:00:00Z,"exit","tp-cart","add-to-cart",,,,"Too expensive"\n',
    )
    rows = _rows(read_surveys(source))
    assert [r["survey"] for r in rows] == ["nps", "csat", "exit"]
    assert [(r["csat"], r["nps"]) for r in rows] == [(None, 10), (2, None), (None, None)]
    assert rows[2]["abandon_reason"] == "Too expensive"
    assert rows[0]["timestamp"] == datetime(2026, 4, 13, 11, 35, 14)


def test_missing_customer_and_touchpoint_are_named_with_the_file(tmp_path: Path) -> None:
    source = _write(tmp_path / "anon.csv", "Timestamp,How satisfied are you?\n2024/01/01,4\n")
    with pytest.raises(SurveyError) as error:
        read_surveys(source)
    message = str(error.value)
    assert str(source) in message
    assert "customer_id" in message
    assert "touchpoint or stage" in message


def test_score_out_of_range_names_column_and_example(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "bad.csv",
        "customer_id,timestamp,touchpoint,csat\nc1,2024-01-01,cart,4\nc2,2024-01-01,cart,9\n",
    )
    with pytest.raises(SurveyError, match=r"bad\.csv: column 'csat'.*'9'.*1 to 5 \(1 row"):
        read_surveys(source)


def test_unreadable_timestamp_names_column_and_example(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "bad.csv",
        "customer_id,when,touchpoint,nps\nc1,yesterday,cart,4\n",
    )
    with pytest.raises(SurveyError, match=r"column 'when' \(timestamp\).*'yesterday'"):
        read_surveys(source, columns={"when": "timestamp"})


def test_unknown_role_and_missing_mapped_column_are_refused(tmp_path: Path) -> None:
    source = _write(tmp_path / "s.csv", "customer_id,timestamp,touchpoint,q\nc,2024-01-01,a,1\n")
    with pytest.raises(SurveyError, match="'mood' is not a survey role"):
        read_surveys(source, columns={"q": "mood"})
    with pytest.raises(SurveyError, match=r"column 'nope' .*not found"):
        read_surveys(source, columns={"nope": "csat"})


def test_two_questions_of_one_kind_must_be_mapped(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "form.csv",
        "Timestamp,Email Address,How satisfied with delivery?,How satisfied with returns?\n"
        "2024/01/01 10:00:00,a@x,4,5\n",
    )
    with pytest.raises(SurveyError, match="several questions look like csat"):
        read_surveys(source, touchpoint="x")


def test_empty_and_missing_files_are_named(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.csv", "")
    with pytest.raises(SurveyError, match=r"empty\.csv: file is empty"):
        read_surveys(empty)
    with pytest.raises(SurveyError, match="no such file"):
        read_surveys(tmp_path / "none.csv")


def test_timestamp_layouts_parse_alike_on_both_engines(backend: BaseBackend) -> None:
    import pandas as pd

    texts = [
        "2024-03-15T10:00:00+02:00",
        "2024/03/15 1:05:00 PM GMT+1",
        "15.03.2024 13:05",
        "3/15/2024 13:05:00",
        "not a date",
    ]
    table = load_table(backend, pd.DataFrame({"t": texts}))
    parsed = table.select(ts=parse_timestamp(table.t), i=ibis.row_number()).order_by("i")
    values = parsed.to_pyarrow().column("ts").to_pylist()
    assert values == [
        datetime(2024, 3, 15, 8),
        datetime(2024, 3, 15, 12, 5),
        datetime(2024, 3, 15, 13, 5),
        datetime(2024, 3, 15, 13, 5),
        None,
    ]
    day_first = table.select(ts=parse_timestamp(ibis.literal("4/3/2024 10:00"), day_first=True))
    assert day_first.limit(1).to_pyarrow().column("ts")[0].as_py() == datetime(2024, 3, 4, 10)


def test_reading_gives_the_same_rows_on_both_engines(backend: BaseBackend, tmp_path: Path) -> None:
    source = _write(tmp_path / "form.csv", GOOGLE)
    rows = _rows(read_surveys(source, touchpoint="checkout", backend=backend))
    assert [(r["customer_id"], r["csat"], r["nps"], r["timestamp"]) for r in rows] == [
        ("ann@example.com", 5, 10, datetime(2024, 3, 15, 12, 23, 45)),
        ("bob@example.com", 2, 3, datetime(2024, 3, 16, 14, 30)),
    ]
