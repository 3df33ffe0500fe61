"""Staff complaint pages (login): inbox, detail and steps, templates, routing (views/desk.py) and figures
(views/figures.py)."""

from mumpuni.complaints.views.desk import urlpatterns as desk_urls
from mumpuni.complaints.views.figures import urlpatterns as figures_urls

app_name = "complaints"
# Figures first: their literal path must win over the tracking-code routes.
urlpatterns = [*figures_urls, *desk_urls]
