"""Individual development plans (IDP) under /pengembangan/ (ns "development"). Views: views/plans.py."""

from mumpuni.development.views.plans import urlpatterns as plan_urls

app_name = "development"
urlpatterns = [*plan_urls]
