"""Demo data of `nudges`: a nudge history replayed from the demo data itself. For one day a week over the
last 26 weeks, the built-in rules that can answer "as of that day" (JP behind schedule, class starting
soon, certificate expiring, plan completed) are asked for their candidates; each becomes a NudgeLog dated
that morning, and `measure_effects` then decides from the data whether the person acted within 14 days.
A few accounts (chosen by `seed`) mute the JP reminder, so the effect page has a comparison group.
No message is sent for the past.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mumpuni.nudges import services
from mumpuni.nudges.builtin import CertificateExpiring, ClassStartingSoon, JpBehindSchedule, PlanCompleted
from mumpuni.nudges.models import NotificationPreference, NudgeLog
from mumpuni.nudges.rules import NudgeRule

WEEKS = 26
MAX_LOGS = 20_000  # keeps the seeder within its time budget on the national seed


def seed_demo(*, seed: int, log: Callable[[str], None] | None = None) -> str:
    from mumpuni.people.models import Employee

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    rules: list[NudgeRule] = [JpBehindSchedule(), ClassStartingSoon(), CertificateExpiring(), PlanCompleted()]
    user_ids = sorted(Employee.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    muting = {pk for pk in user_ids if rng.random() < 0.25}
    with transaction.atomic():
        for user_id in sorted(muting):
            NotificationPreference.objects.get_or_create(
                user_id=user_id, defaults={"muted_kinds": ["jp_behind"]}
            )
        muted = {
            p.user_id: set(p.muted_kinds or [])
            for p in NotificationPreference.objects.filter(user_id__in=user_ids)
        }
        rows: list[NudgeLog] = []
        for week in range(WEEKS, 0, -1):
            day = today - dt.timedelta(weeks=week)
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
            for rule in rules:
                for candidate in rule.candidates(day):
                    rows.append(
                        NudgeLog(
                            kind=rule.kind,
                            user_id=candidate.user_id,
                            key=candidate.key,
                            created_at=moment,
                            recognition=candidate.recognition,
                            suppressed=rule.kind in muted.get(candidate.user_id, set()),
                        )
                    )
                    if len(rows) >= MAX_LOGS:
                        break
        NudgeLog.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    measured = services.measure_effects(now=now, rules=rules)
    total = NudgeLog.objects.count()
    acted = NudgeLog.objects.filter(acted=True).count()
    return f"nudges: {total} nudge logs over {WEEKS} weeks ({measured} measured now, {acted} acted within 14 days)"
