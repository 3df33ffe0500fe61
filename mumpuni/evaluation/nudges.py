"""The nudge rule of the evaluation (contract: mumpuni/nudges/rules.py).

`EvaluationDue` reminds
- participants of an L1 form still pending `L1_REMINDER_AFTER` days after it opened (key `l1:<id>`);
- reviewers of an L3 request still pending after 14 days (key `l3:<id>:1`) and again 15 days before it
  expires (key `l3:<id>:2`) — two keys, so the engine's de-duplication lets exactly two reminders through.
`acted()` answers whether the form/request was submitted within 14 days of the reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import ClassVar

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from mumpuni.evaluation.models import BehaviourRequest, ReactionResponse, Status
from mumpuni.nudges.rules import NudgeCandidate

L1_REMINDER_AFTER = 3  # days after the form opened
L3_FIRST_REMINDER_AFTER = 14  # days after the request
L3_LAST_REMINDER_BEFORE = 15  # days before it expires
ACTION_WINDOW = dt.timedelta(days=14)


class EvaluationDue:
    kind: ClassVar[str] = "evaluation_due"
    label: ClassVar[str] = gettext_noop("Evaluasi pelatihan yang belum diisi")  # translated where shown

    def candidates(self, today: dt.date) -> Iterable[NudgeCandidate]:
        yield from self._reactions(today)
        yield from self._behaviour(today)

    def _reactions(self, today: dt.date) -> Iterator[NudgeCandidate]:
        link = reverse("evaluation:mine")
        rows = (
            ReactionResponse.objects.filter(
                status=Status.PENDING,
                expires_on__gte=today,
                opened_on__lte=today - dt.timedelta(days=L1_REMINDER_AFTER),
                enrollment__employee__user__isnull=False,
                enrollment__employee__user__is_active=True,
            )
            .values_list(
                "pk",
                "enrollment__employee__user_id",
                "enrollment__training_class__program__name",
                "expires_on",
            )
            .order_by("pk")
        )
        for pk, user_id, program, expires_on in rows.iterator(chunk_size=2000):
            yield NudgeCandidate(
                user_id=user_id,
                key=f"l1:{pk}",
                title=f"Evaluasi pelatihan {program} menunggu",
                body=f"Isi evaluasi reaksi pelatihan Anda sebelum {expires_on:%d-%m-%Y}. Jawaban Anda anonim bagi pengajar.",
                link=link,
            )

    def _behaviour(self, today: dt.date) -> Iterator[NudgeCandidate]:
        first = Q(requested_on__lte=today - dt.timedelta(days=L3_FIRST_REMINDER_AFTER))
        last = Q(expires_on__lte=today + dt.timedelta(days=L3_LAST_REMINDER_BEFORE))
        rows = (
            BehaviourRequest.objects.filter(first | last, status=Status.PENDING, expires_on__gte=today)
            .filter(reviewer__isnull=False, reviewer__is_active=True)
            .values_list("pk", "reviewer_id", "employee__name", "expires_on", "requested_on")
            .order_by("pk")
        )
        for pk, user_id, name, expires_on, requested_on in rows.iterator(chunk_size=2000):
            stage = 2 if expires_on <= today + dt.timedelta(days=L3_LAST_REMINDER_BEFORE) else 1
            if stage == 2 and requested_on > today - dt.timedelta(days=L3_FIRST_REMINDER_AFTER):
                stage = 1  # a short window: the first reminder is also the last
            yield NudgeCandidate(
                user_id=user_id,
                key=f"l3:{pk}:{stage}",
                title=f"Penilaian perilaku {name} menunggu",
                body=(
                    f"Nilai perubahan perilaku kerja {name} setelah pelatihan sebelum {expires_on:%d-%m-%Y}."
                ),
                link=reverse("evaluation:behaviour", args=[pk]),
            )

    def acted(self, user_id: int, key: str, since: dt.datetime) -> bool | None:
        kind, _sep, rest = key.partition(":")
        pk_text = rest.split(":", 1)[0]
        if not pk_text.isdigit():
            return None
        until = since + ACTION_WINDOW
        if kind == "l1":
            return ReactionResponse.objects.filter(
                pk=int(pk_text),
                enrollment__employee__user_id=user_id,
                status=Status.SUBMITTED,
                submitted_at__gte=since,
                submitted_at__lte=until,
            ).exists()
        if kind == "l3":
            return BehaviourRequest.objects.filter(
                pk=int(pk_text), status=Status.SUBMITTED, submitted_at__gte=since, submitted_at__lte=until
            ).exists()
        return None
