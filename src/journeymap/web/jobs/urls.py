"""Export job URLs."""

from django.urls import path

from journeymap.web.jobs import views

app_name = "jobs"

urlpatterns = [
    path("m/<int:map_id>/exports/", views.start, name="start"),
    path("m/<int:map_id>/exports/<int:job_id>/", views.export_job, name="export"),
    path("m/<int:map_id>/exports/<int:job_id>/download/", views.download, name="download"),
]
