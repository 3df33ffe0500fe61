from django.contrib import admin
from django.urls import include, path

from mumpuni.common.views import healthz
from mumpuni.config.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("akun/", include("mumpuni.people.views.accounts")),
    path("impor/", include("mumpuni.people.views.imports")),
    path("kompetensi/", include("mumpuni.competencies.urls")),
    path("pelatihan/", include("mumpuni.learning.urls")),
    path("verifikasi/", include("mumpuni.learning.public_urls")),
    path("layanan/", include("mumpuni.queueing.urls")),
    path("antrean/", include("mumpuni.queueing.public_urls")),
    path("pengaduan/", include("mumpuni.complaints.public_urls")),
    path("meja-pengaduan/", include("mumpuni.complaints.urls")),
    path("open311/", include("mumpuni.complaints.open311.urls")),
    path("survei/", include("mumpuni.surveys.public_urls")),
    path("ikm/", include("mumpuni.surveys.urls")),
    path("pengembangan/", include("mumpuni.development.urls")),
    path("evaluasi/", include("mumpuni.evaluation.urls")),
    path("talenta/", include("mumpuni.talent.urls")),
    path("pengingat/", include("mumpuni.nudges.urls")),
    path("perencanaan/", include("mumpuni.planning.urls")),
    path("dampak/", include("mumpuni.insights.urls")),
    path("dasbor/", include("mumpuni.insights.dashboard_urls")),
    path("laporan/", include("mumpuni.reports.urls")),
    path("transparansi/", include("mumpuni.insights.public_urls")),
    path("notifikasi/", include("mumpuni.common.views")),
    path("", include("mumpuni.people.views.staff")),
]
