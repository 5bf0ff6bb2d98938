"""django-ninja's 422 answers to requests that do not parse, in the request's language.

Each error keeps Pydantic's structure (``type``, ``loc``, ``msg``, ``ctx``); only ``msg`` is
translated, by ``type``, with the values of ``ctx``. In English, and for a type this catalogue
does not know, Pydantic's own message is kept.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext, gettext_noop

MESSAGES = {
    "missing": gettext_noop("Field required"),
    "extra_forbidden": gettext_noop("Extra inputs are not permitted"),
    "string_type": gettext_noop("Input should be a valid string"),
    "string_too_short": gettext_noop("String should have at least %(min_length)d characters"),
    "string_too_long": gettext_noop("String should have at most %(max_length)d characters"),
    "string_pattern_mismatch": gettext_noop("String should match pattern '%(pattern)s'"),
    "int_type": gettext_noop("Input should be a valid integer"),
    "int_parsing": gettext_noop(
        "Input should be a valid integer, unable to parse string as an integer"
    ),
    "float_type": gettext_noop("Input should be a valid number"),
    "float_parsing": gettext_noop(
        "Input should be a valid number, unable to parse string as a number"
    ),
    "bool_type": gettext_noop("Input should be a valid boolean"),
    "bool_parsing": gettext_noop("Input should be a valid boolean, unable to interpret input"),
    "literal_error": gettext_noop("Input should be %(expected)s"),
    "enum": gettext_noop("Input should be %(expected)s"),
    "greater_than": gettext_noop("Input should be greater than %(gt)s"),
    "greater_than_equal": gettext_noop("Input should be greater than or equal to %(ge)s"),
    "less_than": gettext_noop("Input should be less than %(lt)s"),
    "less_than_equal": gettext_noop("Input should be less than or equal to %(le)s"),
    "too_short": gettext_noop("Should have at least %(min_length)d items, not %(actual_length)s"),
    "too_long": gettext_noop("Should have at most %(max_length)d items, not %(actual_length)s"),
    "list_type": gettext_noop("Input should be a valid list"),
    "datetime_type": gettext_noop("Input should be a valid datetime"),
    "datetime_parsing": gettext_noop("Input should be a valid datetime, %(error)s"),
    "datetime_from_date_parsing": gettext_noop(
        "Input should be a valid datetime or date, %(error)s"
    ),
    "date_type": gettext_noop("Input should be a valid date"),
    "date_parsing": gettext_noop(
        "Input should be a valid date in the format YYYY-MM-DD, %(error)s"
    ),
    "date_from_datetime_parsing": gettext_noop(
        "Input should be a valid date or datetime, %(error)s"
    ),
    "value_error": gettext_noop("Value error, %(error)s"),
    "json_invalid": gettext_noop("Invalid JSON: %(error)s"),
    "dict_type": gettext_noop("Input should be a valid dictionary"),
    "model_attributes_type": gettext_noop(
        "Input should be a valid dictionary or object to extract fields from"
    ),
}


def validation_message(error: dict[str, Any]) -> str:
    """The ``msg`` of one Pydantic error in the active language (Pydantic's own in English)."""
    template = MESSAGES.get(error["type"])
    if template is None or (get_language() or "en").startswith("en"):
        return str(error["msg"])
    try:
        return gettext(template) % error.get("ctx", {})
    except (KeyError, TypeError, ValueError):
        return str(error["msg"])


def translated_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors as they are, each with its ``msg`` in the active language."""
    return [{**error, "msg": validation_message(error)} for error in errors]
