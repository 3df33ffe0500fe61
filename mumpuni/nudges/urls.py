"""Pages under /pengingat/ (namespace "nudges")."""

from django.urls import path  # noqa: F401

app_name = "nudges"
urlpatterns: list = []
