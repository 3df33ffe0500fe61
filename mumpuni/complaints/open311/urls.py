"""Open311 GeoReport v2 under /open311/v2/ and the service discovery file at /open311/discovery.{json,xml}."""

from django.urls import path, re_path, register_converter

from mumpuni.complaints.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CodeConverter:
    """Service codes (waktu_tunggu), tracking codes (ADU-7K3M-9QXP) and tokens: no dots, so `.json` splits."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311_format")
register_converter(CodeConverter, "open311_code")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311_format:fmt>", views.discovery, name="discovery"),
    path("v2/", views.root, name="root"),
    path("v2/services.<open311_format:fmt>", views.service_list, name="services"),
    path(
        "v2/services/<open311_code:service_code>.<open311_format:fmt>",
        views.service_definition,
        name="service_definition",
    ),
    path("v2/requests.<open311_format:fmt>", views.requests, name="requests"),
    path(
        "v2/requests/<open311_code:service_request_id>.<open311_format:fmt>",
        views.request_detail,
        name="request",
    ),
    path("v2/tokens/<open311_code:token>.<open311_format:fmt>", views.token, name="token"),
    re_path(r"^", views.not_found, name="not_found"),
]
