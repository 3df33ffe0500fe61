"""The built-in nudge rules (contract in rules.py). Each answers `candidates(today)` from the state of the
data *as of* `today` where the data allows it (so the demo seeder can replay past days), and
`first_action(user_id, key, since)` — the moment the person did the thing within 14 days, or None —
from which `acted` follows. The engine uses `first_action` when a rule has it, to measure days to act.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import ClassVar, cast

from django.db.models import Min, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mumpuni.nudges.rules import NudgeCandidate

WINDOW = dt.timedelta(days=14)
# Labels: the contract types `label` as str; a lazy translation is one (cast for mypy).


def _window(since: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return since, since + WINDOW


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _employee_users() -> dict[int, int]:
    """employee id → user id for active employees with an active account (only they can be nudged)."""
    from mumpuni.people.models import Employee

    return dict(
        Employee.objects.filter(active=True, user__isnull=False, user__is_active=True).values_list(
            "pk", "user_id"
        )
    )


def _employee_of(user_id: int) -> int | None:
    from mumpuni.people.models import Employee

    return Employee.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


class _MeasuredRule:
    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        raise NotImplementedError

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        return self.first_action(user_id, key, since) is not None


class JpBehindSchedule(_MeasuredRule):
    """JP credited this year below the pro-rata share of the 20 JP target for the day of the year, minus a
    margin (PP 11/2017 jo. PP 17/2020: at least 20 JP a year). Once a month at most (key = year-month)."""

    kind: ClassVar[str] = "jp_behind"
    label: ClassVar[str] = cast(str, gettext_lazy("JP tertinggal dari jadwal"))
    margin = Decimal("2")

    def expected(self, today: dt.date) -> Decimal:
        from mumpuni.learning.models import ANNUAL_JP_TARGET

        days = 366 if calendar.isleap(today.year) else 365
        share = Decimal(ANNUAL_JP_TARGET) * Decimal(today.timetuple().tm_yday) / Decimal(days)
        return share.quantize(Decimal("0.1"))

    def candidates(self, today: dt.date) -> Iterator[NudgeCandidate]:
        from mumpuni.learning.models import ANNUAL_JP_TARGET, JpEntry

        expected = self.expected(today)
        if expected - self.margin <= 0:
            return
        people = _employee_users()
        totals = dict(
            JpEntry.objects.filter(year=today.year, occurred_on__lte=today, employee_id__in=list(people))
            .values("employee_id")
            .annotate(total=Sum("jp"))
            .values_list("employee_id", "total")
        )
        link = reverse("learning:class_list")
        for employee_id, user_id in people.items():
            total = totals.get(employee_id) or Decimal("0")
            if total < expected - self.margin:
                yield NudgeCandidate(
                    user_id=user_id,
                    key=f"{today:%Y-%m}",
                    title=_("JP Anda tahun ini tertinggal dari jadwal"),
                    body=_(
                        "Sampai %(day)s tercatat %(total)s JP; menurut jadwal sekitar %(expected)s JP dari "
                        "target %(target)s JP setahun. Lihat kelas yang dibuka atau ajukan kegiatan nonklasikal."
                    )
                    % {
                        "day": f"{today:%d-%m-%Y}",
                        "total": total,
                        "expected": expected,
                        "target": ANNUAL_JP_TARGET,
                    },
                    link=link,
                )

    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        """A JP line dated in the window, or an enrolment requested in it."""
        from mumpuni.learning.models import Enrollment, JpEntry

        employee_id = _employee_of(user_id)
        if employee_id is None:
            return None
        start, end = _window(since)
        local_start = timezone.localtime(start).date()
        day = JpEntry.objects.filter(
            employee_id=employee_id,
            occurred_on__gte=local_start,
            occurred_on__lte=timezone.localtime(end).date(),
        ).aggregate(first=Min("occurred_on"))["first"]
        enrolled = Enrollment.objects.filter(
            employee_id=employee_id, created_at__gte=start, created_at__lte=end
        ).aggregate(first=Min("created_at"))["first"]
        moments = [m for m in (enrolled, _local_day_start(day) if day else None) if m is not None]
        # A line dated the nudge's own day counts from the nudge, not from midnight before it.
        return max(min(moments), start) if moments else None


class ClassStartingSoon(_MeasuredRule):
    """An enrolment in a class that starts within 3 days; acted = present at the first session."""

    kind: ClassVar[str] = "class_soon"
    label: ClassVar[str] = cast(str, gettext_lazy("Kelas segera dimulai"))
    days_ahead = 3

    def candidates(self, today: dt.date) -> Iterator[NudgeCandidate]:
        from mumpuni.learning.models import Enrollment, TrainingClass

        rows = (
            Enrollment.objects.filter(
                status__in=Enrollment.SEATED_STATUSES,
                training_class__starts_on__gte=today,
                training_class__starts_on__lte=today + dt.timedelta(days=self.days_ahead),
                employee__user__isnull=False,
                employee__user__is_active=True,
            )
            .exclude(training_class__status=TrainingClass.Status.CANCELLED)
            .select_related("training_class")
            .values_list(
                "employee__user_id",
                "training_class_id",
                "training_class__name",
                "training_class__starts_on",
                "training_class__venue",
            )
        )
        for user_id, class_id, name, starts_on, venue in rows:
            where = _(" di %(venue)s") % {"venue": venue} if venue else ""
            yield NudgeCandidate(
                user_id=user_id,
                key=f"class:{class_id}",
                title=_("Kelas %(name)s dimulai %(day)s") % {"name": name, "day": f"{starts_on:%d-%m-%Y}"},
                body=_(
                    "Anda terdaftar di kelas ini%(where)s. Jangan lupa presensi dengan memindai QR di sesi pertama."
                )
                % {"where": where},
                link=reverse("learning:class_detail", args=[class_id]),
            )

    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        from mumpuni.learning.models import Attendance, Session

        class_id = int(key.split(":", 1)[1])
        first = Session.objects.filter(training_class_id=class_id).order_by("starts_at", "id").first()
        if first is None:
            return None
        attendance = Attendance.objects.filter(
            session=first, enrollment__employee__user_id=user_id, present=True
        ).first()
        if attendance is None:
            return None
        # Presence is at the session itself (marked_at may be a later correction by the trainer).
        moment = max(min(first.starts_at, attendance.marked_at), since)
        return moment if moment <= since + WINDOW else None


class PlanAwaitingSupervisor(_MeasuredRule):
    """A development plan proposed and waiting for at least 2 working days; to whom can agree it (the direct
    supervisor, or without one the heads of the units above — development.services.reviewer_users)."""

    kind: ClassVar[str] = "plan_waiting"
    label: ClassVar[str] = cast(str, gettext_lazy("Rencana pengembangan menunggu persetujuan"))
    working_days = 2

    def candidates(self, today: dt.date) -> Iterator[NudgeCandidate]:
        from mumpuni.common.calendar import work_calendar
        from mumpuni.development.models import DevelopmentPlan
        from mumpuni.development.services import reviewer_users

        calendar_ = work_calendar()
        plans = DevelopmentPlan.objects.filter(
            status=DevelopmentPlan.Status.PROPOSED, proposed_at__isnull=False
        ).select_related("employee__unit")
        for plan in plans:
            assert plan.proposed_at is not None
            proposed_on = timezone.localtime(plan.proposed_at).date()
            if proposed_on > today or calendar_.working_days_between(proposed_on, today) < self.working_days:
                continue
            for user in reviewer_users(plan.employee):
                if not user.is_active or user.pk == plan.employee.user_id:
                    continue
                yield NudgeCandidate(
                    user_id=user.pk,
                    key=f"plan:{plan.pk}:{plan.proposed_at:%Y%m%d%H%M}",
                    title=_("Rencana pengembangan %(name)s menunggu persetujuan Anda")
                    % {"name": plan.employee.name},
                    body=_("Diajukan %(day)s. Setujui atau kembalikan dengan catatan.")
                    % {"day": f"{proposed_on:%d-%m-%Y}"},
                    link=reverse("development:plan", args=[plan.pk]),
                )

    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        """The nudged reviewer agreed or returned the plan within the window."""
        from mumpuni.development.models import PlanComment

        plan_id = int(key.split(":")[1])
        start, end = _window(since)
        return PlanComment.objects.filter(
            plan_id=plan_id,
            author_id=user_id,
            step__in=[PlanComment.Step.AGREED, PlanComment.Step.RETURNED],
            created_at__gte=start,
            created_at__lte=end,
        ).aggregate(first=Min("created_at"))["first"]


class CertificateExpiring(_MeasuredRule):
    """A certificate valid until within 30 days; acted = enrolled again in that programme or certified anew."""

    kind: ClassVar[str] = "certificate_expiring"
    label: ClassVar[str] = cast(str, gettext_lazy("Sertifikat segera berakhir"))
    days_ahead = 30

    def candidates(self, today: dt.date) -> Iterator[NudgeCandidate]:
        from mumpuni.learning.models import Certificate

        rows = Certificate.objects.filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=_local_day_start(today)),
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=self.days_ahead),
            issued_on__lte=today,
            enrollment__employee__user__isnull=False,
            enrollment__employee__user__is_active=True,
        ).values_list(
            "pk",
            "enrollment__employee__user_id",
            "enrollment__training_class__program__name",
            "enrollment__training_class__program_id",
            "valid_until",
        )
        for pk, user_id, program, program_id, valid_until in rows:
            yield NudgeCandidate(
                user_id=user_id,
                key=f"cert:{pk}",
                title=_("Sertifikat %(program)s berakhir %(day)s")
                % {"program": program, "day": f"{valid_until:%d-%m-%Y}"},
                body=_("Daftarkan diri di kelas penyegaran sebelum sertifikat Anda tidak berlaku lagi."),
                link=reverse("learning:program_detail", args=[program_id]),
            )

    def first_action(self, user_id: int, key: str, since: dt.datetime) -> dt.datetime | None:
        from mumpuni.learning.models import Certificate, Enrollment

        cert = (
            Certificate.objects.filter(pk=int(key.split(":", 1)[1]))
            .values_list("enrollment_id", "enrollment__employee_id", "enrollment__training_class__program_id")
            .first()
        )
        if cert is None:
            return None
        own_enrollment_id, employee_id, program_id = cert
        start, end = _window(since)
        enrolled = (
            Enrollment.objects.filter(
                employee_id=employee_id,
                training_class__program_id=program_id,
                created_at__gte=start,
                created_at__lte=end,
            )
            .exclude(status__in=["cancelled", "rejected"])
            .exclude(pk=own_enrollment_id)
            .aggregate(first=Min("created_at"))["first"]
        )
        issued = (
            Certificate.objects.filter(
                enrollment__employee_id=employee_id,
                enrollment__training_class__program_id=program_id,
                issued_on__gte=timezone.localtime(start).date(),
                issued_on__lte=timezone.localtime(end).date(),
            )
            .exclude(pk=int(key.split(":", 1)[1]))
            .aggregate(first=Min("issued_on"))["first"]
        )
        moments = [m for m in (enrolled, max(_local_day_start(issued), start) if issued else None) if m]
        return min(moments) if moments else None


class PlanCompleted:
    """Recognition for a plan completed in the last 7 days (no action to measure)."""

    kind: ClassVar[str] = "plan_completed"
    label: ClassVar[str] = cast(str, gettext_lazy("Apresiasi rencana pengembangan selesai"))
    days_back = 7

    def candidates(self, today: dt.date) -> Iterable[NudgeCandidate]:
        from mumpuni.development.models import DevelopmentPlan

        rows = DevelopmentPlan.objects.filter(
            status=DevelopmentPlan.Status.COMPLETED,
            completed_at__gte=_local_day_start(today - dt.timedelta(days=self.days_back)),
            completed_at__lt=_local_day_start(today + dt.timedelta(days=1)),
            employee__user__isnull=False,
            employee__user__is_active=True,
        ).values_list("pk", "employee__user_id", "year")
        return [
            NudgeCandidate(
                user_id=user_id,
                key=f"plan:{pk}",
                title=_("Selamat! Rencana pengembangan %(year)s Anda selesai") % {"year": year},
                body=_(
                    "Terima kasih telah menuntaskan rencana pengembangan Anda. Teruskan semangat belajar."
                ),
                link=reverse("development:plan", args=[pk]),
                recognition=True,
            )
            for pk, user_id, year in rows
        ]

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        return None
