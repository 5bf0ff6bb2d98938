"""Factories for web objects: users, workspaces with members of each role, maps."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from journeymap.map.io import parse_map
from journeymap.map.model import JourneyMap
from journeymap.web.maps.models import Map
from journeymap.web.maps.services import create_map
from journeymap.web.workspaces.models import Membership, Role, Workspace
from journeymap.web.workspaces.services import create_workspace

PASSWORD = "a-long-test-password-1"
SAMPLE = Path(__file__).resolve().parents[1] / "map" / "sample_minimal.yaml"
_numbers = itertools.count(1)


def make_user(name: str | None = None) -> AbstractBaseUser:
    """An active user with :data:`PASSWORD`."""
    name = name or f"user{next(_numbers)}"
    user: AbstractBaseUser = get_user_model().objects.create_user(
        username=name, email=f"{name}@example.com", password=PASSWORD
    )
    return user


def add_member(
    workspace: Workspace, role: str, user: AbstractBaseUser | None = None
) -> AbstractBaseUser:
    """A (new) user who is a member of ``workspace`` with ``role``."""
    user = user or make_user()
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@dataclass
class Team:
    """A workspace with one member per role and a user outside it."""

    workspace: Workspace
    owner: AbstractBaseUser
    editor: AbstractBaseUser
    commenter: AbstractBaseUser
    viewer: AbstractBaseUser
    stranger: AbstractBaseUser


def make_team(name: str = "Acme") -> Team:
    """A workspace with members of every role and a stranger."""
    owner = make_user()
    workspace = create_workspace(name=name, owner=owner)
    return Team(
        workspace=workspace,
        owner=owner,
        editor=add_member(workspace, Role.EDITOR),
        commenter=add_member(workspace, Role.COMMENTER),
        viewer=add_member(workspace, Role.VIEWER),
        stranger=make_user(),
    )


def sample_doc() -> JourneyMap:
    """The small sample map of the map tests (2 stages, 2 lanes, 2 items)."""
    return parse_map(SAMPLE.read_text(encoding="utf-8"), source=str(SAMPLE))


def make_map(workspace: Workspace, user: AbstractBaseUser, doc: JourneyMap | None = None) -> Map:
    """A map in ``workspace`` (the sample map unless ``doc`` is given)."""
    return create_map(workspace=workspace, user=user, doc=doc or sample_doc())
