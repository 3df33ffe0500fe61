"""REST API of `nudges` under /api/v1/nudges/: the caller's own notification preferences (read and replace,
validated by the same service as the page /pengingat/preferensi/), the caller's own bell notifications
(list, mark one read) and the effect figures of /pengingat/efek/ (BKPP admins and executives only).

Everything here belongs to a person: service accounts (kiosk, display, partner keys) are refused (403).
Another user's notification is a 404, never a 403, so ids do not reveal what exists.
"""

# No `from __future__ import annotations`: ninja must resolve `Query[...]` under @paginate at import time.
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, field_validator

from mumpuni.common.api import ErrorOut, PagePagination
from mumpuni.common.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from mumpuni.common.models import Notification
from mumpuni.nudges import selectors, services
from mumpuni.nudges.channels import GatewayChannel
from mumpuni.nudges.models import Category, Channel, NotificationPreference
from mumpuni.people.models import SERVICE_ROLES
from mumpuni.people.scopes import scope_for

router = Router(tags=["pengingat dan notifikasi"])

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
GET_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**GET_ERRORS, 409: ErrorOut}

TIME_FORMAT = "%H:%M"
EFFECT_YEARS_BACK = 10  # as the effect page: this year and the ten before it
_SERVICE_ROLE_VALUES = frozenset(r.value for r in SERVICE_ROLES)


def _person(request: HttpRequest) -> None:
    """Preferences, notifications and effects are for people: device and partner accounts are refused."""
    scope = scope_for(request.user)
    if getattr(request.user, "is_service_account", False) or (
        scope.roles and scope.roles <= _SERVICE_ROLE_VALUES
    ):
        raise PermissionDeniedError(_("Akun layanan tidak dapat mengakses pengingat dan notifikasi."))


# --- preferences ---------------------------------------------------------------------------------------


class KindOut(Schema):
    kind: str
    label: str


class PreferencesOut(Schema):
    channels: dict[str, list[str]] = Field(
        description="Saluran per kategori (workflow, reminder, recognition): daftar dari email, sms."
    )
    muted_kinds: list[str] = Field(description="Jenis pengingat yang dimatikan (lihat `kinds`).")
    quiet_start: str = Field(description="Jam tenang mulai, JJ:MM (Asia/Jakarta).")
    quiet_end: str = Field(description="Jam tenang selesai, JJ:MM (Asia/Jakarta).")
    digest_mode: str = Field(description="immediate (segera) atau daily (ringkasan harian).")
    digest_hour: int = Field(description="Jam ringkasan harian, 0–23.")
    sms_available: bool = Field(description="false: gateway SMS belum dikonfigurasi; SMS tidak dapat diubah.")
    kinds: list[KindOut] = Field(description="Jenis pengingat yang dapat dimatikan.")


