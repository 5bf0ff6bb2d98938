"""Production settings refuse to start with DEBUG on or without the secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD_KEY = "k" * 50


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "DJANGO_DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "JOURNEYMAP_ENV"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import journeymap.web.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JOURNEYMAP_ENV": "production", "DJANGO_DEBUG": "1"}, "DEBUG on"),
        (
            {"JOURNEYMAP_ENV": "production", "ALLOWED_HOSTS": "x", "DATABASE_URL": "sqlite:///x"},
            "SECRET_KEY",
        ),
        (
            {"DJANGO_DEBUG": "0", "SECRET_KEY": GOOD_KEY, "DATABASE_URL": "sqlite:///x"},
            "ALLOWED_HOSTS",
        ),
        (
            {"JOURNEYMAP_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "x"},
            "DATABASE_URL",
        ),
    ],
)
def test_production_mode_refuses_unsafe_settings(env: dict[str, str], message: str) -> None:
    result = _import_settings(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_mode_starts_with_secrets_from_the_environment() -> None:
    env = {
        "JOURNEYMAP_ENV": "production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "maps.example.com",
        "DATABASE_URL": "postgres://u@db/jm",
    }
    result = _import_settings(env)
    assert result.returncode == 0, result.stderr


def test_development_mode_uses_sqlite_without_database_url() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from journeymap.web import settings as s;"
            " print(s.DATABASES['default']['ENGINE'], s.DEBUG)",
        ],
        env={
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "JOURNEYMAP_ENV", "DJANGO_DEBUG"}
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
