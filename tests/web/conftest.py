"""Web app tests: Django settings, and fixtures for a workspace with a member of every role."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.web.settings")

import django

django.setup()  # this conftest is not an initial one: set Django up before test modules import

import pytest  # noqa: E402
from django.test import Client  # noqa: E402
from web_factories import Team, make_map, make_team  # noqa: E402

from journeymap.web.maps.models import Map  # noqa: E402


@pytest.fixture
def team(db: None) -> Team:
    """A workspace with an owner, an editor, a commenter, a viewer, and a stranger outside it."""
    return make_team()


@pytest.fixture
def journey_map(team: Team) -> Map:
    """A small map in the team's workspace."""
    return make_map(team.workspace, team.owner)


@pytest.fixture
def client_as(team: Team):
    """``client_as("editor")``: a test client logged in as the member with that role;
    ``client_as("editor", language="pl")`` also sends that Accept-Language."""

    def login(role: str, language: str | None = None) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
        client.force_login(getattr(team, role))
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A fast hasher: the tests create many users and do not test hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request with Accept-Language (or a language
    cookie) activates its language for the thread, and a service called outside a request after
    it would otherwise speak that language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _instrument_partials():
    """Partials of django-template-partials report their context like templates do, so that
    ``response.context`` is there for an htmx answer (Django instruments only whole templates)."""
    from django.test.signals import template_rendered
    from template_partials.templatetags.partials import TemplateProxy

    plain = TemplateProxy._render

    def instrumented(self: TemplateProxy, context):  # type: ignore[no-untyped-def]
        template_rendered.send(sender=self, template=self, context=context)
        return plain(self, context)

    TemplateProxy._render = instrumented
    yield
    TemplateProxy._render = plain
