"""Pages under /talenta/ (namespace "talent"): the 9-box (views/ninebox.py) and further education
(views/education.py)."""

from mumpuni.talent.views.education import urlpatterns as education_urls
from mumpuni.talent.views.ninebox import urlpatterns as ninebox_urls

app_name = "talent"
urlpatterns = [*ninebox_urls, *education_urls]
