"""Answer schemas shared by the API's routers: field errors, edits and revision conflicts.

Their ``detail`` and error messages are in the request's language (``Accept-Language``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import Field

from journeymap.web.maps.services import StaleRevisionError
from journeymap.web.summaries import translate_summary


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


class EditOut(Schema):
    revision: int
    summary: str
    document: dict[str, Any]


class ConflictOut(Schema):
    detail: str
    revision: int
    document: dict[str, Any]


def validation_errors(exc: ValidationError) -> dict[str, Any]:
    """A service's ValidationError as the body of a 422 answer (``{field: message}``)."""
    if hasattr(exc, "error_dict"):
        errors = {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": " ".join(exc.messages)}
    return {"detail": "; ".join(errors.values()), "errors": errors}


def conflict(exc: StaleRevisionError) -> dict[str, Any]:
    """A stale edit as the body of a 409 answer: why, and the current revision and document."""
    fresh = exc.map
    return {
        "detail": translate_summary(exc.summary),
        "revision": fresh.revision,
        "document": fresh.document,
    }
