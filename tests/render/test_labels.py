"""The fixed words of a rendered map: complete in every language, numbers written locally."""

from __future__ import annotations

from journeymap.render.labels import _CATALOGS, Labels, supported_languages


def test_every_language_has_every_word() -> None:
    english = set(_CATALOGS["en"])
    for language in supported_languages():
        assert set(_CATALOGS[language]) == english, language


def test_unknown_language_falls_back_to_english_and_regions_are_ignored() -> None:
    assert Labels("de")["goal"] == "Goal of the map"
    assert Labels("pl-PL")["goal"] == "Cel mapy"


def test_numbers_and_quantities_follow_the_language() -> None:
    assert Labels("en").number(12500.5) == "12,500.5"
    assert Labels("pl").number(12500.5) == "12\u00a0500,5"
    assert Labels("ru").number(48.0) == "48"
    assert Labels("en").quantity(48, "%") == "48%"
    assert Labels("en").quantity(3.25, "min") == "3.25\u00a0min"
    assert Labels("en").quantity(7, None) == "7"
    assert Labels("ru").format("votes", n=3) == "голосов: 3"
