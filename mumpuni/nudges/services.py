"""Writes of `nudges`: routing a message to a user's channels (preferences, quiet hours, digests), sending
one delivery exactly once, the digest run, the nudge engine and the measurement of effects.

Idempotency, from the outside in:
- the engine logs a nudge once per (kind, user, key) — insert-or-skip on a unique constraint — and
  creates its message in the same transaction, so a rerun after a crash finds the log and sends nothing
  new;
- a message is sent through one `Delivery` per external channel (unique per message and channel);
- the send task claims a delivery with a conditional update (PENDING → SENDING, due now); only the worker
  whose update changed one row sends. Deliveries whose task was lost (worker died before it ran, broker
  down) are picked up again by the hourly sweeps (`flush_due_deliveries`), never twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from mumpuni.common.audit import audit_entry
from mumpuni.common.errors import PermissionDeniedError, ValidationFailed
from mumpuni.common.models import Notification
from mumpuni.nudges.channels import EXTERNAL_CHANNELS, ChannelError, GatewayChannel, Outgoing
from mumpuni.nudges.models import Category, Channel, Delivery, Message, NotificationPreference, NudgeLog
from mumpuni.nudges.rules import NudgeCandidate, NudgeRule

logger = logging.getLogger(__name__)

FLOOD_LIMIT = 3  # more nudges than this to one person in a day go out as one digest
MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 30, 120)  # after attempts 1, 2, 3, 4
STALE_SENDING = dt.timedelta(minutes=30)
EFFECT_WINDOW = dt.timedelta(days=14)


# --- preferences -------------------------------------------------------------------------------------


def preference_for(user: Any) -> NotificationPreference:
    """The user's preference, or an unsaved one with the defaults."""
    pref = NotificationPreference.objects.filter(user_id=user.pk).first()
    return pref if pref is not None else NotificationPreference(user_id=user.pk)


def _preferences(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    ids = list(user_ids)
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=ids)}
    return {pk: found.get(pk) or NotificationPreference(user_id=pk) for pk in ids}


def rule_kinds() -> dict[str, str]:
    """kind → label of the configured rules (for the preference page)."""
    return {rule.kind: str(rule.label) for rule in load_rules()}


