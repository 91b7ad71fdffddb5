"""/log/: the transparency log as static tlog-tiles (views.py)."""

from django.urls import path, re_path

from . import views

app_name = "log"
urlpatterns = [
    path("checkpoint", views.checkpoint, name="checkpoint"),
    re_path(r"^tile/(?P<path>.+)$", views.tile, name="tile"),
]
