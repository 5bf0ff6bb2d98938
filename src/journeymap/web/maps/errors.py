"""Edit errors as field-level messages in the reader's language: ``{field: message}`` for
forms and API payloads."""

from __future__ import annotations

from pydantic import ValidationError

from journeymap.map.validation import MapValidationError, problems_from_pydantic
from journeymap.web.maps.operations import OPERATION_NAMES, OperationError
from journeymap.web.maps.problem_text import problem_text
from journeymap.web.summaries import translate_summary

NON_FIELD = "__all__"


def _field_of(loc: tuple[str | int, ...]) -> str:
    names = [p for p in loc if isinstance(p, str) and p not in OPERATION_NAMES and p != "fields"]
    return names[-1] if names else NON_FIELD


def field_errors(exc: ValidationError | MapValidationError | OperationError) -> dict[str, str]:
    """The errors of a refused edit by field name (``__all__`` for the whole edit)."""
    errors: dict[str, str] = {}

    def add(name: str, message: str) -> None:
        errors[name] = f"{errors[name]}; {message}" if name in errors else message

    if isinstance(exc, OperationError):
        add(exc.field, translate_summary(exc.message))
    elif isinstance(exc, MapValidationError):
        for problem in exc.problems:
            add(_field_of(problem.loc), problem_text(problem))
    else:
        for err, problem in zip(exc.errors(), problems_from_pydantic(exc), strict=True):
            add(_field_of(tuple(err["loc"])), problem_text(problem))
    return errors
