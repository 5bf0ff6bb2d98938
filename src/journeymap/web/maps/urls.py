"""Map URLs: pages of a workspace's maps and the editor."""

from django.urls import path

from journeymap.web.maps import editor_views, version_views, views

app_name = "maps"

urlpatterns = [
    path("w/<int:workspace_id>/", views.map_list, name="list"),
    path("w/<int:workspace_id>/templates/", views.template_gallery, name="gallery"),
    path("w/<int:workspace_id>/import/", views.map_import, name="import"),
    path("m/<int:map_id>/", editor_views.editor, name="editor"),
    path("m/<int:map_id>/panel/<str:kind>/", editor_views.panel, name="panel"),
    path("m/<int:map_id>/edit/<str:op>/", editor_views.edit, name="edit"),
    path("m/<int:map_id>/undo/", editor_views.undo, name="undo"),
    path("m/<int:map_id>/duplicate/", views.map_duplicate, name="duplicate"),
    path("m/<int:map_id>/archive/", views.map_archive, name="archive"),
    path("m/<int:map_id>/delete/", views.map_delete, name="delete"),
    path("m/<int:map_id>/export/<str:fmt>/", views.map_export, name="export"),
    path("m/<int:map_id>/versions/", version_views.version_list, name="versions"),
    path(
        "m/<int:map_id>/versions/<int:number>/restore/",
        version_views.version_restore,
        name="version_restore",
    ),
]
