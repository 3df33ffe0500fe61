"""Pages under /dampak/ (namespace "insights")."""

from django.urls import path

from mumpuni.insights.views import impact

app_name = "insights"
urlpatterns = [
    path("", impact.program_list, name="program_list"),
    path("program/", impact.program_detail, name="program_detail"),
]