@transaction.atomic
def preference_update(
    *,
    actor: Any,
    user: Any,
    channels: dict[str, list[str]],
    muted_kinds: Sequence[str],
    quiet_start: dt.time,
    quiet_end: dt.time,
    digest_mode: str,
    digest_hour: int,
) -> NotificationPreference:
    """Save a user's preference (only the user themself). Field errors in Indonesian."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDeniedError(_("Preferensi hanya dapat diubah oleh pemiliknya."))
    errors: dict[str, list[str]] = {}
    clean_channels: dict[str, list[str]] = {}
    for category in Category.values:
        chosen = [c for c in channels.get(category, []) if c in Channel.values]
        clean_channels[category] = sorted(set(chosen))
    wants_sms = any(Channel.SMS in chosen for chosen in clean_channels.values())
    if wants_sms and not GatewayChannel().address_for(user):
        errors["sms"] = [
            _(
                "Nomor telepon Anda belum tercatat atau tidak valid; perbarui data pegawai sebelum memilih SMS."
            )
        ]
    known = set(rule_kinds())
    muted = sorted({k for k in muted_kinds if k in known})
    if quiet_start == quiet_end:
        errors["quiet_end"] = [_("Jam tenang selesai tidak boleh sama dengan jam mulainya.")]
    if digest_mode not in NotificationPreference.DigestMode.values:
        errors["digest_mode"] = [_("Pilih cara kirim yang tersedia.")]
    if not 0 <= digest_hour <= 23:
        errors["digest_hour"] = [_("Jam ringkasan harus antara 0 dan 23.")]
    elif (
        digest_mode == NotificationPreference.DigestMode.DAILY
        and quiet_start != quiet_end
        and in_quiet_hours(dt.time(digest_hour), quiet_start, quiet_end)
    ):
        errors["digest_hour"] = [_("Jam ringkasan jatuh di dalam jam tenang Anda; pilih jam lain.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    pref = NotificationPreference.objects.select_for_update().filter(user_id=user.pk).first()
    old = preference_for(user) if pref is None else pref
    before = {
        "channels": old.channels,
        "muted_kinds": old.muted_kinds,
        "quiet_start": str(old.quiet_start),
        "quiet_end": str(old.quiet_end),
        "digest_mode": old.digest_mode,
        "digest_hour": old.digest_hour,
    }
    pref = pref or NotificationPreference(user_id=user.pk)
    pref.channels = clean_channels
    pref.muted_kinds = muted
    pref.quiet_start = quiet_start
    pref.quiet_end = quiet_end
    pref.digest_mode = digest_mode
    pref.digest_hour = digest_hour
    pref.full_clean(exclude=["user"])
    pref.save()
    after = {
        "channels": pref.channels,
        "muted_kinds": pref.muted_kinds,
        "quiet_start": str(pref.quiet_start),
        "quiet_end": str(pref.quiet_end),
        "digest_mode": pref.digest_mode,
        "digest_hour": pref.digest_hour,
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_entry(actor=actor, action="update", instance=pref, changes=changes)
    return pref


# --- quiet hours ---------------------------------------------------------------------------------------


def in_quiet_hours(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight, e.g. 21:00–07:00


def deliverable_from(now: dt.datetime, pref: NotificationPreference) -> dt.datetime:
    """`now`, or the end of the quiet hours (in Asia/Jakarta) when `now` falls inside them."""
    local = timezone.localtime(now)
    if not in_quiet_hours(local.time(), pref.quiet_start, pref.quiet_end):
        return now
    end = local.replace(hour=pref.quiet_end.hour, minute=pref.quiet_end.minute, second=0, microsecond=0)
    if end <= local:
        end += dt.timedelta(days=1)
    return end


# --- routing -------------------------------------------------------------------------------------------


def category_of(kind: str, *, recognition: bool = False) -> str:
    """Messages from notify() are workflow; the engine passes reminder/recognition itself."""
    return Category.RECOGNITION if recognition else Category.WORKFLOW


def _addresses(user: Any, pref: NotificationPreference, category: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in pref.channels_for(category):
        channel = EXTERNAL_CHANNELS.get(name)
        if channel is None:
            continue
        if isinstance(channel, GatewayChannel) and not channel.configured():
            continue
        address = channel.address_for(user)
        if address:
            found[name] = address
    return found


def _enqueue(delivery_ids: list[int]) -> None:
    """Send the deliveries once the surrounding transaction commits (tasks take ids, not objects)."""
    if not delivery_ids:
        return
    from mumpuni.nudges.tasks import send_delivery

    def send() -> None:
        for pk in delivery_ids:
            send_delivery.delay(pk)

    transaction.on_commit(send, robust=True)


def route_message(
    *,
    user: Any,
    title: str,
    body: str,
    link: str,
    kind: str,
    category: str,
    pref: NotificationPreference | None = None,
    dedupe_key: str = "",
    force_digest: bool = False,
    now: dt.datetime | None = None,
) -> Message | None:
    """Create the message beyond the bell for one user, if any channel of theirs applies: held for the
    digest (daily mode, or too many today), or one delivery per channel due now or after quiet hours."""
    now = now or timezone.now()
    pref = pref or preference_for(user)
    addresses = _addresses(user, pref, category)
    if not addresses:
        return None
    held = force_digest or pref.digest_mode == NotificationPreference.DigestMode.DAILY
    with transaction.atomic():
        if dedupe_key and Message.objects.filter(user_id=user.pk, dedupe_key=dedupe_key).exists():
            return None
        message = Message.objects.create(
            user_id=user.pk,
            kind=kind[:40],
            category=category,
            title=title[:200],
            body=body,
            link=link[:255],
            dedupe_key=dedupe_key,
            status=Message.Status.HELD if held else Message.Status.ROUTED,
            created_at=now,
        )
        if held:
            return message
        due = deliverable_from(now, pref)
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(message=message, channel=name, address=addr, not_before=due)
                for name, addr in addresses.items()
            ]
        )
    if due <= now:
        _enqueue([d.pk for d in deliveries])
    return message


def route_notification(users: Sequence[Any], title: str, body: str, link: str, kind: str) -> None:
    """`common.notifications.notify` hands its recipients here after writing the bell rows."""
    prefs = _preferences(u.pk for u in users)
    category = category_of(kind)
    for user in users:
        route_message(
            user=user, title=title, body=body, link=link, kind=kind, category=category, pref=prefs[user.pk]
        )


# --- sending one delivery ----------------------------------------------------------------------------


@dataclass
class SendResult:
    status: str
    retry_in: dt.timedelta | None = None


def send_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> SendResult:
    """Claim and send one delivery. Only the caller whose conditional update claims the row sends."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, not_before__lte=now
    ).update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return SendResult("not_claimed")
    delivery = Delivery.objects.select_related("message").get(pk=delivery_id)
    message = delivery.message
    outgoing = Outgoing(
        address=delivery.address, title=message.title, body=message.body, link=_absolute(message.link)
    )
    try:
        EXTERNAL_CHANNELS[delivery.channel].send(outgoing)
    except ChannelError as exc:
        if delivery.attempts >= MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery_id).update(
                status=Delivery.Status.FAILED, last_error=str(exc)[:255]
            )
            logger.warning("delivery %s failed for good: %s", delivery_id, exc)
            return SendResult(Delivery.Status.FAILED)
        wait = dt.timedelta(minutes=BACKOFF_MINUTES[min(delivery.attempts, len(BACKOFF_MINUTES)) - 1])
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.PENDING, not_before=now + wait, last_error=str(exc)[:255]
        )
        return SendResult(Delivery.Status.PENDING, retry_in=wait)
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return SendResult(Delivery.Status.SENT)


