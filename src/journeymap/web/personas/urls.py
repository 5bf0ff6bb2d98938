"""Persona library URLs and the editor's persona panel."""

from django.urls import path

from journeymap.web.personas import views

app_name = "personas"

urlpatterns = [
    path("w/<int:workspace_id>/personas/", views.persona_list, name="list"),
    path("w/<int:workspace_id>/personas/new/", views.persona_create, name="create"),
    path("w/<int:workspace_id>/personas/import/", views.persona_import, name="import"),
    path("w/<int:workspace_id>/personas/<slug:slug>/", views.persona_detail, name="detail"),
    path("w/<int:workspace_id>/personas/<slug:slug>/edit/", views.persona_edit, name="edit"),
    path("w/<int:workspace_id>/personas/<slug:slug>/delete/", views.persona_delete, name="delete"),
    path("m/<int:map_id>/personas/", views.map_panel, name="map_panel"),
    path("m/<int:map_id>/personas/to-library/", views.move_to_library, name="move_to_library"),
]
