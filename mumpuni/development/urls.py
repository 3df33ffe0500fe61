"""Individual development plans (IDP) under /pengembangan/ (ns "development"). Views: views/plans.py (plans),
views/recommendations.py (recommendations that explain themselves)."""

from mumpuni.development.views.plans import urlpatterns as plan_urls
from mumpuni.development.views.recommendations import urlpatterns as recommendation_urls

app_name = "development"
urlpatterns = [*plan_urls, *recommendation_urls]
