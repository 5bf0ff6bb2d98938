"""Sign up and API tokens; log in/out and password reset are Django's views with our templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journeymap.web.accounts.forms import ApiTokenForm, SignUpForm
from journeymap.web.accounts.models import ApiToken
from journeymap.web.accounts.services import create_api_token, revoke_api_token, sign_up
from journeymap.web.workspaces.services import create_workspace


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account with a first workspace, and log in."""
    if request.user.is_authenticated:
        return redirect("workspaces:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        create_workspace(name=_("%(name)s's workspace") % {"name": user.get_username()}, owner=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to journeymap!"))
        return redirect("workspaces:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens and create a new one (its key is shown once)."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_key = create_api_token(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        else:
            status = 400
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Delete one of the user's API tokens."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_api_token(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
