"""Staff complaint pages (login): inbox, detail and steps, templates, routing, figures.
Owned by the handling helper; views live in views/desk.py and views/figures.py."""

from mumpuni.complaints.views.desk import urlpatterns as desk_urls

app_name = "complaints"
urlpatterns = [*desk_urls]