def _absolute(link: str) -> str:
    base = getattr(settings, "MUMPUNI_BASE_URL", "") or os.environ.get("MUMPUNI_BASE_URL", "")
    return f"{base.rstrip('/')}{link}" if link.startswith("/") and base else link


def flush_due_deliveries(*, now: dt.datetime | None = None) -> int:
    """Enqueue pending deliveries that are due (after quiet hours, after a backoff, or whose task was
    lost), and give up on rows stuck in SENDING (the worker died mid-send: they may have gone out)."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        status=Delivery.Status.FAILED,
        last_error="terputus saat mengirim; tidak dikirim ulang agar tidak ganda",
    )
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, not_before__lte=now)
        .order_by("not_before", "id")
        .values_list("pk", flat=True)[:5000]
    )
    _enqueue(due)
    return len(due)


# --- digests --------------------------------------------------------------------------------------------


def _digest_body(messages: Sequence[Message]) -> str:
    lines = [f"• {m.title}" + (f"\n  {_absolute(m.link)}" if m.link else "") for m in messages]
    return "\n".join(lines)


def send_digests(*, now: dt.datetime | None = None) -> int:
    """One digest per user for their held messages, when due: daily-digest users once a day at their hour,
    flood-held users at the next run outside quiet hours. Returns how many digests were made."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    user_ids = set(
        Message.objects.filter(status=Message.Status.HELD).values_list("user_id", flat=True).distinct()
    )
    prefs = _preferences(user_ids)
    made = 0
    for user_id in sorted(user_ids):
        pref = prefs[user_id]
        if in_quiet_hours(local.time(), pref.quiet_start, pref.quiet_end):
            continue
        if pref.digest_mode == NotificationPreference.DigestMode.DAILY:
            if local.hour < pref.digest_hour:
                continue
            key = f"digest:{local:%Y-%m-%d}"
        else:
            key = f"digest:{local:%Y-%m-%dT%H}"
        if _make_digest(user_id, key, pref, now):
            made += 1
    flush_due_deliveries(now=now)
    return made


