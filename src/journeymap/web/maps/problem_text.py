"""Problems of map documents (:mod:`journeymap.map.validation`) in the reader's language.

The map package knows no Django: it gives every problem a stable code and its values, and
an English message (the CLI's). This catalogue holds the same texts by code for translation;
in English the map package's own message is shown, so the web app and the CLI say the same.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_noop

from journeymap.map.validation import MapValidationError, Problem

PROBLEMS = {
    "not_a_mapping": gettext_noop("a map must be a mapping of fields, not %(type)s"),
    "schema_version": gettext_noop(
        "unsupported schema_version %(version)r: this journeymap reads version %(supported)d;"
        " upgrade journeymap to read newer maps"
    ),
    "duplicate_id": gettext_noop("duplicate id %(id)r (first used at %(first)s)"),
    "unknown_stage": gettext_noop("unknown stage %(stage)r"),
    "unknown_lane": gettext_noop("unknown lane %(lane)r"),
    "second_cell": gettext_noop(
        "second cell for lane %(lane)r and stage %(stage)r (the first is cells[%(first)d]);"
        " put all items in one cell"
    ),
    "kind_not_in_lane": gettext_noop(
        "a %(kind)r item cannot go in lane %(lane)r of kind %(lane_kind)r (allowed: %(allowed)s)"
    ),
    "no_such_step": gettext_noop("stage %(stage)r has no step %(step)r"),
    "second_emotion_in_step": gettext_noop(
        "more than one emotion score for step %(step)r in this lane"
    ),
    "second_emotion_in_stage": gettext_noop(
        "more than one emotion score for stage %(stage)r in this lane"
    ),
    "score_range": gettext_noop(
        "an emotion score must be from -2 (very negative) to +2 (very positive) (got %(input)r)"
    ),
    "severity_range": gettext_noop(
        "severity must be 1 (minor), 2 (major) or 3 (critical) (got %(input)r)"
    ),
    "bad_id": gettext_noop(
        "%(input)r is not a valid id: use lower-case letters, digits, '-' and '_', starting with"
        " a letter or digit"
    ),
    "bad_language": gettext_noop("%(input)r is not a language code such as 'en' or 'pt-BR'"),
    "extra_forbidden": gettext_noop("unknown field"),
    "missing": gettext_noop("required field is missing"),
    "unknown_item_kind": gettext_noop("unknown item kind %(kind)r"),
    "yaml_syntax": gettext_noop("YAML syntax error: %(reason)s"),
    "json_syntax": gettext_noop("JSON syntax error: %(reason)s (column %(column)d)"),
    "duplicate_key": gettext_noop("key appears twice in the same mapping"),
    "unknown_file_type": gettext_noop("unknown map file type %(suffix)r: use .yaml, .yml or .json"),
    "file_not_found": gettext_noop("file not found"),
    "not_utf8": gettext_noop("file is not UTF-8 text"),
    "not_personas": gettext_noop("expected a list of personas, or a mapping with only 'personas:'"),
    "no_personas": gettext_noop("the file holds no personas"),
    "unknown_template": gettext_noop("unknown template %(template)r; available: %(available)s"),
    "no_template_language": gettext_noop(
        "template %(template)r has no language %(language)r; available: %(available)s"
    ),
    # Pydantic's checks of single fields (in English Pydantic's own message is shown).
    "at_least": gettext_noop("must be at least %(limit)s (got %(input)r)"),
    "at_most": gettext_noop("must be at most %(limit)s (got %(input)r)"),
    "more_than": gettext_noop("must be more than %(limit)s (got %(input)r)"),
    "less_than": gettext_noop("must be less than %(limit)s (got %(input)r)"),
    "empty_text": gettext_noop("must not be empty"),
    "too_long_text": gettext_noop("must be at most %(max)d characters long"),
    "not_one_of": gettext_noop("must be one of: %(expected)s"),
    "not_text": gettext_noop("must be text"),
    "not_whole_number": gettext_noop("must be a whole number"),
    "not_number": gettext_noop("must be a number"),
    "not_boolean": gettext_noop("must be true or false"),
    "not_list": gettext_noop("must be a list"),
    "not_mapping": gettext_noop("must be a mapping of fields"),
    "not_date": gettext_noop("must be a date (YYYY-MM-DD)"),
}


def problem_text(problem: Problem) -> str:
    """What is wrong, in the active language (a problem without a known code: its message)."""
    if (get_language() or "en").startswith("en") or problem.code not in PROBLEMS:
        return problem.message
    return gettext(PROBLEMS[problem.code]) % problem.params


def problem_messages(exc: MapValidationError) -> list[str]:
    """Every problem of ``exc`` with its file, line and field, in the active language."""
    return [problem.describe(exc.source, problem_text(problem)) for problem in exc.problems]
