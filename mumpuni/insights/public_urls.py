"""The public transparency page under /transparansi/ (namespace "transparency"; no login)."""

from django.urls import path  # noqa: F401

app_name = "transparency"
urlpatterns: list = []
