"""Pages under /laporan/ (namespace "reports")."""

from django.urls import path

from mumpuni.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("minta/", views.request_form, name="request"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/kemajuan/", views.job_progress, name="progress"),
    path("<int:pk>/unduh/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/minta-ulang/", views.request_again, name="again"),
]
