"""Where event data lives on disk: a file, a glob or a directory, and in which format."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from journeymap.data.events import EventsError

FILE_FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl")
_SUFFIXES: dict[str, str] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
_COMPRESSION = (".gz", ".zst", ".bz2")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class SourceFiles:
    """The concrete files behind a source argument, and their format."""

    label: str
    files: tuple[str, ...]
    format: str


def format_of(path: str | Path) -> str | None:
    """The file format a name suggests by its suffix (``.csv.gz`` counts as csv), or None."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION:
        suffixes = suffixes[:-1]
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def resolve_source(source: str | Path, file_format: str | None = None) -> SourceFiles:
    """Expand ``source`` (a file, a glob or a directory) into files of one format.

    ``file_format`` forces a format (``parquet``, ``csv``, ``jsonl``); otherwise the file suffixes
    decide. Hidden files and Spark/Hadoop markers (``_SUCCESS``) in directories are skipped.
    """
    label = str(source)
    if file_format is not None and file_format not in FILE_FORMATS:
        raise EventsError(
            f"{label}: unknown format {file_format!r}; expected one of {', '.join(FILE_FORMATS)}"
        )
    path = Path(source)
    if any(ch in label for ch in _GLOB_CHARS):
        files = sorted(
            p
            for p in glob.glob(label, recursive=True)  # noqa: PTH207 - absolute patterns
            if Path(p).is_file()
        )
        if not files:
            raise EventsError(f"{label}: no files match this pattern")
    elif path.is_dir():
        files = sorted(
            str(p)
            for p in path.rglob("*")
            if p.is_file()
            and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
        )
        if file_format is None:
            files = [f for f in files if format_of(f) is not None]
        else:
            files = [f for f in files if format_of(f) in (file_format, None)]
        if not files:
            raise EventsError(f"{label}: directory holds no event files (.parquet, .csv, .jsonl)")
    elif path.is_file():
        files = [str(path)]
    else:
        raise EventsError(f"{label}: no such file or directory")

    fmt = file_format or _common_format(label, files)
    for name in files:
        if Path(name).stat().st_size == 0:
            raise EventsError(f"{name}: file is empty")
    return SourceFiles(label=label, files=tuple(files), format=fmt)


def _common_format(label: str, files: list[str]) -> str:
    formats = {format_of(f) for f in files}
    if None in formats:
        unknown = next(f for f in files if format_of(f) is None)
        raise EventsError(
            f"{unknown}: unknown format (suffix {Path(unknown).suffix or 'missing'}); "
            f"pass format= one of {', '.join(FILE_FORMATS)}"
        )
    if len(formats) > 1:
        raise EventsError(
            f"{label}: files of several formats ({', '.join(sorted(map(str, formats)))}); "
            "pass format= to choose one"
        )
    return str(formats.pop())
