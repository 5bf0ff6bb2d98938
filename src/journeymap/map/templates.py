"""Journey map templates shipped with the package, one YAML file per template and language."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from journeymap.map.io import parse_map
from journeymap.map.model import JourneyMap
from journeymap.map.validation import Problem

# The YAML files live in the data folder map/templates/ next to this module (which shadows the
# folder as an import name, so the folder is reached as a resource of journeymap.map).
_PACKAGE = "journeymap.map"
_FOLDER = "templates"


class UnknownTemplateError(LookupError):
    """A template id or language that is not shipped; the message lists what is, and
    ``problem`` says it as data (code ``unknown_template`` or ``no_template_language``)."""

    def __init__(self, code: str, **params: str) -> None:
        self.problem = Problem.of((), code, None, **params)
        super().__init__(self.problem.message)


@dataclass(frozen=True)
class TemplateInfo:
    """A template's id, its title and description in English, and its languages."""

    id: str
    title: str
    description: str
    languages: tuple[str, ...]


def _files() -> dict[str, dict[str, str]]:
    """``{template_id: {language: file name}}`` for the YAML files in the package."""
    found: dict[str, dict[str, str]] = {}
    for entry in resources.files(_PACKAGE).joinpath(_FOLDER).iterdir():
        name = entry.name
        if not name.endswith(".yaml"):
            continue
        template_id, _, language = name.removesuffix(".yaml").rpartition(".")
        if template_id:
            found.setdefault(template_id, {})[language] = name
    return found


def list_templates() -> list[TemplateInfo]:
    """Every shipped template, in id order."""
    infos = []
    for template_id, languages in sorted(_files().items()):
        doc = load_template(template_id, "en" if "en" in languages else min(languages))
        infos.append(
            TemplateInfo(
                id=template_id,
                title=doc.title,
                description=doc.description or doc.goal or "",
                languages=tuple(sorted(languages, key=lambda lang: (lang != "en", lang))),
            )
        )
    return infos


def load_template(template_id: str, language: str = "en") -> JourneyMap:
    """The template ``template_id`` in ``language`` as a validated map."""
    files = _files()
    if template_id not in files:
        known = ", ".join(sorted(files)) or "none"
        raise UnknownTemplateError("unknown_template", template=template_id, available=known)
    if language not in files[template_id]:
        raise UnknownTemplateError(
            "no_template_language",
            template=template_id,
            language=language,
            available=", ".join(sorted(files[template_id])),
        )
    name = files[template_id][language]
    text = resources.files(_PACKAGE).joinpath(_FOLDER, name).read_text(encoding="utf-8")
    return parse_map(text, source=f"templates/{name}")
