"""Comment themes in English, Polish and Russian, and the top reasons for abandoning."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from journeymap.analytics.feedback_themes import (
    abandonment_reasons,
    detect_language,
    feedback_themes,
    negative_comments,
    stop_words,
)
from journeymap.data.engine import connect, load_table
from journeymap.data.surveys import RESPONSE_COLUMNS, SurveyResponses

# Three planted themes per language: the key word and comments that vary around it.
CORPORA = {
    "en": {
        "delivery": [
            "The delivery was late again",
            "Late delivery, the parcel came a week after",
            "My delivery was very late and nobody told me",
            "Delivery took too long, late by days",
            "The courier delivery was late",
            "Slow delivery, it was late",
            "Late delivery ruined the gift",
            "The delivery arrived late",
        ],
        "price": [
            "The price is too high",
            "Too expensive, the price went up",
            "High price for such quality",
            "The price was higher than in other shops, expensive",
            "Price is expensive for students",
            "I found a lower price elsewhere, this is expensive",
            "Expensive price and shipping",
            "The price feels too expensive",
        ],
        "app": [
            "The app crashed at login",
            "The mobile app keeps crashing",
            "App crashed twice while paying",
            "Your app crashed when I opened the cart",
            "The app is crashing on my phone",
            "App crashed and I lost the cart",
            "Crashed app, could not log in",
            "The app crashed again today",
        ],
    },
    "pl": {
        "dostawa": [
            "Dostawa była bardzo opóźniona",
            "Opóźniona dostawa, paczka przyszła po tygodniu",
            "Dostawa opóźniona i nikt mnie nie poinformował",
            "Kurier i dostawa znowu opóźniona",
            "Dostawa była opóźniona o trzy dni",
            "Znowu opóźniona dostawa",
            "Dostawa opóźniona, prezent przyszedł za późno",
            "Opóźniona dostawa to porażka",
        ],
        "cena": [
            "Cena jest za wysoka",
            "Za wysoka cena jak na taką jakość",
            "Cena wyższa niż w innych sklepach, drogo",
            "Wysoka cena i drogo za wysyłkę",
            "Cena za wysoka dla studentów",
            "Znalazłam niższą cenę gdzie indziej, tutaj drogo",
            "Cena bardzo wysoka",
            "Drogo, cena wysoka",
        ],
        "aplikacja": [
            "Aplikacja zawiesza się przy logowaniu",
            "Aplikacja ciągle się zawiesza",
            "Aplikacja zawiesiła się dwa razy przy płatności",
            "Aplikacja zawiesza się gdy otwieram koszyk",
            "Na moim telefonie aplikacja się zawiesza",
            "Aplikacja zawiesiła się i straciłam koszyk",
            "Aplikacja zawiesza się, nie mogę się zalogować",
            "Dzisiaj aplikacja znowu się zawiesza",
        ],
    },
    "ru": {
        "доставка": [
            "Доставка опять задержалась",
            "Доставка задержалась на неделю",
            "Доставка задержалась и никто не сообщил",
            "Курьер и доставка задержалась",
            "Доставка задержалась на три дня",
            "Снова доставка задержалась",
            "Доставка задержалась, подарок опоздал",
            "Доставка задержалась, это провал",
        ],
        "цена": [
            "Цена слишком высокая",
            "Высокая цена для такого качества",
            "Цена выше чем в других магазинах, дорого",
            "Высокая цена и дорого за доставку",
            "Цена высокая для студентов",
            "Нашла цену ниже, тут дорого",
            "Цена очень высокая",
            "Дорого, цена высокая",
        ],
        "приложение": [
            "Приложение зависает при входе",
            "Приложение постоянно зависает",
            "Приложение зависло дважды при оплате",
            "Приложение зависает когда открываю корзину",
            "На телефоне приложение зависает",
            "Приложение зависло и корзина пропала",
            "Приложение зависает, не могу войти",
            "Сегодня приложение снова зависает",
        ],
    },
}


def _responses(backend: BaseBackend, rows: list[dict[str, object]]) -> SurveyResponses:
    frame = pd.DataFrame(rows)
    for column in RESPONSE_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in ("csat", "nps", "ces"):
        frame[column] = frame[column].astype("Int32")
    for column in ("customer_id", "touchpoint", "stage", "comment", "abandon_reason"):
        frame[column] = frame[column].astype("string")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return SurveyResponses(load_table(backend, frame), source="test")


def _comments(texts: list[str], touchpoint: str = "shop") -> list[dict[str, object]]:
    return [
        {
            "customer_id": f"c{i}",
            "timestamp": datetime(2024, 1, 1),
            "touchpoint": touchpoint,
            "comment": text,
        }
        for i, text in enumerate(texts)
    ]


@pytest.mark.parametrize("language", ["en", "pl", "ru"])
def test_planted_themes_are_found_in_each_language(language: str) -> None:
    corpus = CORPORA[language]
    texts = [text for comments in corpus.values() for text in comments]
    result = feedback_themes(_responses(connect(), _comments(texts)))
    (group,) = result.groups
    assert group.language == language
    assert len(group.themes) == 3
    found = {}
    for theme in group.themes:
        planted = [key for key in corpus if key in theme.terms[:3]]
        assert len(planted) == 1, theme.terms
        found[planted[0]] = theme
    assert set(found) == set(corpus)
    for key, theme in found.items():
        assert theme.comments == 8
        assert all(example in corpus[key] for example in theme.examples)


def test_stop_words_are_not_theme_terms() -> None:
    texts = [text for comments in CORPORA["en"].values() for text in comments]
    (group,) = feedback_themes(_responses(connect(), _comments(texts))).groups
    terms = {term for theme in group.themes for term in theme.terms}
    assert not terms & stop_words("en")


def test_themes_are_found_per_touchpoint() -> None:
    rows = _comments(CORPORA["en"]["delivery"], "tp-delivery") + _comments(
        CORPORA["en"]["app"], "tp-app"
    )
    result = feedback_themes(_responses(connect(), rows), by="touchpoint")
    assert [g.key for g in result.groups] == ["tp-app", "tp-delivery"]
    assert "app" in result.groups[0].themes[0].terms
    assert "delivery" in result.groups[1].themes[0].terms


def test_few_comments_make_one_theme() -> None:
    result = feedback_themes(_responses(connect(), _comments(CORPORA["en"]["price"][:4])))
    (group,) = result.groups
    assert len(group.themes) == 1
    assert group.themes[0].comments == 4
    assert group.silhouette is None


def test_stop_word_lists_ship_a_few_hundred_words_each() -> None:
    for language in ("en", "pl", "ru"):
        assert len(stop_words(language)) >= 250
    assert {"the", "and"} <= stop_words("en")
    assert {"się", "jest"} <= stop_words("pl")
    assert {"это", "что"} <= stop_words("ru")


def test_language_is_detected_from_the_comments() -> None:
    assert detect_language(CORPORA["en"]["app"]) == "en"
    assert detect_language(CORPORA["pl"]["aplikacja"]) == "pl"
    assert detect_language(CORPORA["ru"]["цена"]) == "ru"


def test_top_abandon_reasons_are_counted_ignoring_case_and_spaces(backend: BaseBackend) -> None:
    reasons = ["Too expensive"] * 3 + ["too  expensive "] + ["No size"] * 2 + ["Just browsing"]
    rows = [
        {"customer_id": f"c{i}", "timestamp": datetime(2024, 1, 1), "abandon_reason": reason}
        for i, reason in enumerate([*reasons, None])
    ]
    result = abandonment_reasons(_responses(backend, rows), top=2)
    assert result.total == 7
    assert [(r.reason, r.count) for r in result.reasons] == [
        ("Too expensive", 4),
        ("No size", 2),
    ]
    assert result.reasons[0].share == pytest.approx(4 / 7)


def test_negative_comments_are_those_on_a_low_score(backend: BaseBackend) -> None:
    day = datetime(2024, 1, 1)
    rows: list[dict[str, object]] = [
        # pay: CSAT 1 and 2, NPS 6 and CES 3 are low; CSAT 3, NPS 7 and CES 4 are not
        {"touchpoint": "pay", "csat": 1, "comment": "Card refused twice"},
        {"touchpoint": "pay", "csat": 2, "comment": "Card refused twice"},
        {"touchpoint": "pay", "nps": 6, "comment": "Slow bank page"},
        {"touchpoint": "pay", "ces": 3, "comment": "Too many steps"},
        {"touchpoint": "pay", "csat": 3, "comment": "It worked"},
        {"touchpoint": "pay", "nps": 7, "comment": "Fine"},
        {"touchpoint": "pay", "ces": 4, "comment": "OK"},
        {"touchpoint": "pay", "comment": "terrible, no score given"},  # unscored: not counted
        {"touchpoint": "pay", "csat": 1, "comment": "  "},  # blank: not a comment
        {"touchpoint": "shop", "csat": 5, "comment": "Lovely"},
    ]
    rows = [{"customer_id": f"c{i}", "timestamp": day, **r} for i, r in enumerate(rows)]
    result = negative_comments(_responses(backend, rows), examples=2)
    pay, shop = result.groups
    assert (pay.key, pay.comments, pay.negative) == ("pay", 7, 4)
    assert pay.share == pytest.approx(4 / 7)
    assert pay.examples == ("Card refused twice", "Slow bank page")
    assert (shop.key, shop.comments, shop.negative, shop.examples) == ("shop", 1, 0, ())
