"""Read survey exports (Google Forms, Typeform, any CSV) into one table of survey responses.

Every response is tied to a customer (``customer_id``), a place in the journey (``touchpoint``
and/or ``stage``) and a time (``timestamp``, UTC), and holds any of the measures ``csat`` (1-5),
``nps`` (0-10), ``ces`` (1-7), ``comment`` and ``abandon_reason``.

Columns get their roles in this order (later wins):

1. the export's own columns: Google Forms ``Timestamp`` and ``Email Address``; Typeform
   ``Submitted At`` (or ``Submit Date (UTC)``) and ``#`` (kept as ``response_id``);
2. columns named like a role (``customer_id``, ``touchpoint``, ... ; Typeform hidden fields and
   the simulator's survey file use these names);
3. question texts recognised by keywords in English, Polish and Russian (see ``QUESTION_PATTERNS``:
   "recommend" is NPS, "easy"/"effort" is CES, "satisfied" is CSAT, "why did you not buy" is an
   abandonment reason, "comment"/"anything else" is a comment);
4. the ``columns`` mapping ``{source column: role}``. A role may name a touchpoint,
   ``"csat@checkout"``, or a stage, ``"csat@stage:purchase"``: one form that asks about several
   touchpoints then gives one response row per touchpoint.

Everything stays lazy in the engine; one aggregate checks the data, and a failed check names the
file, the column and an example value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
from ibis.backends import BaseBackend

from journeymap.data.engine import connect, read_files

SURVEY_FORMATS: tuple[str, ...] = ("google", "typeform", "generic")
IDENTITY_ROLES: tuple[str, ...] = (
    "customer_id",
    "timestamp",
    "response_id",
    "survey",
    "touchpoint",
    "stage",
    "persona",
    "segment",
)
SCORE_RANGES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
TEXT_MEASURES: tuple[str, ...] = ("comment", "abandon_reason")
MEASURES: tuple[str, ...] = (*SCORE_RANGES, *TEXT_MEASURES)
ROLES: tuple[str, ...] = (*IDENTITY_ROLES, *MEASURES)
RESPONSE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "timestamp",
    "touchpoint",
    "stage",
    *MEASURES,
)

GOOGLE_TIMESTAMP = ("Timestamp", "Sygnatura czasowa", "Отметка времени")
GOOGLE_EMAIL = ("Email Address", "Email address", "Adres e-mail", "Адрес электронной почты")
TYPEFORM_TIMESTAMP = ("Submitted At", "Submit Date (UTC)")
TYPEFORM_ID = "#"

# Question texts by keyword; the first pattern that matches a column gives its role.
QUESTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nps", re.compile(r"recommend|polecił|polecil|порекоменд|рекомендовал", re.IGNORECASE)),
    ("ces", re.compile(r"\beasy\b|effort|łatw|latw|легко|усили", re.IGNORECASE)),
    ("csat", re.compile(r"satisf|zadowol|удовлетвор|доволь", re.IGNORECASE)),
    (
        "abandon_reason",
        re.compile(
            r"why did(n't| you not| not)|reason|dlaczego nie|powód|powod|почему вы не|причин",
            re.IGNORECASE,
        ),
    ),
    (
        "comment",
        re.compile(
            r"comment|feedback|anything else|tell us|komentarz|uwagi|комментар|отзыв",
            re.IGNORECASE,
        ),
    ),
)

# Timestamps: ISO 8601 first, then these layouts (year-first, day.month.year, slashes).
_TIME = (
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?"
    r"\s*(?:GMT|UTC|Z)?\s*([+-]\d{1,2})?(?::?(\d{2}))?\s*$"
)
_YMD = r"^\s*(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})" + _TIME
_DMY_DOTS = r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME
_SLASHES = r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME


class SurveyError(ValueError):
    """A survey file or mapping that cannot be read into survey responses."""


@dataclass(frozen=True)
class SurveyResponses:
    """Survey responses as an Ibis table with the columns of ``RESPONSE_COLUMNS`` (and any of
    ``response_id``, ``survey``, ``persona``, ``segment`` the source had)."""

    table: ibis.Table
    source: str = "<table>"

    def __post_init__(self) -> None:
        missing = [c for c in RESPONSE_COLUMNS if c not in self.table.columns]
        if missing:
            raise SurveyError(f"{self.source}: missing survey column(s): {', '.join(missing)}")

    def has(self, column: str) -> bool:
        """True when the responses have ``column``."""
        return column in self.table.columns


def detect_format(columns: list[str]) -> str:
    """``google``, ``typeform`` or ``generic``, from the header of an export."""
    if columns and columns[0] in GOOGLE_TIMESTAMP:
        return "google"
    if columns and columns[0] == TYPEFORM_ID and any(c in TYPEFORM_TIMESTAMP for c in columns):
        return "typeform"
    return "generic"


def read_surveys(
    path: str | Path,
    *,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    backend: BaseBackend | None = None,
    touchpoint: str | None = None,
    stage: str | None = None,
    day_first: bool = False,
) -> SurveyResponses:
    """Read the survey export at ``path`` into :class:`SurveyResponses` on ``backend``.

    ``format`` is ``google``, ``typeform`` or ``generic`` (default: detected from the header).
    ``columns`` maps source columns to roles (see the module docstring). ``touchpoint`` and
    ``stage`` set one value for all responses of a form that has no such column. Slashed dates are
    read month first (``3/15/2024``) unless ``day_first``. Raises :class:`SurveyError` naming the
    file and the missing or bad column.
    """
    label = str(path)
    if format is not None and format not in SURVEY_FORMATS:
        raise SurveyError(
            f"{label}: unknown survey format {format!r}; "
            f"expected one of {', '.join(SURVEY_FORMATS)}"
        )
    file = Path(path)
    if not file.is_file():
        raise SurveyError(f"{label}: no such file")
    if file.stat().st_size == 0:
        raise SurveyError(f"{label}: file is empty")
    engine = backend if backend is not None else connect()
    raw = read_files(engine, "csv", [str(file)])
    fmt = format or detect_format(list(raw.columns))
    roles = _assign_roles(list(raw.columns), fmt, columns or {}, label)
    table = _responses(raw, roles, label, touchpoint=touchpoint, stage=stage, day_first=day_first)
    _check(table, roles, label)
    return SurveyResponses(_drop_empty(table), source=label)


@dataclass(frozen=True)
class _Role:
    """The role of one source column: a measure or identity, maybe for one touchpoint or stage."""

    role: str
    touchpoint: str | None = None
    stage: str | None = None

    @property
    def group(self) -> tuple[str | None, str | None]:
        return (self.touchpoint, self.stage)


def _parse_role(source: str, spec: str, label: str) -> _Role:
    role, _, target = spec.partition("@")
    if role not in ROLES:
        raise SurveyError(
            f"{label}: cannot map column {source!r} to {spec!r}: {role!r} is not a survey role "
            f"({', '.join(ROLES)})"
        )
    if not target:
        return _Role(role)
    if role not in MEASURES:
        raise SurveyError(
            f"{label}: column {source!r}: only measures ({', '.join(MEASURES)}) take "
            f"'@touchpoint' or '@stage:<id>', not {role!r}"
        )
    if target.startswith("stage:"):
        name = target.removeprefix("stage:").strip()
        if not name:
            raise SurveyError(f"{label}: column {source!r}: empty stage in {spec!r}")
        return _Role(role, stage=name)
    return _Role(role, touchpoint=target.strip())


def _assign_roles(
    header: list[str], fmt: str, mapping: Mapping[str, str], label: str
) -> dict[str, _Role]:
    """Source column -> role, from the export layout, role names, question texts and ``mapping``."""
    for source in mapping:
        if source not in header:
            raise SurveyError(
                f"{label}: column {source!r} (mapped to {mapping[source]!r}) not found; "
                f"the columns are {', '.join(header)}"
            )
    explicit = {source: _parse_role(source, spec, label) for source, spec in mapping.items()}
    roles: dict[str, _Role] = {}
    if fmt == "google":
        for column in header:
            if column in GOOGLE_TIMESTAMP:
                roles[column] = _Role("timestamp")
            elif column in GOOGLE_EMAIL:
                roles[column] = _Role("customer_id")
    elif fmt == "typeform":
        stamp = (
            next(c for c in TYPEFORM_TIMESTAMP if c in header)
            if any(c in header for c in TYPEFORM_TIMESTAMP)
            else None
        )
        if stamp is not None:
            roles[stamp] = _Role("timestamp")
        if TYPEFORM_ID in header:
            roles[TYPEFORM_ID] = _Role("response_id")
    for column in header:
        if column in ROLES:
            roles[column] = _Role(column)
    taken = {r.role for r in roles.values()} | {
        r.role for r in explicit.values() if r.touchpoint is None and r.stage is None
    }
    if fmt != "generic":
        guessed: dict[str, list[str]] = {}
        for column in header:
            if column in roles or column in explicit:
                continue
            role = _question_role(column)
            if role is not None and role not in taken:
                guessed.setdefault(role, []).append(column)
        for role, found in guessed.items():
            if len(found) > 1:
                raise SurveyError(
                    f"{label}: several questions look like {role}: "
                    f"{', '.join(repr(c) for c in found)}; map them, e.g. "
                    f"--columns '{found[0]}={role}@<touchpoint>'"
                )
            roles[found[0]] = _Role(role)
    roles.update(explicit)
    plain = [(s, r.role) for s, r in roles.items() if r.touchpoint is None and r.stage is None]
    seen: dict[str, str] = {}
    for source, role in plain:
        if role in seen:
            raise SurveyError(
                f"{label}: columns {seen[role]!r} and {source!r} are both {role!r}; "
                "map one of them to another role"
            )
        seen[role] = source
    return roles


def _question_role(question: str) -> str | None:
    for role, pattern in QUESTION_PATTERNS:
        if pattern.search(question):
            return role
    return None


def _responses(
    raw: ibis.Table,
    roles: Mapping[str, _Role],
    label: str,
    *,
    touchpoint: str | None,
    stage: str | None,
    day_first: bool,
) -> ibis.Table:
    """One row per response and touchpoint/stage group, with typed columns (checks come after)."""
    identity = {r.role: raw[source] for source, r in roles.items() if r.role in IDENTITY_ROLES}
    constants = {"touchpoint": touchpoint, "stage": stage}
    for column, value in constants.items():
        if value is not None and column not in identity:
            identity[column] = ibis.literal(value, type=dt.string)
    groups = sorted({r.group for r in roles.values() if r.role in MEASURES}, key=str)
    qualified = any(g != (None, None) for g in groups)
    missing = [c for c in ("customer_id", "timestamp") if c not in identity]
    if not qualified and "touchpoint" not in identity and "stage" not in identity:
        missing.append("touchpoint or stage")
    if missing:
        raise SurveyError(
            f"{label}: missing column(s): {', '.join(missing)}; the columns are "
            f"{', '.join(raw.columns)}; map them with columns={{'<column>': '<role>'}} "
            f"(CLI: --columns '<column>=<role>'), or give touchpoint=/stage= (--touchpoint)"
        )
    if not groups:
        raise SurveyError(
            f"{label}: no survey answers found: no column is one of {', '.join(MEASURES)} "
            "or a recognised question; map them with --columns '<question>=csat'"
        )

    parts = []
    for tp, st in groups:
        measures = {
            r.role: raw[source]
            for source, r in roles.items()
            if r.group == (tp, st) and r.role in MEASURES
        }
        base = dict(identity)
        if tp is not None:
            base["touchpoint"] = ibis.literal(tp, type=dt.string)
        if st is not None:
            base["stage"] = ibis.literal(st, type=dt.string)
        select: dict[str, ibis.Value] = {}
        for column in (
            "customer_id",
            "response_id",
            "survey",
            "touchpoint",
            "stage",
            "persona",
            "segment",
        ):
            if column in base:
                select[column] = _text(base[column])
            elif column in ("touchpoint", "stage"):
                select[column] = ibis.null().cast(dt.string)
        select["timestamp_raw"] = base["timestamp"].cast(dt.string)
        select["timestamp"] = parse_timestamp(base["timestamp"].cast(dt.string), day_first)
        for measure in SCORE_RANGES:
            if measure in measures:
                text = _text(measures[measure])
                select[f"{measure}_raw"] = text
                select[measure] = text.re_extract(r"^\s*(-?\d+)", 1).nullif("").cast(dt.int32)
            else:
                select[f"{measure}_raw"] = ibis.null().cast(dt.string)
                select[measure] = ibis.null().cast(dt.int32)
        for measure in TEXT_MEASURES:
            select[measure] = (
                _text(measures[measure]) if measure in measures else ibis.null().cast(dt.string)
            )
        parts.append(raw.select(**select))
    table = parts[0]
    for part in parts[1:]:
        table = table.union(part)
    return table


def _text(value: ibis.Value) -> ibis.Value:
    """Trimmed text, with empty strings as null."""
    return value.cast(dt.string).strip().nullif("")


def parse_timestamp(text: ibis.Value, day_first: bool = False) -> ibis.Value:
    """UTC timestamps from ISO 8601 or the usual survey-export layouts (as an Ibis expression).

    Read: ISO 8601 with or without an offset; ``2024/03/15 1:23:45 PM GMT+1`` (Google Forms);
    ``15.03.2024 13:05`` (day.month.year); ``3/15/2024 13:05:00`` (month first, or day first
    with ``day_first``). Text without an offset is taken as UTC; unreadable text gives null.
    """
    iso = text.try_cast(dt.Timestamp(timezone="UTC"))
    month, day = (2, 1) if day_first else (1, 2)
    layouts = ((_YMD, (1, 2, 3)), (_DMY_DOTS, (3, 2, 1)), (_SLASHES, (3, month, day)))
    candidates = [iso]
    for pattern, (year, month, day) in layouts:
        candidates.append(
            _iso_text(text, pattern, year, month, day).try_cast(dt.Timestamp(timezone="UTC"))
        )
    return ibis.coalesce(*candidates).cast(dt.Timestamp())


def _iso_text(text: ibis.Value, pattern: str, year: int, month: int, day: int) -> ibis.Value:
    def group(k: int) -> ibis.Value:
        return text.re_extract(pattern, k).nullif("")

    def pad(value: ibis.Value) -> ibis.Value:
        return value.cast(dt.int32).cast(dt.string).lpad(2, "0")

    hour = group(4).cast(dt.int32).fill_null(0)
    half = group(7).upper()
    hour = ibis.cases((half == "PM", hour % 12 + 12), (half == "AM", hour % 12), else_=hour)
    sign_hours = group(8)
    offset = ibis.cases(
        (sign_hours.isnull(), ""),
        else_=sign_hours.substr(0, 1) + pad(sign_hours.substr(1)) + ":" + group(9).fill_null("00"),
    )
    return (
        group(year)
        + "-"
        + pad(group(month))
        + "-"
        + pad(group(day))
        + " "
        + pad(hour)
        + ":"
        + pad(group(5).fill_null("0"))
        + ":"
        + pad(group(6).fill_null("0"))
        + offset
    )


def _check(table: ibis.Table, roles: Mapping[str, _Role], label: str) -> None:
    """Count bad values in one query; raise naming the column and an example for the first."""
    sources: dict[str, str] = {}
    for source, r in roles.items():
        sources.setdefault(r.role, source)
    bad: dict[str, ibis.ir.BooleanValue] = {
        "customer_id": table.customer_id.isnull(),
        "timestamp": table.timestamp_raw.isnull() | table.timestamp.isnull(),
    }
    for measure, (low, high) in SCORE_RANGES.items():
        raw, score = table[f"{measure}_raw"], table[measure]
        bad[measure] = raw.notnull() & (score.isnull() | (score < low) | (score > high))
    counts = table.aggregate(**{f"n_{k}": v.cast(dt.int64).sum() for k, v in bad.items()})
    row = counts.to_pyarrow().to_pylist()[0]
    for key, condition in bad.items():
        n = row[f"n_{key}"] or 0
        if not n:
            continue
        source = sources.get(key, key)
        column = f"column {source!r}" + (f" ({key})" if source != key else "")
        if key == "customer_id":
            raise SurveyError(f"{label}: {column} is empty in {n} response(s)")
        raw = table.timestamp_raw if key == "timestamp" else table[f"{key}_raw"]
        example = table.filter(condition).select(v=raw).limit(1).to_pyarrow().column("v")[0]
        if key == "timestamp":
            what = "a date and time"
        else:
            low, high = SCORE_RANGES[key]
            what = f"a score from {low} to {high}"
        raise SurveyError(
            f"{label}: {column}: cannot read {example.as_py()!r} as {what} ({n} row(s))"
        )


def _drop_empty(table: ibis.Table) -> ibis.Table:
    """Drop helper columns and rows that answer nothing (a skipped question of a wide form)."""
    answered = ibis.or_(*(table[m].notnull() for m in MEASURES))
    keep = [c for c in table.columns if not c.endswith("_raw")]
    ordered = [c for c in RESPONSE_COLUMNS if c in keep] + [
        c for c in keep if c not in RESPONSE_COLUMNS
    ]
    return table.filter(answered).select(*ordered)
