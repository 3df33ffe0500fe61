"""Staff IKM pages (login): figures, trends, comparison, the official report (PDF/XLSX), paper import.
Views: views/reports.py and views/imports.py."""

from mumpuni.surveys.views.imports import urlpatterns as import_urls
from mumpuni.surveys.views.reports import urlpatterns as report_urls

app_name = "surveys"
urlpatterns = [*report_urls, *import_urls]
