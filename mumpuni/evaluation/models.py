"""Kirkpatrick evaluation of training (issue 7 §4).

- L1 reaction: one `ReactionResponse` per seated enrolment, opened when the class ends; seven Likert items
  (1–5) fixed in code by version (`QUESTIONS`), plus a comment. Trainers only ever see aggregates.
- L2 learning: computed from `learning.Enrollment.pre_test_score`/`post_test_score` (no table here).
- L3 behaviour: one `BehaviourRequest` per completed enrolment, created `l3_delay_days` after completion
  and addressed to the employee's supervisor (fallback: the nearest unit head), with one
  `BehaviourRating` row per competency the programme targets.
The timings and the minimum group size are an administrator's `EvaluationPolicy` (one row).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mumpuni.competencies.models import Competency
from mumpuni.learning.models import Enrollment
from mumpuni.people.models import Employee

LIKERT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]

# L1 items by version. A new wording is a new version: answers keep the version they were given under,
# and results compare item by item only within a version (fields stay the same, so means still line up).
REACTION_VERSION = 1
REACTION_FIELDS = ("relevance", "trainer", "method", "materials", "facilities", "usefulness", "overall")
QUESTIONS: dict[int, dict[str, tuple[Any, Any]]] = {  # (short title, statement), lazily translated
    1: {
        "relevance": (_("Relevansi materi"), _("Materi pelatihan relevan dengan tugas dan pekerjaan saya.")),
        "trainer": (
            _("Penguasaan pengajar"),
            _("Pengajar menguasai materi dan menyampaikannya dengan jelas."),
        ),
        "method": (
            _("Metode pembelajaran"),
            _("Metode pembelajaran (diskusi, praktik, studi kasus) membantu saya memahami materi."),
        ),
        "materials": (
            _("Bahan ajar"),
            _("Bahan ajar (modul, salindia, latihan) bermutu dan mudah dipahami."),
        ),
        "facilities": (
            _("Sarana"),
            _("Sarana dan prasarana (ruang, peralatan, platform daring) mendukung pembelajaran."),
        ),
        "usefulness": (
            _("Manfaat untuk pekerjaan"),
            _("Yang saya pelajari akan bermanfaat dan dapat saya terapkan dalam pekerjaan."),
        ),
        "overall": (_("Keseluruhan"), _("Secara keseluruhan, saya puas dengan pelatihan ini.")),
    }
}
LIKERT_LABELS = (
    _("Sangat tidak setuju"),
    _("Tidak setuju"),
    _("Ragu-ragu"),
    _("Setuju"),
    _("Sangat setuju"),
)
# L3: how much the supervisor saw the employee's behaviour change in a competency.
CHANGE_LABELS = (
    _("Tidak ada perubahan"),
    _("Sedikit perubahan"),
    _("Perubahan cukup"),
    _("Perubahan nyata"),
    _("Perubahan sangat besar"),
)


class EvaluationPolicy(models.Model):
    """The configurable defaults (one row, pk=1; editable in the admin)."""

    l1_window_days = models.PositiveSmallIntegerField(
        _("masa pengisian evaluasi reaksi (hari)"), default=30, validators=[MinValueValidator(1)]
    )
    l3_delay_days = models.PositiveSmallIntegerField(
        _("penilaian perilaku diminta setelah (hari)"), default=90, validators=[MinValueValidator(1)]
    )
    l3_window_days = models.PositiveSmallIntegerField(
        _("masa pengisian penilaian perilaku (hari)"), default=60, validators=[MinValueValidator(1)]
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("jumlah jawaban minimal agar hasil reaksi ditampilkan"),
        default=3,
        validators=[MinValueValidator(2)],
    )
    record_supervisor_assessment = models.BooleanField(
        _("catat level yang diamati sebagai penilaian atasan"), default=True
    )

    class Meta:
        verbose_name = _("kebijakan evaluasi")
        verbose_name_plural = _("kebijakan evaluasi")

    def __str__(self) -> str:
        return f"L1 {self.l1_window_days} hari, L3 setelah {self.l3_delay_days} hari"

    @classmethod
    def current(cls) -> EvaluationPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SUBMITTED = "submitted", _("Sudah diisi")
    EXPIRED = "expired", _("Kedaluwarsa")


def _likert(verbose: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose, null=True, blank=True, validators=LIKERT_VALIDATORS)


class ReactionResponse(models.Model):
    """The L1 form of one participant of one class: pending → submitted, or expired when not filled."""

    Status = Status

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="reaction")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveSmallIntegerField(default=REACTION_VERSION)
    opened_on = models.DateField()
    expires_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    relevance = _likert("relevansi materi")
    trainer = _likert("penguasaan pengajar")
    method = _likert("metode")
    materials = _likert("bahan ajar")
    facilities = _likert("sarana")
    usefulness = _likert("manfaat untuk pekerjaan")
    overall = _likert("keseluruhan")
    comment = models.TextField("komentar", blank=True)

    class Meta:
        verbose_name = _("evaluasi reaksi (L1)")
        verbose_name_plural = _("evaluasi reaksi (L1)")
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                    name=f"reaction_{f}_1_to_5",
                )
                for f in REACTION_FIELDS
            ],
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(submitted_at__isnull=False, **{f"{f}__isnull": False for f in REACTION_FIELDS}),
                name="submitted_reaction_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"L1 {self.enrollment_id} ({self.status})"

    def answers(self) -> dict[str, int | None]:
        return {f: getattr(self, f) for f in REACTION_FIELDS}


class BehaviourRequest(models.Model):
    """The L3 request about one completed enrolment: pending → submitted, or expired after the window."""

    Status = Status

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="behaviour_request")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="behaviour_requests")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="behaviour_requests",
        verbose_name=_("penilai"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_on = models.DateField()
    expires_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("catatan umum", blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("penilaian perilaku (L3)")
        verbose_name_plural = _("penilaian perilaku (L3)")
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["reviewer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="submitted_behaviour_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"L3 {self.enrollment_id} ({self.status})"


class BehaviourRating(models.Model):
    """One targeted competency of the programme (or, without any, the training as a whole): the change the
    supervisor saw (1–5) and the level they now observe (1–5)."""

    request = models.ForeignKey(BehaviourRequest, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uplift = models.PositiveSmallIntegerField(default=0)  # the programme's target when the request was made
    level_before = models.PositiveSmallIntegerField(null=True, blank=True)  # CurrentLevel at request time
    change = models.PositiveSmallIntegerField(
        "perubahan perilaku", null=True, blank=True, validators=LIKERT_VALIDATORS
    )
    observed_level = models.PositiveSmallIntegerField(
        "level yang diamati", null=True, blank=True, validators=LIKERT_VALIDATORS
    )
    comment = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "competency"],
                condition=Q(competency__isnull=False),
                name="one_rating_per_competency",
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(competency__isnull=True), name="one_general_rating"
            ),
            models.CheckConstraint(
                condition=Q(change__isnull=True) | Q(change__gte=1, change__lte=5), name="change_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(observed_level__isnull=True) | Q(observed_level__gte=1, observed_level__lte=5),
                name="observed_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.competency_id}: {self.change}"
