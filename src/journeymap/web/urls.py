"""Root URLs of the journeymap web app."""

from django.contrib import admin
from django.urls import include, path

from journeymap.web.api.routes import api

urlpatterns = [
    path("", include("journeymap.web.workspaces.urls")),
    path("", include("journeymap.web.maps.urls")),
    path("", include("journeymap.web.sharing.urls")),
    path("", include("journeymap.web.comments.urls")),
    path("", include("journeymap.web.jobs.urls")),
    path("", include("journeymap.web.personas.urls")),
    path("accounts/", include("journeymap.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
