"""Public survey pages (no login): the counter tablet and the ticket's online link. Views: views/public.py."""

from mumpuni.surveys.views.public import urlpatterns as public_urls

app_name = "surveys_public"
urlpatterns = [*public_urls]
