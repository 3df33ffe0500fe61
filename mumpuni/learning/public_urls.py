"""Public pages of learning (no login): certificate verification."""

from mumpuni.learning.views.public import urlpatterns as public_urls

app_name = "learning_public"
urlpatterns = [*public_urls]
