"""Staff pages of the service points: points and counters, the counter console, statistics and staffing."""

from mumpuni.queueing.views.console import urlpatterns as console_urls
from mumpuni.queueing.views.points import urlpatterns as points_urls
from mumpuni.queueing.views.stats import urlpatterns as stats_urls

app_name = "queueing"
urlpatterns = [*points_urls, *console_urls, *stats_urls]
