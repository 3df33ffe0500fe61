"""Pages under /talenta/ (namespace "talent"): the 9-box (views/ninebox.py), further education
(views/education.py) and its catalogue kept by BKPP (views/catalogue.py)."""

from mumpuni.talent.views.catalogue import urlpatterns as catalogue_urls
from mumpuni.talent.views.education import urlpatterns as education_urls
from mumpuni.talent.views.ninebox import urlpatterns as ninebox_urls

app_name = "talent"
urlpatterns = [*ninebox_urls, *catalogue_urls, *education_urls]
