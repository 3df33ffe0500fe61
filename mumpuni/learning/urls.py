"""Learning pages: catalogue and classes, enrolment and approvals, attendance/completion/JP/certificates."""

from mumpuni.learning.views.catalogue import urlpatterns as catalogue_urls
from mumpuni.learning.views.enrollment import urlpatterns as enrollment_urls
from mumpuni.learning.views.progress import urlpatterns as progress_urls

app_name = "learning"
urlpatterns = [*catalogue_urls, *enrollment_urls, *progress_urls]
