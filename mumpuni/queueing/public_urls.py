"""Public pages (no login): kiosk, ticket page, display board, online booking."""

from mumpuni.queueing.views.booking import urlpatterns as booking_urls
from mumpuni.queueing.views.public import urlpatterns as public_urls

app_name = "queue_public"
urlpatterns = [*public_urls, *booking_urls]
