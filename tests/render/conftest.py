"""Maps to render: a full one (every lane kind), a 12-stage one, and Polish and Russian ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from journeymap.map.io import load_map, parse_map
from journeymap.map.model import JourneyMap

HERE = Path(__file__).parent

WIDE_STAGES = [
    "Need",
    "Search",
    "Awareness",
    "Consideration",
    "Decision",
    "Purchase",
    "Delivery",
    "First use",
    "Support",
    "Review",
    "Recommendation",
    "Repurchase",
]

POLISH_MAP = """
id: sklep
title: Sklep odzieżowy — ścieżka zakupu
goal: Zrozumieć, dlaczego klientki porzucają koszyk
language: pl
personas:
  - id: ola
    name: Aleksandra Żółkiewska
    segment: Studentki, 18-25
    quote: "Chcę szybko znaleźć coś ładnego w dobrej cenie."
    goals: [Modne ubrania za rozsądną cenę]
    empathy: {feels: [Zniecierpliwienie]}
stages:
  - {id: odkrycie, title: Odkrycie}
  - {id: koszyk, title: Dodanie do koszyka}
  - {id: platnosc, title: Płatność}
lanes:
  - {id: punkty, kind: touchpoints, title: Punkty styku}
  - {id: emocje, kind: emotions, title: Emocje}
  - {id: bole, kind: pain_points, title: Problemy}
cells:
  - lane: punkty
    stage: odkrycie
    items: [{id: reklama, kind: touchpoint, text: Reklama na Instagramie, channel: social}]
  - lane: emocje
    stage: odkrycie
    items: [{id: e1, kind: emotion, text: Zaciekawienie, score: 1}]
  - lane: emocje
    stage: platnosc
    items: [{id: e2, kind: emotion, text: Złość na koszty dostawy, score: -2}]
  - lane: bole
    stage: platnosc
    items: [{id: b1, kind: pain_point, text: Żółty przycisk „Zapłać” jest niewidoczny, severity: 3}]
"""

RUSSIAN_MAP = """
id: magazin
title: Путь покупателя интернет-магазина
goal: Понять, почему клиенты уходят на этапе оплаты
language: ru
state: future
personas:
  - id: anna
    name: Анна Смирнова
    segment: Молодые специалисты
    quote: "Хочу оплатить заказ в два клика."
    pains: [Долгая доставка]
stages:
  - {id: poisk, title: Поиск товара}
  - {id: oplata, title: Оплата}
  - {id: dostavka, title: Доставка}
lanes:
  - {id: tochki, kind: touchpoints, title: Точки контакта}
  - {id: emocii, kind: emotions, title: Эмоции}
  - {id: boli, kind: pain_points, title: Боли}
  - {id: plan, kind: action_plan, title: План действий}
cells:
  - lane: tochki
    stage: poisk
    items: [{id: poisk-sajt, kind: touchpoint, text: Поиск на сайте, channel: web}]
  - lane: emocii
    stage: poisk
    items: [{id: e1, kind: emotion, text: Интерес, score: 1}]
  - lane: emocii
    stage: oplata
    items: [{id: e2, kind: emotion, text: Раздражение, score: -1}]
  - lane: boli
    stage: oplata
    items: [{id: b1, kind: pain_point, text: Ошибка при оплате картой, severity: 2}]
  - lane: plan
    stage: dostavka
    items:
      - {id: d1, kind: action, text: Добавить курьерскую доставку, owner: Иван, action_status: todo}
"""


def wide_map_data(n_stages: int = 12) -> dict[str, Any]:
    """A map with ``n_stages`` stages, several lanes and a score at every stage."""
    stages = [{"id": f"s{n}", "title": WIDE_STAGES[n % 12]} for n in range(n_stages)]
    lanes = [
        {"id": "tp", "kind": "touchpoints", "title": "Touchpoints"},
        {"id": "emo", "kind": "emotions", "title": "Emotions"},
        {"id": "pain", "kind": "pain_points", "title": "Pain points"},
        {"id": "opp", "kind": "opportunities", "title": "Opportunities"},
        {"id": "kpi", "kind": "metrics", "title": "Metrics"},
    ]
    cells = []
    for n, stage in enumerate(stages):
        cells += [
            {
                "lane": "tp",
                "stage": stage["id"],
                "items": [
                    {
                        "id": f"tp{n}",
                        "kind": "touchpoint",
                        "text": f"Touchpoint number {n + 1} on the website",
                        "channel": "web",
                    }
                ],
            },
            {
                "lane": "emo",
                "stage": stage["id"],
                "items": [
                    {
                        "id": f"e{n}",
                        "kind": "emotion",
                        "text": f"Feeling {n + 1}",
                        "score": n % 5 - 2,
                    }
                ],
            },
            {
                "lane": "pain",
                "stage": stage["id"],
                "items": [
                    {
                        "id": f"p{n}",
                        "kind": "pain_point",
                        "text": f"Pain point {n + 1} that takes a few lines of text to explain",
                        "severity": n % 3 + 1,
                    }
                ],
            },
            {
                "lane": "opp",
                "stage": stage["id"],
                "items": [{"id": f"o{n}", "kind": "opportunity", "text": f"Opportunity {n + 1}"}],
            },
            {
                "lane": "kpi",
                "stage": stage["id"],
                "items": [
                    {
                        "id": f"k{n}",
                        "kind": "metric",
                        "text": f"Conversion {n + 1}",
                        "unit": "%",
                        "target": 50,
                        "current": 30 + 3 * n,
                    }
                ],
            },
        ]
    return {
        "id": "wide",
        "title": "Twelve stages",
        "goal": "See the whole lifecycle",
        "stages": stages,
        "lanes": lanes,
        "cells": cells,
    }


@pytest.fixture(scope="session")
def pixel_png_uri() -> str:
    """A 1x1 PNG as a data: URI."""
    return (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
        "hwGA60e6kgAAAABJRU5ErkJggg=="
    )


@pytest.fixture(scope="session")
def full_map() -> JourneyMap:
    """A six-stage map with a lane of every kind, evidence, suggested and rejected items."""
    return load_map(HERE / "full_map.yaml")


@pytest.fixture(scope="session")
def wide_map() -> JourneyMap:
    """A twelve-stage map: too wide for one sheet."""
    return JourneyMap.model_validate(wide_map_data(12))


@pytest.fixture(scope="session")
def polish_map() -> JourneyMap:
    return parse_map(POLISH_MAP, source="polish.yaml")


@pytest.fixture(scope="session")
def russian_map() -> JourneyMap:
    return parse_map(RUSSIAN_MAP, source="russian.yaml")


@pytest.fixture(scope="session")
def minimal_map() -> JourneyMap:
    return load_map(HERE.parent / "map" / "sample_minimal.yaml")


@pytest.fixture(scope="session")
def full_pdf(full_map: JourneyMap) -> bytes:
    """The full map's PDF, rendered once per test session (WeasyPrint takes seconds)."""
    from journeymap.render.pdf import render_pdf

    return render_pdf(full_map)


@pytest.fixture(scope="session")
def wide_pdf(wide_map: JourneyMap) -> bytes:
    from journeymap.render.pdf import render_pdf

    return render_pdf(wide_map)
