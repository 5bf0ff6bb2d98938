"""Accounts: creating users and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from journeymap.web.accounts.models import ApiToken


def token_digest(key: str) -> str:
    """The stored form of a token key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_token(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the key is returned once and never stored in clear."""
    key = "jm_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "token", digest=token_digest(key), prefix=key[:8]
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> None:
    """Delete an API token."""
    token.delete()


def user_for_token(key: str) -> AbstractBaseUser | None:
    """The active user owning the token ``key`` (and mark the token used), or None."""
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def sign_up(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """A new active user."""
    user: AbstractBaseUser = get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
    return user
