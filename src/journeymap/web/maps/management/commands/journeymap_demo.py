"""``journeymap_demo``: a demo user and workspace with every shipped template as a map, the
templates' personas moved into the workspace's persona library (the maps link them).

Idempotent: running it again keeps what exists and adds only templates that are new, and only
the personas that the maps still embed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand

from journeymap.map.model import Persona
from journeymap.map.templates import list_templates
from journeymap.web.maps.models import Map
from journeymap.web.maps.operations import LinkPersona
from journeymap.web.maps.selectors import document_of
from journeymap.web.maps.services import create_map_from_template, edit_map
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.personas.selectors import persona_of
from journeymap.web.personas.services import import_from_map
from journeymap.web.workspaces.models import Membership, Role, Workspace
from journeymap.web.workspaces.services import create_workspace

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-journeymap"
DEMO_WORKSPACE = "Demo workspace"


class Command(BaseCommand):
    help = "Create the demo user and workspace and load every template as a map (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default=DEMO_USERNAME)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=options["username"], defaults={"email": f"{options['username']}@example.com"}
        )
        if created or not user.check_password(options["password"]):
            user.set_password(options["password"])
            user.save()
        membership = (
            Membership.objects.filter(user=user, role=Role.OWNER, workspace__name=DEMO_WORKSPACE)
            .select_related("workspace")
            .first()
        )
        workspace = (
            membership.workspace
            if membership
            else create_workspace(name=DEMO_WORKSPACE, owner=user)
        )
        loaded = set(Map.objects.filter(workspace=workspace).values_list("template", flat=True))
        added = 0
        for info in list_templates():
            if info.id in loaded:
                continue
            create_map_from_template(
                workspace=workspace, user=user, template_id=info.id, language=info.languages[0]
            )
            added += 1
        moved = personas_to_library(workspace=workspace, user=user)
        total = Map.objects.filter(workspace=workspace).count()
        personas = LibraryPersona.objects.filter(workspace=workspace).count()
        self.stdout.write(
            f"Demo workspace {workspace.name!r}: {added} map(s) added, {total} in all;"
            f" {moved} persona(s) moved to the library, {personas} in it.\n"
            f"Log in at http://127.0.0.1:8000/accounts/login/ as\n"
            f"  user:     {options['username']}\n"
            f"  password: {options['password']}"
        )


def personas_to_library(*, workspace: Workspace, user: AbstractBaseUser) -> int:
    """Move the personas embedded in the workspace's maps into its library, each map linking
    its own in the same place; a persona the library already holds unchanged under its id (a
    move undone in the editor) is linked again, not copied. How many were added to the library."""
    moved = 0
    for journey_map in Map.objects.filter(workspace=workspace).order_by("pk"):
        for persona in document_of(journey_map).personas:
            if not isinstance(persona, Persona):
                continue
            same = LibraryPersona.objects.filter(workspace=workspace, slug=persona.id).first()
            if same is not None and persona_of(same) == persona:
                journey_map, _summary = edit_map(
                    map_id=journey_map.pk,
                    user=user,
                    expected_revision=journey_map.revision,
                    operation=LinkPersona(ref=persona.id, replace=persona.id),
                )
                continue
            _entry, journey_map, _summary = import_from_map(
                map_id=journey_map.pk,
                user=user,
                expected_revision=journey_map.revision,
                persona_id=persona.id,
            )
            moved += 1
    return moved
