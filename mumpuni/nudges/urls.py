"""Pages under /pengingat/ (namespace "nudges")."""

from mumpuni.nudges.views.pages import urlpatterns

app_name = "nudges"
__all__ = ["app_name", "urlpatterns"]
