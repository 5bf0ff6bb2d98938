"""Changes to workspaces, memberships and invitations (one transaction each)."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journeymap.web.summaries import Summary, gettext_noop
from journeymap.web.workspaces.models import Activity, Invitation, Membership, Role, Workspace

# Roles as words inside a sentence (the activity log).
_ROLE_WORDS = {
    Role.OWNER: gettext_noop("owner"),
    Role.EDITOR: gettext_noop("editor"),
    Role.COMMENTER: gettext_noop("commenter"),
    Role.VIEWER: gettext_noop("viewer"),
}


def record_activity(
    *,
    workspace: Workspace,
    actor: AbstractBaseUser | None,
    verb: str,
    summary: str,
    map_id: int | None = None,
) -> Activity:
    """Add a line to the workspace's activity log; a :class:`Summary` is also kept translatable
    (shown in the reader's language)."""
    return Activity.objects.create(
        workspace=workspace,
        actor=actor,
        verb=verb,
        summary=summary[:500],
        summary_data=summary.to_data() if isinstance(summary, Summary) else {},
        map_id=map_id,
    )


@transaction.atomic
def create_workspace(*, name: str, owner: AbstractBaseUser, description: str = "") -> Workspace:
    """A new workspace with ``owner`` as its first member (role owner)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A workspace needs a name.")})
    workspace = Workspace.objects.create(name=name, description=description, created_by=owner)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    record_activity(
        workspace=workspace,
        actor=owner,
        verb="workspace.create",
        summary=Summary(gettext_noop("created %(name)r"), name=name),
    )
    return workspace


@transaction.atomic
def update_workspace(
    *, workspace: Workspace, actor: AbstractBaseUser, name: str, description: str = ""
) -> Workspace:
    """Rename a workspace or change its description."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A workspace needs a name.")})
    workspace.name, workspace.description = name, description
    workspace.save(update_fields=["name", "description"])
    record_activity(
        workspace=workspace,
        actor=actor,
        verb="workspace.update",
        summary=Summary(gettext_noop("renamed to %(name)r"), name=name),
    )
    return workspace


@transaction.atomic
def delete_workspace(*, workspace: Workspace) -> None:
    """Delete a workspace with its maps, members and history."""
    workspace.delete()


def _owner_count(workspace: Workspace) -> int:
    return Membership.objects.filter(workspace=workspace, role=Role.OWNER).count()


@transaction.atomic
def invite_member(
    *, workspace: Workspace, invited_by: AbstractBaseUser, email: str, role: str
) -> Invitation:
    """Invite ``email`` to the workspace with ``role`` and e-mail them the link."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
    )
    record_activity(
        workspace=workspace,
        actor=invited_by,
        verb="member.invite",
        summary=Summary(gettext_noop("invited %(email)s"), email=email),
    )
    return invitation


def send_invitation_email(*, invitation: Invitation, accept_url: str) -> None:
    """E-mail the invitation link (the console backend prints it in development)."""
    send_mail(
        subject=_("You are invited to %(workspace)s on journeymap")
        % {"workspace": invitation.workspace.name},
        message=_("Join the workspace as %(role)s: %(url)s")
        % {"role": invitation.get_role_display(), "url": accept_url},
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def accept_invitation(*, token: str, user: AbstractBaseUser) -> Membership:
    """Join the invitation's workspace; an existing member keeps the higher of the two roles."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise ValidationError(_("This invitation is not valid any more."))
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    order = list(Role.values)
    if not created and order.index(invitation.role) < order.index(membership.role):
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_activity(
        workspace=invitation.workspace,
        actor=user,
        verb="member.join",
        summary=Summary(
            gettext_noop("joined as %(role)s"), role=Summary(_ROLE_WORDS[Role(membership.role)])
        ),
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: AbstractBaseUser) -> None:
    """Withdraw a pending invitation."""
    record_activity(
        workspace=invitation.workspace,
        actor=actor,
        verb="member.uninvite",
        summary=Summary(
            gettext_noop("withdrew the invitation of %(email)s"), email=invitation.email
        ),
    )
    invitation.delete()


@transaction.atomic
def change_role(*, membership: Membership, actor: AbstractBaseUser, role: str) -> Membership:
    """Give a member another role; the last owner cannot step down."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owner_count(membership.workspace) == 1
    ):
        raise ValidationError({"role": _("A workspace needs at least one owner.")})
    membership.role = role
    membership.save(update_fields=["role"])
    record_activity(
        workspace=membership.workspace,
        actor=actor,
        verb="member.role",
        summary=Summary(
            gettext_noop("made %(user)s %(role)s"),
            user=str(membership.user),
            role=Summary(_ROLE_WORDS[Role(role)]),
        ),
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor: AbstractBaseUser) -> None:
    """Remove a member (or let one leave); the last owner cannot be removed."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER and _owner_count(membership.workspace) == 1:
        raise ValidationError(_("A workspace needs at least one owner."))
    record_activity(
        workspace=membership.workspace,
        actor=actor,
        verb="member.remove",
        summary=Summary(gettext_noop("removed %(user)s"), user=str(membership.user)),
    )
    membership.delete()
