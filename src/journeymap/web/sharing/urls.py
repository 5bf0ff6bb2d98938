"""Share link URLs."""

from django.urls import path

from journeymap.web.sharing import views

app_name = "sharing"

urlpatterns = [
    path("m/<int:map_id>/share/", views.share_page, name="page"),
    path("m/<int:map_id>/share/<int:link_id>/revoke/", views.revoke, name="revoke"),
    path("s/<str:token>/", views.shared_map, name="shared"),
]
