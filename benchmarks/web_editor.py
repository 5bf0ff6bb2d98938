"""The web editor's server time on a big map: the editor page, and an item edit round trip.

The map is built deterministically (12 stages x 15 lanes, 300 items of every kind the lanes
hold). Django runs in this process on its development settings with DEBUG off (no query log,
no template debug data, as a production server), on SQLite in a temporary folder: migrate, a
user, a workspace and the map through the services. Requests go through Django's test
``Client`` (the whole request/response cycle of the WSGI handler, no network), after a
warm-up, so a timed run is the server's time alone. The answer also gives the median CPU time
of the requests: on a shared machine, wall time includes waiting for a core.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

STAGES = 12
LANES = 15
ITEMS = 300
WARM_UP = 3
# Lane kinds of the big map, in row order; every kind the editor draws differently is there.
LANE_KINDS = (
    "goals",
    "actions",
    "touchpoints",
    "channels",
    "thoughts",
    "emotions",
    "pain_points",
    "success_points",
    "turning_points",
    "opportunities",
    "ideas",
    "metrics",
    "frontstage",
    "backstage",
    "action_plan",
)
CHANNELS = ("web", "mobile_app", "email", "social", "store", "phone", "chat")
LENSES = ("value", "cost", "convenience", "communication")
EVIDENCE = ("analytics", "survey", "interview", "usability_test")
EDITED_ITEM = "item-150"  # a pain point in the middle of the map


def _item(n: int, kind: str, stage: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"item-{n}",
        "kind": kind,
        "text": f"{kind.replace('_', ' ').capitalize()} {n} at stage {stage + 1}: what the"
        " customer does, sees and feels here",
    }
    if n % 3 == 0:
        item["tags"] = [f"tag{n % 7}", "web"]
    if n % 4 == 0:
        item["lens"] = [LENSES[n % 4], LENSES[(n + 1) % 4]]
    if n % 5 == 0:
        item["evidence"] = [{"source": EVIDENCE[n % 4], "quote": f"Quote number {n}"}]
    extra: dict[str, dict[str, Any]] = {
        "touchpoint": {"channel": CHANNELS[n % len(CHANNELS)], "owner": "Digital team"},
        "channel": {"channel": CHANNELS[n % len(CHANNELS)]},
        "emotion": {"score": (n % 5) - 2},
        "pain_point": {"severity": n % 3 + 1},
        "idea": {"votes": n % 9},
        "metric": {"unit": "%", "target": 50.0, "current": float(n % 70)},
        "action": {"owner": "CX lead", "action_status": "in_progress", "due": "2027-03-01"},
    }
    item.update(extra.get(kind, {}))
    return item


def big_map_data(stages: int = STAGES, lanes: int = LANES, items: int = ITEMS) -> dict[str, Any]:
    """The benchmark map as plain data: one emotion per stage, the other items dealt round the
    remaining cells in order, so every run builds the same map."""
    from journeymap.map.model import LANE_ITEM_KINDS, LaneKind

    kinds = [LaneKind(LANE_KINDS[i % len(LANE_KINDS)]) for i in range(lanes)]
    lane_rows = [
        {"id": f"lane-{i}", "kind": kind.value, "title": f"{kind.value.replace('_', ' ')} {i}"}
        for i, kind in enumerate(kinds)
    ]
    cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
    emotion_lanes = [i for i, k in enumerate(kinds) if k == LaneKind.EMOTIONS]
    other = [(lane, s) for lane in range(lanes) if lane not in emotion_lanes for s in range(stages)]
    n = 0
    for lane in emotion_lanes:
        for s in range(stages):
            if n < items:
                cells.setdefault((lane, s), []).append(_item(n, "emotion", s))
                n += 1
    for k in range(items - n):
        lane, s = other[k % len(other)]
        kind = sorted(LANE_ITEM_KINDS[kinds[lane]])[0]
        cells.setdefault((lane, s), []).append(_item(n, kind, s))
        n += 1
    return {
        "id": "benchmark-map",
        "title": f"Benchmark map: {stages} stages x {lanes} lanes, {items} items",
        "goal": "See how fast the editor answers on a big map",
        "stages": [
            {"id": f"stage-{s}", "title": f"Stage {s + 1}", "description": f"What happens in {s}"}
            for s in range(stages)
        ],
        "lanes": lane_rows,
        "cells": [
            {"lane": f"lane-{lane}", "stage": f"stage-{s}", "items": cell_items}
            for (lane, s), cell_items in sorted(cells.items())
        ],
    }


def setup_django(folder: Path) -> None:
    """Configure Django on SQLite in ``folder`` with DEBUG off, and migrate."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "journeymap.web.settings"
    os.environ["JOURNEYMAP_HOME"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.pop("JOURNEYMAP_ENV", None)
    os.environ.pop("DJANGO_DEBUG", None)
    import django
    from django.conf import settings

    settings.DEBUG = False
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class EditorBench:
    """A logged-in editor of the big map, in a fresh database."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="journeymap-bench-")
        setup_django(Path(self._folder.name))
        from django.contrib.auth import get_user_model
        from django.test import Client

        from journeymap.map.validation import validate_data
        from journeymap.web.maps.services import create_map
        from journeymap.web.workspaces.services import create_workspace

        user = get_user_model().objects.create_user(username="bench", email="bench@example.com")
        workspace = create_workspace(name="Benchmark", owner=user)
        self.map = create_map(workspace=workspace, user=user, doc=validate_data(big_map_data()))
        self.revision = self.map.revision
        self.client = Client()
        self.client.force_login(user)
        self.edits = 0
        self.cpu: list[float] = []  # CPU seconds of each request since the warm-up

    def editor_page(self) -> dict[str, Any]:
        """GET the editor page, as a browser opens it."""
        started = time.process_time()
        response = self.client.get(f"/m/{self.map.pk}/")
        self.cpu.append(time.process_time() - started)
        return self._answer(response, 200)

    def item_edit(self) -> dict[str, Any]:
        """POST an item edit from the side panel as htmx sends it; the answer is the edited
        card with the out-of-band parts (revision, saved state, undo, toast, panel)."""
        self.edits += 1
        form = {
            "revision": self.revision,
            "item": EDITED_ITEM,
            "text": f"Checkout asks for the address twice (edit {self.edits})",
            "severity": str(self.edits % 3 + 1),
            "description": "",
            "tags": "checkout, address",
            "lens": ["convenience"],
            "evidence_source": "survey",
            "evidence_quote": "I typed it twice",
        }
        started = time.process_time()
        response = self.client.post(
            f"/m/{self.map.pk}/edit/update_item/",
            urlencode(form, doseq=True),  # as htmx posts a form: urlencoded, not multipart
            content_type="application/x-www-form-urlencoded",
            HTTP_HX_REQUEST="true",
        )
        self.cpu.append(time.process_time() - started)
        answer = self._answer(response, 200)
        self.revision += 1
        return answer

    def _answer(self, response: Any, status: int) -> dict[str, Any]:
        if response.status_code != status:
            raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
        html = response.content.decode()
        return {
            "status": response.status_code,
            "bytes": len(response.content),
            "items": html.count('class="item item-'),
            "revision": self.revision,
            "cpu_median_s": statistics.median(self.cpu),
        }


def warmed_up(name: str) -> Callable[[], dict[str, Any]]:
    """``editor_page`` or ``item_edit`` of a fresh bench, after a warm-up: one request a call."""
    bench = EditorBench()
    run: Callable[[], dict[str, Any]] = getattr(bench, name)
    for _ in range(WARM_UP):
        run()
    bench.cpu.clear()
    return run
