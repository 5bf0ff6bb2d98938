"""``journeymap_demo``: a demo user and workspace with every template as a map and the templates'
personas in the library, idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from journeymap.map.model import PersonaRef
from journeymap.map.templates import list_templates, load_template
from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import document_of, shipped_templates
from journeymap.web.maps.services import undo_last_edit
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.personas.selectors import map_personas, persona_of
from journeymap.web.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_loads_every_template_once_and_prints_the_credentials() -> None:
    out = StringIO()
    call_command("journeymap_demo", stdout=out)
    assert "user:     demo" in out.getvalue() and "password: demo-journeymap" in out.getvalue()
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("demo-journeymap")
    membership = Membership.objects.get(user=user)
    templates = {t.id for t in shipped_templates()}
    assert set(Map.objects.values_list("template", flat=True)) == templates
    call_command("journeymap_demo", stdout=StringIO())
    assert Map.objects.count() == len(templates)
    assert Membership.objects.filter(user=user).count() == 1
    assert membership.role == "owner"


def test_demo_moves_every_template_persona_into_the_library_once() -> None:
    out = StringIO()
    call_command("journeymap_demo", stdout=out)
    maps = list(Map.objects.order_by("pk"))
    languages = {info.id: info.languages[0] for info in list_templates()}
    originals = {
        m.template: load_template(m.template, language=languages[m.template]).personas
        for m in maps
        if m.template
    }
    expected = {p.id: p for personas in originals.values() for p in personas}
    library = {entry.slug: persona_of(entry) for entry in LibraryPersona.objects.all()}
    assert library == expected and len(library) == 2 * len(maps)
    assert f"{len(library)} persona(s) moved to the library, {len(library)} in it" in out.getvalue()
    for journey_map in maps:
        refs = document_of(journey_map).personas
        assert all(isinstance(ref, PersonaRef) for ref in refs)
        assert [(p.id, p.persona) for p in map_personas(journey_map)] == [
            (p.id, p) for p in originals[journey_map.template]
        ]
    revisions = list(Map.objects.order_by("pk").values_list("revision", flat=True))

    out = StringIO()
    call_command("journeymap_demo", stdout=out)
    assert "0 persona(s) moved to the library" in out.getvalue()
    assert LibraryPersona.objects.count() == len(library)
    assert list(Map.objects.order_by("pk").values_list("revision", flat=True)) == revisions


def test_demo_links_a_persona_again_after_the_move_was_undone() -> None:
    call_command("journeymap_demo", stdout=StringIO())
    journey_map = Map.objects.order_by("pk").first()
    assert journey_map is not None
    user = get_user_model().objects.get(username="demo")
    journey_map, _summary = undo_last_edit(
        map_id=journey_map.pk, user=user, expected_revision=journey_map.revision
    )
    embedded = document_of(journey_map).personas[-1]
    assert not isinstance(embedded, PersonaRef)
    count = LibraryPersona.objects.count()

    call_command("journeymap_demo", stdout=StringIO())
    journey_map.refresh_from_db()
    assert LibraryPersona.objects.count() == count
    linked = document_of(journey_map).personas[-1]
    assert isinstance(linked, PersonaRef)
    assert (linked.id, linked.ref) == (embedded.id, embedded.id)
