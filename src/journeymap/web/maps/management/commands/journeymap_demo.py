"""``journeymap_demo``: a demo user and workspace with every shipped template as a map.

Idempotent: running it again keeps what exists and adds only templates that are new.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from journeymap.map.templates import list_templates
from journeymap.web.maps.models import Map
from journeymap.web.maps.services import create_map_from_template
from journeymap.web.workspaces.models import Membership, Role
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
        total = Map.objects.filter(workspace=workspace).count()
        self.stdout.write(
            f"Demo workspace {workspace.name!r}: {added} map(s) added, {total} in all.\n"
            f"Log in at http://127.0.0.1:8000/accounts/login/ as\n"
            f"  user:     {options['username']}\n"
            f"  password: {options['password']}"
        )
