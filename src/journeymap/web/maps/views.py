"""Map pages: list, create (blank, template gallery, import), duplicate, archive, delete,
export. The editor's views are in :mod:`journeymap.web.maps.editor_views`."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journeymap.map.templates import UnknownTemplateError
from journeymap.map.validation import MapValidationError
from journeymap.web.maps import exports, selectors, services
from journeymap.web.maps.forms import BlankMapForm, DuplicateMapForm, ImportMapForm, TemplateMapForm
from journeymap.web.maps.permissions import map_access
from journeymap.web.maps.problem_text import problem_messages, problem_text
from journeymap.web.workspaces.permissions import Action, workspace_access


@login_required
def map_list(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The workspace's maps (``?archived=1`` for the archived ones) and the blank-map form."""
    access = workspace_access(request.user, workspace_id)
    archived = request.GET.get("archived") == "1"
    form = BlankMapForm(request.POST or None, initial={"language": _ui_language()})
    status = 200
    if request.method == "POST":
        access.require(Action.CREATE_MAP)
        if form.is_valid():
            journey_map = services.create_blank_map(
                workspace=access.workspace,
                user=request.user,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
            return redirect("maps:editor", map_id=journey_map.pk)
        status = 400
    context = {
        "access": access,
        "workspace": access.workspace,
        "maps": selectors.maps_of(access.workspace, archived=archived),
        "archived": archived,
        "form": form,
        "tab": "maps",
    }
    return render(request, "maps/list.html", context, status=status)


def _ui_language() -> str:
    return (get_language() or "en").split("-")[0]


@login_required
def template_gallery(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The template gallery (``?lang=pl`` previews in Polish); POST creates a map from one."""
    access = workspace_access(request.user, workspace_id)
    language = request.GET.get("lang") or request.POST.get("language") or _ui_language()
    error = None
    if request.method == "POST":
        access.require(Action.CREATE_MAP)
        form = TemplateMapForm(request.POST)
        if form.is_valid():
            try:
                journey_map = services.create_map_from_template(
                    workspace=access.workspace,
                    user=request.user,
                    template_id=form.cleaned_data["template"],
                    language=form.cleaned_data["language"],
                    title=form.cleaned_data["title"] or None,
                )
            except UnknownTemplateError as exc:
                error = problem_text(exc.problem)
            else:
                return redirect("maps:editor", map_id=journey_map.pk)
        else:
            error = _("Choose a template and a language.")
    context = {
        "access": access,
        "workspace": access.workspace,
        "cards": selectors.template_gallery(language),
        "language": language,
        "languages": [("en", "English"), ("pl", "Polski"), ("ru", "Русский")],
        "error": error,
    }
    return render(request, "maps/gallery.html", context, status=400 if error else 200)


@login_required
def map_import(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Import a YAML/JSON map; an invalid one is refused with every problem and its line."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.CREATE_MAP)
    form = ImportMapForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is not None:
            source = PurePath(upload.name).name
            fmt = "json" if source.lower().endswith(".json") else "yaml"
            raw = upload.read()
        else:
            source, fmt = _("pasted text"), form.cleaned_data["format"]
            raw = form.cleaned_data["text"].encode("utf-8")
        try:
            text = raw.decode("utf-8")
            journey_map = services.import_map(
                workspace=access.workspace, user=request.user, text=text, fmt=fmt, source=source
            )
        except UnicodeDecodeError:
            problems = [_("%(source)s is not UTF-8 text.") % {"source": source}]
        except MapValidationError as exc:
            problems = problem_messages(exc)
        else:
            messages.success(request, _("Map imported."))
            return redirect("maps:editor", map_id=journey_map.pk)
    status = 400 if request.method == "POST" else 200
    context = {"access": access, "workspace": access.workspace, "form": form, "problems": problems}
    return render(request, "maps/import.html", context, status=status)


@login_required
@require_POST
def map_duplicate(request: HttpRequest, map_id: int) -> HttpResponse:
    """Copy a map into the same workspace and open the copy."""
    access = map_access(request.user, map_id)
    access.require(Action.CREATE_MAP)
    form = DuplicateMapForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else None
    copy = services.duplicate_map(journey_map=access.map, user=request.user, title=title or None)
    messages.success(request, _("Map duplicated."))
    return redirect("maps:editor", map_id=copy.pk)


@login_required
@require_POST
def map_archive(request: HttpRequest, map_id: int) -> HttpResponse:
    """Archive a map (``restore=1`` brings it back)."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    restore = request.POST.get("restore") == "1"
    services.set_archived(journey_map=access.map, user=request.user, archived=not restore)
    messages.success(request, _("Map restored.") if restore else _("Map archived."))
    return redirect("maps:list", workspace_id=access.map.workspace_id)


@login_required
def map_delete(request: HttpRequest, map_id: int) -> HttpResponse:
    """Ask for confirmation (GET), then delete the map (POST)."""
    access = map_access(request.user, map_id)
    access.require(Action.DELETE_MAP)
    if request.method == "POST":
        workspace_id = access.map.workspace_id
        title = access.map.title
        services.delete_map(journey_map=access.map, user=request.user)
        messages.success(request, _("Map %(title)s deleted.") % {"title": title})
        return redirect("maps:list", workspace_id=workspace_id)
    context = {"access": access.workspace, "workspace": access.map.workspace, "map": access.map}
    return render(request, "maps/confirm_delete.html", context)


@login_required
def map_export(request: HttpRequest, map_id: int, fmt: str) -> HttpResponse:
    """Download the map as YAML, JSON, HTML, PDF, PNG or XLSX."""
    access = map_access(request.user, map_id)
    access.require(Action.EXPORT)
    return exports.map_export_response(access.map, fmt)
