"""Pages under /dasbor/ (namespace "dashboards"): see docs/dashboards.md."""

from django.urls import path

from mumpuni.insights.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("eksekutif/", views.executive, name="executive"),
    path("bkpp/", views.bkpp, name="bkpp"),
    path("unit/", views.unit, name="unit"),
    path("rincian/<slug:metric>/", views.drilldown, name="drilldown"),
]
