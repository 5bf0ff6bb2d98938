"""Persona library pages (list, detail, create, edit, delete, import a file) and the editor's
persona panel (the map's personas; link, unlink, move an embedded persona to the library).

Members read; editors and owners change the library (:data:`Action.EDIT_PERSONAS`) and the
map's links (:data:`Action.EDIT_MAP`); a non-member gets 404.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

from journeymap.map.validation import MapValidationError
from journeymap.web.maps.operations import OperationError
from journeymap.web.maps.permissions import MapAccess, map_access
from journeymap.web.maps.problem_text import problem_messages
from journeymap.web.maps.services import StaleRevisionError
from journeymap.web.personas import selectors, services
from journeymap.web.personas.forms import PersonaFileForm, PersonaForm
from journeymap.web.personas.models import LibraryPersona
from journeymap.web.summaries import translate_summary
from journeymap.web.workspaces.permissions import Action, WorkspaceAccess, workspace_access


def _page(access: WorkspaceAccess, **extra: Any) -> dict[str, Any]:
    return {
        "access": access,
        "workspace": access.workspace,
        "tab": "personas",
        "can_edit": access.can(Action.EDIT_PERSONAS),
        **extra,
    }


@login_required
@require_GET
def persona_list(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The workspace's persona library as cards."""
    access = workspace_access(request.user, workspace_id)
    entries = list(selectors.personas_of(access.workspace))
    uses = selectors.uses_by_slug(access.workspace)
    cards = [(e, selectors.persona_of(e), len(uses.get(e.slug, []))) for e in entries]
    return render(request, "personas/list.html", _page(access, cards=cards))


@login_required
@require_GET
def persona_detail(request: HttpRequest, workspace_id: int, slug: str) -> HttpResponse:
    """One persona with its empathy map and the maps that link it."""
    access = workspace_access(request.user, workspace_id)
    entry = selectors.library_persona(access.workspace, slug)
    context = _page(
        access,
        entry=entry,
        persona=selectors.persona_of(entry),
        uses=selectors.maps_using(entry),
    )
    return render(request, "personas/detail.html", context)


def _form_page(
    request: HttpRequest, access: WorkspaceAccess, form: PersonaForm, entry: LibraryPersona | None
) -> HttpResponse:
    template = "personas/form.html#persona-form" if request.htmx else "personas/form.html"
    status = 422 if form.errors else 200
    return render(request, template, _page(access, form=form, entry=entry), status=status)


def _saved(request: HttpRequest, entry: LibraryPersona) -> HttpResponse:
    url = reverse("personas:detail", args=[entry.workspace_id, entry.slug])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def persona_create(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The empty persona form (GET); add the persona to the library (POST)."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    form = PersonaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_persona(
                workspace=access.workspace, user=request.user, data=form.persona_data()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Persona added to the library."))
            return _saved(request, entry)
    return _form_page(request, access, form, None)


@login_required
def persona_edit(request: HttpRequest, workspace_id: int, slug: str) -> HttpResponse:
    """The persona's form (GET); save it (POST): every map linking it shows the change."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    entry = selectors.library_persona(access.workspace, slug)
    initial = PersonaForm.initial_from(selectors.persona_of(entry))
    form = PersonaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_persona(entry=entry, user=request.user, data=form.persona_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Persona saved."))
            return _saved(request, entry)
    return _form_page(request, access, form, entry)


@login_required
def persona_delete(request: HttpRequest, workspace_id: int, slug: str) -> HttpResponse:
    """Ask for confirmation (GET), then delete (POST); refused (409) while maps link it."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    entry = selectors.library_persona(access.workspace, slug)
    status = 200
    if request.method == "POST":
        try:
            services.delete_persona(entry=entry, user=request.user)
        except services.PersonaInUseError:
            status = 409
        else:
            messages.success(request, _("Persona %(name)s deleted.") % {"name": entry.name})
            return redirect("personas:list", workspace_id=workspace_id)
    context = _page(access, entry=entry, uses=selectors.maps_using(entry), refused=status == 409)
    return render(request, "personas/confirm_delete.html", context, status=status)


@login_required
def persona_import(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Add the personas of a YAML/JSON file (e.g. data-backed drafts from ``journeymap
    segments``); an invalid file is refused with every problem and its line."""
    access = workspace_access(request.user, workspace_id)
    access.require(Action.EDIT_PERSONAS)
    form = PersonaFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = PurePath(upload.name).name
        try:
            entries = services.import_personas(
                workspace=access.workspace,
                user=request.user,
                text=upload.read().decode("utf-8"),
                source=source,
                fmt="json" if source.lower().endswith(".json") else "yaml",
            )
        except UnicodeDecodeError:
            problems = [_("%(source)s is not UTF-8 text.") % {"source": source}]
        except MapValidationError as exc:
            problems = problem_messages(exc)
        else:
            count = len(entries)
            text = ngettext("%(count)d persona imported.", "%(count)d personas imported.", count)
            messages.success(request, text % {"count": count})
            return redirect("personas:list", workspace_id=workspace_id)
    status = 400 if request.method == "POST" else 200
    context = _page(access, form=form, problems=problems)
    return render(request, "personas/import.html", context, status=status)


def _map_panel(
    request: HttpRequest, access: MapAccess, status: int = 200, error: str | None = None
) -> HttpResponse:
    personas = selectors.map_personas(access.map)
    linked = {p.ref for p in personas if p.linked}
    available = [e for e in selectors.personas_of(access.map.workspace) if e.slug not in linked]
    context = {
        "map": access.map,
        "personas": personas,
        "available": available,
        "can_edit": access.can(Action.EDIT_MAP),
        "can_edit_library": access.can(Action.EDIT_PERSONAS),
        "error": error,
    }
    response = render(request, "personas/map_panel.html", context, status=status)
    return retarget(response, "#panel") if request.htmx else response


@login_required
@require_GET
def map_panel(request: HttpRequest, map_id: int) -> HttpResponse:
    """The editor's side panel: the map's personas with their empathy maps; for editors the
    library personas to link and the links to remove."""
    return _map_panel(request, map_access(request.user, map_id))


@login_required
@require_POST
def move_to_library(request: HttpRequest, map_id: int) -> HttpResponse:
    """Move a persona embedded in the map into the library; the map links it instead."""
    access = map_access(request.user, map_id)
    access.require(Action.EDIT_MAP)
    access.require(Action.EDIT_PERSONAS)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        return _map_panel(
            request, access, 422, _("The edit did not say which revision it was made on.")
        )
    try:
        services.import_from_map(
            map_id=map_id,
            user=request.user,
            expected_revision=revision,
            persona_id=request.POST.get("persona", ""),
        )
    except StaleRevisionError:
        message = _("Someone else changed this map meanwhile; reload the editor and try again.")
        return _map_panel(request, access, 409, message)
    except OperationError as exc:
        return _map_panel(request, access, 422, translate_summary(exc.message))
    except MapValidationError as exc:
        return _map_panel(request, access, 422, "; ".join(problem_messages(exc)))
    except ValidationError as exc:
        return _map_panel(request, access, 422, "; ".join(exc.messages))
    messages.success(request, _("Persona moved to the library; the map links it."))
    url = reverse("maps:editor", args=[map_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
