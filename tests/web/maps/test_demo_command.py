"""``journeymap_demo``: a demo user and workspace with every template as a map, idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from journeymap.web.maps.models import Map
from journeymap.web.maps.selectors import shipped_templates
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
