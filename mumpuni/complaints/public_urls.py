"""Public complaint pages (no login): the form, the tracking page, the complainant's rating and dispute.
Owned by the intake helper; views live in views/public.py."""

from mumpuni.complaints.views.public import urlpatterns as public_urls

app_name = "complaints_public"
urlpatterns = [*public_urls]