def _make_digest(user_id: int, key: str, pref: NotificationPreference, now: dt.datetime) -> bool:
    from mumpuni.people.models import User

    user = User.objects.filter(pk=user_id, is_active=True).select_related("employee").first()
    try:
        with transaction.atomic():
            held = list(
                Message.objects.select_for_update()
                .filter(user_id=user_id, status=Message.Status.HELD)
                .order_by("id")
            )
            if not held:
                return False
            if user is None:
                Message.objects.filter(pk__in=[m.pk for m in held]).update(status=Message.Status.DIGESTED)
                return False
            categories = {m.category for m in held}
            addresses: dict[str, str] = {}
            for category in sorted(categories):
                addresses.update(_addresses(user, pref, category))
            digest = Message.objects.create(
                user_id=user_id,
                kind="digest",
                category=Category.REMINDER if Category.REMINDER in categories else sorted(categories)[0],
                title=_("Ringkasan Mumpuni: %(n)s pemberitahuan") % {"n": len(held)},
                body=_digest_body(held),
                link="/notifikasi/",
                dedupe_key=key,
                status=Message.Status.ROUTED,
                created_at=now,
            )
            Message.objects.filter(pk__in=[m.pk for m in held]).update(
                status=Message.Status.DIGESTED, digest=digest
            )
            deliveries = Delivery.objects.bulk_create(
                [Delivery(message=digest, channel=n, address=a, not_before=now) for n, a in addresses.items()]
            )
    except IntegrityError:
        return False  # a digest with this key exists (another worker, or the earlier run of this hour)
    _enqueue([d.pk for d in deliveries])
    return True


# --- the nudge engine -----------------------------------------------------------------------------------


def load_rules(paths: Sequence[str] | None = None) -> list[NudgeRule]:
    """Instantiate the rules listed in settings.MUMPUNI_NUDGE_RULES; a rule that fails to import is logged
    and skipped so one broken app does not silence the others."""
    rules: list[NudgeRule] = []
    for path in paths if paths is not None else settings.MUMPUNI_NUDGE_RULES:
        try:
            rule = import_string(path)()
        except Exception:  # noqa: BLE001 — ImportError, AttributeError, an error in the rule's __init__
            logger.exception("nudge rule %s could not be loaded; skipped", path)
            continue
        rules.append(rule)
    return rules


@dataclass
class RunResult:
    logged: int = 0
    suppressed: int = 0
    skipped_existing: int = 0
    held_for_digest: int = 0
    failed_rules: list[str] = field(default_factory=list)


def run_nudges(*, now: dt.datetime | None = None, rules: Sequence[NudgeRule] | None = None) -> RunResult:
    """Ask every rule for today's candidates; log and send the new ones (once per kind, user and key)."""
    from mumpuni.people.models import User

    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = list(rules) if rules is not None else load_rules()
    result = RunResult()
    fresh: dict[int, list[tuple[NudgeRule, NudgeCandidate]]] = defaultdict(list)
    for rule in rules:
        try:
            candidates = list(rule.candidates(today))
        except Exception:  # noqa: BLE001 — one failing rule must not stop the others
            logger.exception("nudge rule %s failed", rule.kind)
            result.failed_rules.append(rule.kind)
            continue
        existing = set(
            NudgeLog.objects.filter(kind=rule.kind, user_id__in={c.user_id for c in candidates}).values_list(
                "user_id", "key"
            )
        )
        seen: set[tuple[int, str]] = set()
        for candidate in candidates:
            pair = (candidate.user_id, candidate.key)
            if pair in existing or pair in seen:
                result.skipped_existing += 1
                continue
            seen.add(pair)
            fresh[candidate.user_id].append((rule, candidate))
    if not fresh:
        flush_due_deliveries(now=now)
        return result
    users = {u.pk: u for u in User.objects.filter(pk__in=fresh, is_active=True).select_related("employee")}
    prefs = _preferences(users)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today_counts: dict[int, int] = defaultdict(int)
    for user_id in NudgeLog.objects.filter(
        user_id__in=users, created_at__gte=start_of_day, suppressed=False, recognition=False
    ).values_list("user_id", flat=True):
        today_counts[user_id] += 1
    for user_id, items in fresh.items():
        user = users.get(user_id)
        if user is None:
            continue
        pref = prefs[user_id]
        reminders = [c for r, c in items if r.kind not in pref.muted_kinds and not c.recognition]
        flood = today_counts[user_id] + len(reminders) > FLOOD_LIMIT
        for rule, candidate in items:
            _log_and_send(rule, candidate, user, pref, flood and not candidate.recognition, now, result)
    flush_due_deliveries(now=now)
    return result


