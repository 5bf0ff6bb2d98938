"""Creating and revoking share links."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from journeymap.web.maps.models import Map
from journeymap.web.sharing.models import ShareLink
from journeymap.web.summaries import Summary, gettext_noop
from journeymap.web.workspaces.services import record_activity


@transaction.atomic
def create_share_link(
    *,
    journey_map: Map,
    user: AbstractBaseUser,
    label: str = "",
    expires_in_days: int | None = None,
) -> ShareLink:
    """A new read-only link to ``journey_map``, expiring after ``expires_in_days`` if given."""
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    link = ShareLink.objects.create(
        map=journey_map,
        token=secrets.token_urlsafe(24),
        label=label.strip(),
        created_by=user,
        expires_at=expires_at,
    )
    record_activity(
        workspace=journey_map.workspace,
        actor=user,
        verb="map.share",
        summary=Summary(
            gettext_noop("shared map %(title)r until %(date)s"),
            title=journey_map.title,
            date=f"{expires_at:%Y-%m-%d}",
        )
        if expires_at
        else Summary(gettext_noop("shared map %(title)r"), title=journey_map.title),
        map_id=journey_map.pk,
    )
    return link


@transaction.atomic
def revoke_share_link(*, link: ShareLink, user: AbstractBaseUser) -> ShareLink:
    """Stop a share link from working (it stays listed as revoked)."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record_activity(
            workspace=link.map.workspace,
            actor=user,
            verb="map.unshare",
            summary=Summary(
                gettext_noop("revoked a share link of map %(title)r"), title=link.map.title
            ),
            map_id=link.map_id,
        )
    return link
