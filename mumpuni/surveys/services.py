"""Collecting SKM responses: at the counter (tablet), online (the ticket's link, 7 days, once) and from paper.

One response per ticket is a unique constraint (`SurveyResponse.ticket`), so two submits racing for the same
ticket end with one row and one clear refusal, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mumpuni.common.errors import ApplicationError, NotFoundError, ValidationFailed
from mumpuni.queueing.models import Counter, Ticket
from mumpuni.surveys.models import UNSUR_FIELDS, SurveyResponse

ONLINE_VALID_DAYS = 7
COUNTER_WINDOW_MINUTES = 15  # the tablet offers a ticket finished at its counter this recently
PROFILE_FIELDS = ("age_band", "sex", "education", "occupation")
SURVEYABLE = ("done", "incomplete", "referred")


class AlreadyAnswered(ApplicationError):
    status_code = 409


class SurveyClosed(ApplicationError):
    status_code = 410


def clean_answers(data: Mapping[str, Any]) -> tuple[dict[str, int | None], dict[str, list[str]]]:
    """u1..u9 as 1–4 or None (blank); Indonesian field errors. At least one unsur must be answered."""
    answers: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for field in UNSUR_FIELDS:
        raw = data.get(field)
        if raw in (None, ""):
            answers[field] = None
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = 0
        if value not in (1, 2, 3, 4):
            errors[field] = ["Jawaban harus 1, 2, 3 atau 4 (atau dikosongkan)."]
            continue
        answers[field] = value
    if not errors and all(v is None for v in answers.values()):
        errors["__all__"] = ["Jawab setidaknya satu pertanyaan."]
    return answers, errors


def clean_profile(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    choices = {
        "age_band": SurveyResponse.AgeBand.values,
        "sex": SurveyResponse.Sex.values,
        "education": SurveyResponse.Education.values,
        "occupation": SurveyResponse.Occupation.values,
    }
    profile: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field, allowed in choices.items():
        value = str(data.get(field) or "").strip()
        if value and value not in allowed:
            errors[field] = ["Pilihan tidak dikenal."]
        profile[field] = value if value in allowed else ""
    return profile, errors


def online_deadline(ticket: Ticket) -> dt.datetime | None:
    if ticket.finished_at is None:
        return None
    return ticket.finished_at + dt.timedelta(days=ONLINE_VALID_DAYS)


def survey_refusal(
    ticket: Ticket, now: dt.datetime | None = None, *, channel: str
) -> ApplicationError | None:
    """The refusal (AlreadyAnswered 409 or SurveyClosed 410) for surveying the ticket now, or None."""
    now = now or timezone.now()
    if ticket.status not in SURVEYABLE or ticket.finished_at is None:
        return SurveyClosed("Survei dapat diisi setelah layanan tiket ini selesai.")
    if SurveyResponse.objects.filter(ticket=ticket).exists():
        return AlreadyAnswered("Survei untuk tiket ini sudah diisi. Terima kasih.")
    if channel == SurveyResponse.Channel.ONLINE:
        deadline = online_deadline(ticket)
        if deadline is not None and now > deadline:
            return SurveyClosed(
                f"Tautan survei berlaku {ONLINE_VALID_DAYS} hari setelah layanan dan sudah berakhir."
            )
    return None


def ticket_can_be_surveyed(ticket: Ticket, now: dt.datetime | None = None, *, channel: str) -> str | None:
    """Why the ticket cannot be surveyed now (Indonesian), or None."""
    refusal = survey_refusal(ticket, now, channel=channel)
    return refusal.message if refusal else None


def submit_for_ticket(
    ticket: Ticket,
    data: Mapping[str, Any],
    *,
    channel: str,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """Record one response for a finished ticket; its place, service, counter, officer and date come from
    the ticket, never an identity. Raises ValidationFailed, AlreadyAnswered (409) or SurveyClosed (410)."""
    now = now or timezone.now()
    refusal = survey_refusal(ticket, now, channel=channel)
    if refusal is not None:
        raise refusal
    answers, errors = clean_answers(data)
    profile, profile_errors = clean_profile(data)
    errors.update(profile_errors)
    if errors:
        raise ValidationFailed("Periksa kembali jawaban survei.", fields=errors)
    suggestion = str(data.get("suggestion") or "").strip()[:2000]
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                unit_id=ticket.point.unit_id,
                point_id=ticket.point_id,
                service_id=ticket.service_id,
                counter_id=ticket.counter_id,
                officer_id=ticket.officer_id,
                ticket=ticket,
                service_date=ticket.service_date,
                channel=channel,
                suggestion=suggestion,
                **answers,
                **profile,
            )
    except IntegrityError as exc:
        raise AlreadyAnswered("Survei untuk tiket ini sudah diisi. Terima kasih.") from exc


def ticket_for_online_survey(token: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("point__unit", "service", "counter").filter(public_token=token).first()
    )
    if ticket is None:
        raise NotFoundError("Tautan survei tidak dikenal.")
    return ticket


def pending_ticket_for_counter(counter: Counter, now: dt.datetime | None = None) -> Ticket | None:
    """The ticket the counter's tablet offers: the latest one finished there in the last minutes, if it is
    not answered yet. An older unanswered ticket is never offered: that citizen has already left."""
    now = now or timezone.now()
    latest = (
        Ticket.objects.select_related("point__unit", "service", "counter")
        .filter(
            counter=counter,
            status__in=SURVEYABLE,
            finished_at__gte=now - dt.timedelta(minutes=COUNTER_WINDOW_MINUTES),
            finished_at__lte=now,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    if latest is None or SurveyResponse.objects.filter(ticket=latest).exists():
        return None
    return latest
