"""The nudge engine: loading rules, logging each (kind, user, key) once, never sending twice — also when
the task is retried after a crash — preferences (muted kinds, quiet hours) and the flood digest."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core import mail
from django.test import override_settings

from mumpuni.common.models import Notification
from mumpuni.nudges import services, tasks
from mumpuni.nudges.models import Delivery, Message, NotificationPreference, NudgeLog
from mumpuni.nudges.tests.fixtures import (
    FAKE_RULES,
    NIGHT,
    NOON,
    FakeRule,
    NudgeTestCase,
    OtherFakeRule,
    candidate,
    clock,
)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class RunNudgesTests(NudgeTestCase):
    def run_task(self, moment: dt.datetime = NOON) -> dict:
        with clock(moment), self.captureOnCommitCallbacks(execute=True):
            return tasks.run_nudges()

    def test_it_logs_notifies_and_mails_once(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        result = self.run_task()
        self.assertEqual(result["logged"], 1)
        log = NudgeLog.objects.get()
        self.assertEqual((log.kind, log.user_id, log.key), ("fake", self.employee.pk, "k1"))
        self.assertEqual(Notification.objects.filter(recipient=self.employee, kind="nudge_fake").count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["agus@example.org"])
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.status, Delivery.Status.SENT)
        # the rule yields the same candidate every hour: nothing new
        result = self.run_task(NOON + dt.timedelta(hours=1))
        self.assertEqual(result["skipped_existing"], 1)
        self.assertEqual(NudgeLog.objects.count(), 1)
        self.assertEqual(Notification.objects.filter(recipient=self.employee).count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_retry_after_a_crash_before_delivery_sends_exactly_once(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        # The worker dies after the log committed but before the send task was enqueued.
        with mock.patch("mumpuni.nudges.services._enqueue"):
            self.run_task()
        self.assertEqual(NudgeLog.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Delivery.objects.get().status, Delivery.Status.PENDING)
        # Celery retries the task: the log exists, the pending delivery is swept and sent once.
        self.run_task(NOON + dt.timedelta(minutes=5))
        self.run_task(NOON + dt.timedelta(minutes=10))
        self.assertEqual(NudgeLog.objects.count(), 1)
        self.assertEqual(Message.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Delivery.objects.get().status, Delivery.Status.SENT)

    def test_a_crash_inside_the_transaction_leaves_nothing_and_the_retry_sends_once(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        with (
            mock.patch("mumpuni.nudges.services.route_message", side_effect=RuntimeError("killed")),
            self.assertRaises(RuntimeError),
        ):
            self.run_task()
        self.assertFalse(NudgeLog.objects.exists())
        self.run_task()
        self.assertEqual(NudgeLog.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_crash_after_sending_is_never_resent(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        with mock.patch("mumpuni.nudges.services._enqueue"):
            self.run_task()
        delivery = Delivery.objects.get()
        original_send = services.EXTERNAL_CHANNELS["email"].send

        def send_then_die(outgoing: object) -> None:
            original_send(outgoing)  # type: ignore[arg-type]
            raise SystemExit("worker killed after the SMTP call")

        with (
            clock(NOON),
            mock.patch.object(services.EXTERNAL_CHANNELS["email"], "send", side_effect=send_then_die),
            self.assertRaises(SystemExit),
        ):
            services.send_delivery(delivery.pk)
        self.assertEqual(len(mail.outbox), 1)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Delivery.Status.SENDING)
        # every later sweep and task run: nothing more goes out; after 30 minutes the row is given up
        self.run_task(NOON + dt.timedelta(minutes=10))
        self.assertEqual(services.send_delivery(delivery.pk).status, "not_claimed")
        self.run_task(NOON + dt.timedelta(hours=1))
        self.assertEqual(len(mail.outbox), 1)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Delivery.Status.FAILED)

    def test_two_workers_sending_the_same_delivery_send_once(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        with mock.patch("mumpuni.nudges.services._enqueue"):
            self.run_task()
        delivery = Delivery.objects.get()
        with clock(NOON):
            first = tasks.send_delivery.delay(delivery.pk).get()
            second = tasks.send_delivery.delay(delivery.pk).get()
        self.assertEqual((first, second), ("sent", "not_claimed"))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_rule_that_fails_to_import_is_logged_and_the_others_run(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        paths = ["mumpuni.nudges.tests.fixtures.DoesNotExist", "no_such_app.nudges.Rule", *FAKE_RULES]
        with (
            override_settings(MUMPUNI_NUDGE_RULES=paths),
            self.assertLogs("mumpuni.nudges.services", "ERROR") as logs,
        ):
            self.run_task()
        self.assertIn("no_such_app.nudges.Rule", "\n".join(logs.output))
        self.assertEqual(NudgeLog.objects.count(), 1)

    def test_a_rule_that_raises_does_not_stop_the_others(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        paths = ["mumpuni.nudges.tests.fixtures.BrokenRule", *FAKE_RULES]
        with (
            override_settings(MUMPUNI_NUDGE_RULES=paths),
            self.assertLogs("mumpuni.nudges.services", "ERROR"),
        ):
            result = self.run_task()
        self.assertEqual(result["failed_rules"], ["broken"])
        self.assertEqual(NudgeLog.objects.count(), 1)

    def test_a_muted_kind_is_logged_as_comparison_and_nothing_is_sent(self) -> None:
        NotificationPreference.objects.create(user=self.employee, muted_kinds=["fake"])
        FakeRule.planned = [candidate(self.employee)]
        OtherFakeRule.planned = [candidate(self.employee, "k2")]
        self.run_task()
        muted = NudgeLog.objects.get(kind="fake")
        self.assertTrue(muted.suppressed)
        self.assertIsNone(muted.message_id)
        self.assertFalse(NudgeLog.objects.get(kind="fake_other").suppressed)
        self.assertEqual(Notification.objects.filter(recipient=self.employee).count(), 1)
        self.assertEqual([m.subject for m in mail.outbox], ["Pengingat k2"])

    def test_quiet_hours_hold_mail_until_morning_but_the_bell_rings(self) -> None:
        FakeRule.planned = [candidate(self.employee)]
        self.run_task(NIGHT)
        self.assertEqual(Notification.objects.filter(recipient=self.employee).count(), 1)
        self.assertEqual(len(mail.outbox), 0)
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.not_before, NIGHT.replace(hour=7, minute=0) + dt.timedelta(days=1))
        with clock(NIGHT + dt.timedelta(hours=2)), self.captureOnCommitCallbacks(execute=True):
            tasks.send_digests()
        self.assertEqual(len(mail.outbox), 0)
        with (
            clock(delivery.not_before + dt.timedelta(minutes=1)),
            self.captureOnCommitCallbacks(execute=True),
        ):
            tasks.send_digests()
        self.assertEqual(len(mail.outbox), 1)

    def test_more_than_three_a_day_become_one_digest(self) -> None:
        FakeRule.planned = [candidate(self.employee, f"k{i}") for i in range(3)]
        OtherFakeRule.planned = [candidate(self.employee, "x1"), candidate(self.supervisor, "x1")]
        self.run_task()
        self.assertEqual(NudgeLog.objects.filter(user=self.employee).count(), 4)
        self.assertEqual(Notification.objects.filter(recipient=self.employee).count(), 4)
        self.assertEqual(Message.objects.filter(user=self.employee, status=Message.Status.HELD).count(), 4)
        self.assertEqual([m.to for m in mail.outbox], [["dewi@example.org"]])  # the supervisor got one
        for minutes in (5, 10):  # two runs of the digest task in the same hour
            with clock(NOON + dt.timedelta(minutes=minutes)), self.captureOnCommitCallbacks(execute=True):
                tasks.send_digests()
        digests = [m for m in mail.outbox if m.to == ["agus@example.org"]]
        self.assertEqual(len(digests), 1)
        for key in ("k0", "k1", "k2", "x1"):
            self.assertIn(f"Pengingat {key}", digests[0].body)
        self.assertFalse(Message.objects.filter(status=Message.Status.HELD).exists())

    def test_daily_digest_waits_for_the_chosen_hour(self) -> None:
        NotificationPreference.objects.create(
            user=self.employee, digest_mode=NotificationPreference.DigestMode.DAILY, digest_hour=16
        )
        FakeRule.planned = [candidate(self.employee)]
        self.run_task()
        self.assertEqual(len(mail.outbox), 0)
        with clock(NOON + dt.timedelta(hours=1)), self.captureOnCommitCallbacks(execute=True):
            tasks.send_digests()
        self.assertEqual(len(mail.outbox), 0)
        for hours in (6, 7):
            with clock(NOON + dt.timedelta(hours=hours)), self.captureOnCommitCallbacks(execute=True):
                tasks.send_digests()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Ringkasan", mail.outbox[0].subject)

    def test_inactive_users_are_not_nudged(self) -> None:
        self.employee.is_active = False
        self.employee.save(update_fields=["is_active"])
        FakeRule.planned = [candidate(self.employee)]
        self.run_task()
        self.assertFalse(NudgeLog.objects.exists())

    def test_recognition_goes_by_its_own_category(self) -> None:
        NotificationPreference.objects.create(
            user=self.employee, channels={"workflow": ["email"], "reminder": ["email"], "recognition": []}
        )
        FakeRule.planned = [candidate(self.employee, recognition=True)]
        self.run_task()
        log = NudgeLog.objects.get()
        self.assertTrue(log.recognition)
        self.assertIsNone(log.message_id)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Notification.objects.filter(recipient=self.employee).count(), 1)