def _log_and_send(
    rule: NudgeRule,
    candidate: NudgeCandidate,
    user: Any,
    pref: NotificationPreference,
    force_digest: bool,
    now: dt.datetime,
    result: RunResult,
) -> None:
    muted = rule.kind in pref.muted_kinds
    try:
        with transaction.atomic():
            log = NudgeLog.objects.create(
                kind=rule.kind,
                user_id=user.pk,
                key=candidate.key[:80],
                created_at=now,
                recognition=candidate.recognition,
                suppressed=muted,
            )
            if muted:
                result.suppressed += 1
                return
            Notification.objects.create(
                recipient_id=user.pk,
                title=candidate.title[:200],
                body=candidate.body,
                link=candidate.link[:255],
                kind=f"nudge_{rule.kind}"[:40],
            )
            message = route_message(
                user=user,
                title=candidate.title,
                body=candidate.body,
                link=candidate.link,
                kind=rule.kind,
                category=Category.RECOGNITION if candidate.recognition else Category.REMINDER,
                pref=pref,
                dedupe_key=f"nudge:{log.pk}",
                force_digest=force_digest,
                now=now,
            )
            if message is not None:
                log.message = message
                log.save(update_fields=["message"])
                if message.status == Message.Status.HELD:
                    result.held_for_digest += 1
            result.logged += 1
    except IntegrityError:
        # Another run logged the same (kind, user, key) between our read and our insert: it sends, we skip.
        result.skipped_existing += 1


# --- effects --------------------------------------------------------------------------------------------


def _first_action(rule: NudgeRule, log: NudgeLog) -> tuple[bool | None, dt.datetime | None]:
    finder = getattr(rule, "first_action", None)
    if callable(finder):
        when = finder(log.user_id, log.key, log.created_at)
        if when is not None:
            return True, when
        acted = rule.acted(log.user_id, log.key, log.created_at)
        return (None, None) if acted is None else (False, None)
    acted = rule.acted(log.user_id, log.key, log.created_at)
    return acted, None


def measure_effects(*, now: dt.datetime | None = None, rules: Sequence[NudgeRule] | None = None) -> int:
    """Fill `acted`/`acted_at` of unmeasured logs: final once the person acted, once 14 days have passed,
    or at once for rules without a measurable action (recognition). Returns how many became final."""
    now = now or timezone.now()
    by_kind = {r.kind: r for r in (rules if rules is not None else load_rules())}
    final = 0
    logs = NudgeLog.objects.filter(measured_at__isnull=True, created_at__lte=now, kind__in=by_kind).order_by(
        "id"
    )
    for log in logs.iterator(chunk_size=500):
        rule = by_kind[log.kind]
        try:
            acted, when = _first_action(rule, log)
        except Exception:  # noqa: BLE001
            logger.exception("measuring nudge %s failed", log.pk)
            continue
        if acted is None:  # nothing to do for this rule (recognition): final at once
            NudgeLog.objects.filter(pk=log.pk).update(measured_at=now)
            final += 1
        elif acted:
            # Without a timestamp from the rule, the day it was first observed (this daily run) stands in.
            acted_at = min(when or now, log.created_at + EFFECT_WINDOW)
            NudgeLog.objects.filter(pk=log.pk).update(acted=True, acted_at=acted_at, measured_at=now)
            final += 1
        elif log.created_at + EFFECT_WINDOW <= now:
            NudgeLog.objects.filter(pk=log.pk).update(acted=False, measured_at=now)
            final += 1
    return final
