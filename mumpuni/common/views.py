"""Health check for load balancers and monitoring; the user's notifications (the bell's list).

`urlpatterns` here are the notification pages, mounted at /notifikasi/ (namespace "notifications").
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mumpuni.common.models import Notification


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means the database is unreachable
        checks["database"] = f"error: {type(exc).__name__}"
        status = 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "checks": checks, "time": timezone.now().isoformat()},
        status=status,
    )


# --- notifications ---------------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first; nobody sees another user's."""
    qs = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "unread": Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).count(),
        },
    )


def _safe_link(request: HttpRequest, link: str) -> bool:
    # Links are paths inside the platform; anything else (//evil.example, https://…) is not followed.
    return bool(link) and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its link (404 for another user's notification)."""
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if _safe_link(request, notification.link):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")


app_name = "notifications"
urlpatterns = [
    path("", notification_list, name="list"),
    path("<int:pk>/buka/", notification_open, name="open"),
    path("baca-semua/", notification_read_all, name="read_all"),
]