def _time_value(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Isi jam dengan format JJ:MM, misalnya 21:00."))
    try:
        dt.datetime.strptime(value, TIME_FORMAT)
    except ValueError:
        raise ValueError(_("Isi jam dengan format JJ:MM, misalnya 21:00.")) from None
    return value


class PreferencesIn(Schema):
    """The whole preference (PUT replaces it). Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[str, list[str]] = Field(
        description="Saluran per kategori; kategori yang tidak disebut berarti tanpa saluran luar."
    )
    muted_kinds: list[str] = Field(default_factory=list)
    quiet_start: str = Field(description="JJ:MM, mis. 21:00")
    quiet_end: str = Field(description="JJ:MM, mis. 07:00")
    digest_mode: str = Field(description="immediate atau daily")
    digest_hour: int = Field(description="0–23")

    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _hhmm(cls, value: Any) -> str:
        return _time_value(value)


def _preferences_out(pref: NotificationPreference) -> PreferencesOut:
    kinds = services.rule_kinds()
    return PreferencesOut(
        channels={category: pref.channels_for(category) for category in Category.values},
        muted_kinds=[k for k in (pref.muted_kinds or []) if k in kinds],
        quiet_start=pref.quiet_start.strftime(TIME_FORMAT),
        quiet_end=pref.quiet_end.strftime(TIME_FORMAT),
        digest_mode=pref.digest_mode,
        digest_hour=pref.digest_hour,
        sms_available=GatewayChannel().configured(),
        kinds=[KindOut(kind=k, label=v) for k, v in sorted(kinds.items(), key=lambda kv: kv[1])],
    )


def _check_choices(
    payload: PreferencesIn, pref: NotificationPreference, kinds: dict[str, str]
) -> dict[str, list[str]]:
    """What the page's form refuses before the service runs: unknown categories, channels and reminder
    kinds, and a change of SMS while the gateway is off (the page shows that box disabled)."""
    errors: dict[str, list[str]] = {}
    sms_available = GatewayChannel().configured()
    for category, chosen in payload.channels.items():
        field = f"channels.{category}"
        if category not in Category.values:
            known = ", ".join(Category.values)
            errors[field] = [_("Kategori tidak dikenal; pilih dari: %(known)s.") % {"known": known}]
            continue
        unknown = sorted({c for c in chosen if c not in Channel.values})
        if unknown:
            known = ", ".join(Channel.values)
            errors[field] = [_("Saluran tidak dikenal; pilih dari: %(known)s.") % {"known": known}]
        elif not sms_available and (Channel.SMS in chosen) != (Channel.SMS in pref.channels_for(category)):
            errors[field] = [_("SMS belum tersedia: gateway SMS belum dikonfigurasi.")]
    unknown_kinds = sorted({k for k in payload.muted_kinds if k not in kinds})
    if unknown_kinds:
        errors["muted_kinds"] = [
            _("Jenis pengingat tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(unknown_kinds)}
        ]
    return errors


@router.get(
    "/preferences", response={200: PreferencesOut, **READ_ERRORS}, summary="Preferensi notifikasi saya"
)
def preferences_get(request: HttpRequest) -> PreferencesOut:
    """The caller's own preference (the defaults when never saved)."""
    _person(request)
    return _preferences_out(services.preference_for(request.user))


@router.put(
    "/preferences", response={200: PreferencesOut, **WRITE_ERRORS}, summary="Ubah preferensi notifikasi saya"
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    """Replace the caller's own preference; 422 with messages per field (same rules as the page)."""
    _person(request)
    pref = services.preference_for(request.user)
    errors = _check_choices(payload, pref, services.rule_kinds())
    if errors:
        raise ValidationFailed(_("Data tidak valid."), fields=errors)
    channels = {category: list(payload.channels.get(category, [])) for category in Category.values}
    if not GatewayChannel().configured():
        # As the page's disabled SMS box: the saved SMS choice stays.
        for category in Category.values:
            channels[category] = [c for c in channels[category] if c != Channel.SMS]
            if Channel.SMS in pref.channels_for(category):
                channels[category].append(Channel.SMS)
    try:
        saved = services.preference_update(
            actor=request.user,
            user=request.user,
            channels=channels,
            muted_kinds=payload.muted_kinds,
            quiet_start=dt.datetime.strptime(payload.quiet_start, TIME_FORMAT).time(),
            quiet_end=dt.datetime.strptime(payload.quiet_end, TIME_FORMAT).time(),
            digest_mode=payload.digest_mode,
            digest_hour=payload.digest_hour,
        )
    except ValidationFailed as exc:
        # The service files the missing phone under "sms"; the API's field is `channels`.
        fields = {("channels" if k == "sms" else k): v for k, v in exc.fields.items()}
        raise ValidationFailed(_("Data tidak valid."), fields=fields) from exc
    return _preferences_out(saved)


# --- notifications (the bell) --------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    kind: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj: Notification) -> bool:
        return obj.read_at is None


class NotificationFilters(Schema):
    unread: bool = Field(False, description="true: hanya yang belum dibaca.")


def _own_notifications(request: HttpRequest) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=request.user.pk)


@router.get("/notifications", response={200: list[NotificationOut], **READ_ERRORS}, summary="Notifikasi saya")
@paginate(PagePagination)
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    """The caller's own notifications (the bell), newest first; `?unread=true` for the unread ones."""
    _person(request)
    qs = _own_notifications(request).order_by("-created_at", "-id")
    if filters.unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **GET_ERRORS},
    summary="Tandai notifikasi sudah dibaca",
)
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read (again: no change). Another user's id is a 404."""
    _person(request)
    notification = _own_notifications(request).filter(pk=notification_id).first()
    if notification is None:
        raise NotFoundError(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        now = timezone.now()
        # Conditional: two clicks at once keep the first moment.
        _own_notifications(request).filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


# --- effects ---------------------------------------------------------------------------------------------


class EffectRowOut(Schema):
    kind: str
    label: str
    month: str | None = Field(description="TTTT-BB; kosong pada baris total per jenis.")
    sent: int
    pending: int = Field(description="Terkirim, masih dalam jendela 14 hari tanpa tindakan.")
    measured: int
    acted: int
    rate: float | None = Field(description="acted / measured")
    median_days: float | None
    recognition: int
    comparison_measured: int = Field(
        description="Memenuhi syarat tetapi mematikan jenis ini (tanpa kiriman)."
    )
    comparison_acted: int
    comparison_rate: float | None


class EffectsOut(Schema):
    year: int
    rows: list[EffectRowOut] = Field(description="Per jenis dan bulan.")
    totals: list[EffectRowOut] = Field(description="Per jenis selama setahun.")


def _effect_out(row: selectors.EffectRow, labels: dict[str, str], *, total: bool) -> EffectRowOut:
    return EffectRowOut(
        kind=row.kind,
        label=labels.get(row.kind, row.kind),
        month=None if total else row.month,
        sent=row.sent,
        pending=row.pending,
        measured=row.measured,
        acted=row.acted,
        rate=row.rate,
        median_days=row.median_days,
        recognition=row.recognition,
        comparison_measured=row.comparison_measured,
        comparison_acted=row.comparison_acted,
        comparison_rate=row.comparison_rate,
    )


@router.get("/effects", response={200: EffectsOut, **READ_ERRORS}, summary="Efek pengingat")
def effects(request: HttpRequest, year: int | None = None) -> EffectsOut:
    """The figures of /pengingat/efek/ for one year (default: this year). BKPP admins and executives."""
    _person(request)
    if not selectors.can_see_effects(request.user):
        raise PermissionDeniedError(_("Efek pengingat hanya untuk admin BKPP dan pimpinan."))
    this_year = timezone.localdate().year
    if year is None:
        year = this_year
    elif not this_year - EFFECT_YEARS_BACK <= year <= this_year:
        message = _("Tahun harus antara %(first)s dan %(last)s.") % {
            "first": this_year - EFFECT_YEARS_BACK,
            "last": this_year,
        }
        raise ValidationFailed(message, fields={"year": [message]})
    labels = services.rule_kinds()
    rows = selectors.effect_rows(year=year)
    totals = selectors.effect_totals(rows)
    return EffectsOut(
        year=year,
        rows=[_effect_out(r, labels, total=False) for r in rows],
        totals=[_effect_out(r, labels, total=True) for r in totals],
    )
