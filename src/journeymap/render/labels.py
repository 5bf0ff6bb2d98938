"""The fixed words of a rendered map (headings, chips, legends) in English, Polish and Russian."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

_EN: dict[str, str] = {
    "goal": "Goal of the map",
    "scenario": "Scenario",
    "owner": "Owner",
    "state.current": "Current state",
    "state.future": "Future state",
    "persona.ref": "Persona from the library",
    "persona.size": "{share} of customers",
    "persona.data_backed": "Backed by data",
    "persona.goals": "Goals",
    "persona.needs": "Needs",
    "persona.pains": "Pains",
    "persona.expectations": "Expectations",
    "persona.motivations": "Motivations",
    "persona.values": "Values",
    "persona.media": "Media",
    "persona.sources": "Sources",
    "empathy": "Empathy map",
    "empathy.says": "Says",
    "empathy.thinks": "Thinks",
    "empathy.does": "Does",
    "empathy.feels": "Feels",
    "stages": "Stages",
    "part": "Stages {first}–{last} of {total}",
    "suggested": "Suggested",
    "origin.customer": "Customer",
    "origin.team": "Team",
    "stay": "Stay",
    "leave": "Leave",
    "target": "target",
    "on_target": "on target",
    "off_target": "off target",
    "no_value": "no data yet",
    "votes": "{n} votes",
    "severity.1": "Minor",
    "severity.2": "Major",
    "severity.3": "Critical",
    "status.todo": "To do",
    "status.in_progress": "In progress",
    "status.done": "Done",
    "status.blocked": "Blocked",
    "lens.value": "Value",
    "lens.cost": "Cost",
    "lens.convenience": "Convenience",
    "lens.communication": "Communication",
    "source.analytics": "Analytics",
    "source.survey": "Survey",
    "source.interview": "Interview",
    "source.usability_test": "Usability test",
    "source.support_log": "Support log",
    "source.observation": "Observation",
    "source.assumption": "Assumption",
    "emotion.none": "No emotion data",
    "line_of_visibility": "Line of visibility",
    "page": "Page",
    "of": "of",
    "md.personas": "Personas",
    "md.stages": "Journey by stage",
    "md.pain_points": "Pain points by severity",
    "md.action_plan": "Action plan",
    "md.emotions": "Emotion curve",
    "md.action": "Action",
    "md.owner": "Owner",
    "md.due": "Due",
    "md.status": "Status",
    "md.stage": "Stage",
    "md.severity": "Severity",
    "md.pain_point": "Pain point",
    "md.none": "None yet.",
    "md.steps": "Steps",
    "md.score": "Score",
    "md.emotion": "Emotion",
}

_PL: dict[str, str] = {
    "goal": "Cel mapy",
    "scenario": "Scenariusz",
    "owner": "Właściciel",
    "state.current": "Stan obecny",
    "state.future": "Stan docelowy",
    "persona.ref": "Persona z biblioteki",
    "persona.size": "{share} klientów",
    "persona.data_backed": "Oparta na danych",
    "persona.goals": "Cele",
    "persona.needs": "Potrzeby",
    "persona.pains": "Problemy",
    "persona.expectations": "Oczekiwania",
    "persona.motivations": "Motywacje",
    "persona.values": "Wartości",
    "persona.media": "Media",
    "persona.sources": "Źródła",
    "empathy": "Mapa empatii",
    "empathy.says": "Mówi",
    "empathy.thinks": "Myśli",
    "empathy.does": "Robi",
    "empathy.feels": "Czuje",
    "stages": "Etapy",
    "part": "Etapy {first}–{last} z {total}",
    "suggested": "Propozycja",
    "origin.customer": "Klient",
    "origin.team": "Zespół",
    "stay": "Zostaje",
    "leave": "Odchodzi",
    "target": "cel",
    "on_target": "cel osiągnięty",
    "off_target": "poniżej celu",
    "no_value": "brak danych",
    "votes": "głosy: {n}",
    "severity.1": "Drobny",
    "severity.2": "Poważny",
    "severity.3": "Krytyczny",
    "status.todo": "Do zrobienia",
    "status.in_progress": "W toku",
    "status.done": "Zrobione",
    "status.blocked": "Zablokowane",
    "lens.value": "Wartość",
    "lens.cost": "Koszt",
    "lens.convenience": "Wygoda",
    "lens.communication": "Komunikacja",
    "source.analytics": "Analityka",
    "source.survey": "Ankieta",
    "source.interview": "Wywiad",
    "source.usability_test": "Test użyteczności",
    "source.support_log": "Zgłoszenia",
    "source.observation": "Obserwacja",
    "source.assumption": "Założenie",
    "emotion.none": "Brak danych o emocjach",
    "line_of_visibility": "Linia widoczności",
    "page": "Strona",
    "of": "z",
    "md.personas": "Persony",
    "md.stages": "Ścieżka według etapów",
    "md.pain_points": "Problemy według wagi",
    "md.action_plan": "Plan działań",
    "md.emotions": "Krzywa emocji",
    "md.action": "Działanie",
    "md.owner": "Właściciel",
    "md.due": "Termin",
    "md.status": "Status",
    "md.stage": "Etap",
    "md.severity": "Waga",
    "md.pain_point": "Problem",
    "md.none": "Brak.",
    "md.steps": "Kroki",
    "md.score": "Ocena",
    "md.emotion": "Emocja",
}

_RU: dict[str, str] = {
    "goal": "Цель карты",
    "scenario": "Сценарий",
    "owner": "Владелец",
    "state.current": "Текущее состояние",
    "state.future": "Целевое состояние",
    "persona.ref": "Персона из библиотеки",
    "persona.size": "{share} клиентов",
    "persona.data_backed": "Основана на данных",
    "persona.goals": "Цели",
    "persona.needs": "Потребности",
    "persona.pains": "Боли",
    "persona.expectations": "Ожидания",
    "persona.motivations": "Мотивы",
    "persona.values": "Ценности",
    "persona.media": "Медиа",
    "persona.sources": "Источники",
    "empathy": "Карта эмпатии",
    "empathy.says": "Говорит",
    "empathy.thinks": "Думает",
    "empathy.does": "Делает",
    "empathy.feels": "Чувствует",
    "stages": "Этапы",
    "part": "Этапы {first}–{last} из {total}",
    "suggested": "Предложение",
    "origin.customer": "Клиент",
    "origin.team": "Команда",
    "stay": "Остаётся",
    "leave": "Уходит",
    "target": "цель",
    "on_target": "цель достигнута",
    "off_target": "ниже цели",
    "no_value": "нет данных",
    "votes": "голосов: {n}",
    "severity.1": "Низкая",
    "severity.2": "Высокая",
    "severity.3": "Критичная",
    "status.todo": "К выполнению",
    "status.in_progress": "В работе",
    "status.done": "Готово",
    "status.blocked": "Заблокировано",
    "lens.value": "Ценность",
    "lens.cost": "Стоимость",
    "lens.convenience": "Удобство",
    "lens.communication": "Коммуникация",
    "source.analytics": "Аналитика",
    "source.survey": "Опрос",
    "source.interview": "Интервью",
    "source.usability_test": "Юзабилити-тест",
    "source.support_log": "Обращения",
    "source.observation": "Наблюдение",
    "source.assumption": "Гипотеза",
    "emotion.none": "Нет данных об эмоциях",
    "line_of_visibility": "Линия видимости",
    "page": "Страница",
    "of": "из",
    "md.personas": "Персоны",
    "md.stages": "Путь по этапам",
    "md.pain_points": "Боли по критичности",
    "md.action_plan": "План действий",
    "md.emotions": "Кривая эмоций",
    "md.action": "Действие",
    "md.owner": "Владелец",
    "md.due": "Срок",
    "md.status": "Статус",
    "md.stage": "Этап",
    "md.severity": "Критичность",
    "md.pain_point": "Боль",
    "md.none": "Пока нет.",
    "md.steps": "Шаги",
    "md.score": "Оценка",
    "md.emotion": "Эмоция",
}

_CATALOGS: dict[str, dict[str, str]] = {"en": _EN, "pl": _PL, "ru": _RU}
_COMMA_DECIMALS = frozenset({"pl", "ru"})


class Labels(Mapping[str, str]):
    """The words for one language (``'pl'``, ``'ru-RU'``...), falling back to English per key."""

    def __init__(self, language: str) -> None:
        self.language = language.split("-")[0].lower()
        self._words = {**_EN, **_CATALOGS.get(self.language, {})}

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def format(self, key: str, **values: object) -> str:
        """The word for ``key`` with ``{placeholders}`` filled in."""
        return self._words[key].format(**values)

    def number(self, value: float) -> str:
        """``12500.5`` as ``12,500.5`` in English, ``12 500,5`` in Polish and Russian."""
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
        if self.language in _COMMA_DECIMALS:
            text = text.replace(",", "\u00a0").replace(".", ",")
        return text

    def quantity(self, value: float, unit: str | None) -> str:
        """A number with its unit: ``48%``, ``3.5 min``, ``120``."""
        if not unit:
            return self.number(value)
        return f"{self.number(value)}{'' if unit == '%' else chr(0xA0)}{unit}"


def supported_languages() -> list[str]:
    """The languages that have their own words (others fall back to English)."""
    return sorted(_CATALOGS)
