"""Workspace pages: list and create, members and invitations, settings, activity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journeymap.web.workspaces import selectors, services
from journeymap.web.workspaces.forms import InviteForm, RoleForm, WorkspaceForm
from journeymap.web.workspaces.models import Invitation, Membership
from journeymap.web.workspaces.permissions import Action, workspace_access


def _form_errors(form: WorkspaceForm | InviteForm | RoleForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def workspace_list(request: HttpRequest) -> HttpResponse:
    """The user's workspaces and a form to create one."""
    form = WorkspaceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            workspace = services.create_workspace(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                owner=request.user,
            )
            return redirect("maps:list", workspace_id=workspace.pk)
        status = 400
    context = {"workspaces": selectors.workspaces_for(request.user), "form": form}
    return render(request, "workspaces/list.html", context, status=status)


@login_required
def members(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Members with their roles, pending invitations, and the invite form (owners)."""
    access = workspace_access(request.user, workspace_id)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        access.require(Action.MANAGE_MEMBERS)
        if form.is_valid():
            try:
                invitation = services.invite_member(
                    workspace=access.workspace,
                    invited_by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                url = request.build_absolute_uri(
                    reverse("workspaces:accept", kwargs={"token": invitation.token})
                )
                services.send_invitation_email(invitation=invitation, accept_url=url)
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("workspaces:members", workspace_id=workspace_id)
        status = 400
    context = {
        "access": access,
        "workspace": access.workspace,
        "members": selectors.members_of(access.workspace),
        "invitations": selectors.pending_invitations(access.workspace),
        "form": form,
        "role_form": RoleForm(),
    }
    return render(request, "workspaces/members.html", context, status=status)


@login_required
@require_POST
def member_role(request: HttpRequest, workspace_id: int, membership_id: int) -> HttpResponse:
    """Change a member's role (owners)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership, pk=membership_id, workspace=access.workspace)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("workspaces:members", workspace_id=workspace_id)
    try:
        services.change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role changed."))
    return redirect("workspaces:members", workspace_id=workspace_id)


@login_required
@require_POST
def member_remove(request: HttpRequest, workspace_id: int, membership_id: int) -> HttpResponse:
    """Remove a member (owners), or leave the workspace (anyone, for themselves)."""
    access = workspace_access(request.user, workspace_id)
    membership = get_object_or_404(Membership, pk=membership_id, workspace=access.workspace)
    leaving = membership.user_id == request.user.pk
    if not leaving:
        access.require(Action.MANAGE_MEMBERS)
    try:
        services.remove_member(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workspaces:members", workspace_id=workspace_id)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": access.workspace.name})
        return redirect("workspaces:list")
    messages.success(request, _("Member removed."))
    return redirect("workspaces:members", workspace_id=workspace_id)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, workspace_id: int, invitation_id: int) -> HttpResponse:
    """Withdraw a pending invitation (owners)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.MANAGE_MEMBERS)
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, workspace=access.workspace, accepted_at__isnull=True
    )
    services.revoke_invitation(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("workspaces:members", workspace_id=workspace_id)


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation and join its workspace on POST."""
    invitation = get_object_or_404(Invitation, token=token)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("workspaces:list")
        messages.success(request, _("You joined %(name)s.") % {"name": membership.workspace.name})
        return redirect("maps:list", workspace_id=membership.workspace_id)
    return render(request, "workspaces/accept.html", {"invitation": invitation})


@login_required
def workspace_settings(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Rename a workspace (owners)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.MANAGE_WORKSPACE)
    initial = {"name": access.workspace.name, "description": access.workspace.description}
    form = WorkspaceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.update_workspace(
                workspace=access.workspace,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Workspace saved."))
            return redirect("workspaces:settings", workspace_id=workspace_id)
        status = 400
    context = {"access": access, "workspace": access.workspace, "form": form}
    return render(request, "workspaces/settings.html", context, status=status)


@login_required
@require_POST
def workspace_delete(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Delete a workspace (owners) after typing its name to confirm."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.MANAGE_WORKSPACE)
    if request.POST.get("confirm_name", "").strip() != access.workspace.name:
        messages.error(request, _("Type the workspace's name to confirm the deletion."))
        return redirect("workspaces:settings", workspace_id=workspace_id)
    name = access.workspace.name
    services.delete_workspace(workspace=access.workspace)
    messages.success(request, _("Workspace %(name)s deleted.") % {"name": name})
    return redirect("workspaces:list")


@login_required
def activity(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The workspace's activity log."""
    access = workspace_access(request.user, workspace_id)
    context = {
        "access": access,
        "workspace": access.workspace,
        "activities": selectors.activity_of(access.workspace, limit=200),
    }
    return render(request, "workspaces/activity.html", context)
