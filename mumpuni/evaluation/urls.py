"""Pages under /evaluasi/ (namespace "evaluation"). Views: views/pages.py."""

from mumpuni.evaluation.views.pages import urlpatterns as page_urls

app_name = "evaluation"
urlpatterns = [*page_urls]
