"""The public transparency page under /transparansi/ (namespace "transparency"; no login)."""

from django.urls import path

from mumpuni.insights import public_views

app_name = "transparency"
urlpatterns = [
    path("", public_views.transparency_page, name="page"),
    path("data.json", public_views.transparency_data, name="data"),
]
