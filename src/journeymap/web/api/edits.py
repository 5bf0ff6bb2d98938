"""The API's answer to an edit of a map (an operation, undo, a persona link): the new revision,
or why it was not stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Status

from journeymap.map.validation import MapValidationError
from journeymap.web.api.schemas import ConflictOut, EditOut, ErrorOut, conflict, validation_errors
from journeymap.web.maps.errors import field_errors
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import OperationError
from journeymap.web.maps.permissions import map_access
from journeymap.web.maps.services import NothingToUndoError, StaleRevisionError
from journeymap.web.workspaces.permissions import Action

EDIT_ANSWERS = {200: EditOut, 409: ConflictOut, 422: ErrorOut}


def edit_answer(
    request: HttpRequest, map_id: int, call: Callable[[], tuple[Map, str]]
) -> Status[dict[str, Any]]:
    """Run the edit ``call`` if the user may edit the map: 200 with the new revision, summary
    and document; 409 with the current map when it is stale; 422 with the field errors."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    try:
        journey_map, summary = call()
    except StaleRevisionError as exc:
        return Status(409, conflict(exc))
    except (MapValidationError, OperationError) as exc:
        errors = field_errors(exc)
        return Status(422, {"detail": "; ".join(errors.values()), "errors": errors})
    except ValidationError as exc:
        return Status(422, validation_errors(exc))
    except NothingToUndoError:
        return Status(422, {"detail": gettext("There is no edit to undo."), "errors": {}})
    return Status(
        200,
        {"revision": journey_map.revision, "summary": summary, "document": journey_map.document},
    )
