"""Comment URLs."""

from django.urls import path

from journeymap.web.comments import views

app_name = "comments"

urlpatterns = [
    path("m/<int:map_id>/comments/", views.comments, name="panel"),
    path("m/<int:map_id>/comments/<int:comment_id>/resolve/", views.resolve, name="resolve"),
]
