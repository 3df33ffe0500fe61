"""API under /api/v1/nudges/: my preferences (same rules as the page, Indonesian field errors), my bell
notifications (own only), the effect figures (admin and executive only), and refusals for outsiders and
service accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings
from django.utils import timezone

from mumpuni.common.models import AuditEntry, Notification
from mumpuni.nudges.models import NotificationPreference, NudgeLog
from mumpuni.nudges.selectors import effect_rows, effect_totals
from mumpuni.nudges.tests.fixtures import FAKE_RULES, NudgeTestCase
from mumpuni.people import services as people_services
from mumpuni.people.models import Role

BASE = "/api/v1/nudges"
TIME_MESSAGE = "Isi jam dengan format JJ:MM, misalnya 21:00."


def payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channels": {"workflow": ["email"], "reminder": ["email"], "recognition": ["email"]},
        "muted_kinds": [],
        "quiet_start": "21:00",
        "quiet_end": "07:00",
        "digest_mode": "immediate",
        "digest_hour": 7,
    }
    data.update(changes)
    return data


class ApiTestCase(NudgeTestCase):
    def put(self, data: dict[str, Any], **headers: str) -> Any:
        return self.client.put(f"{BASE}/preferences", data, content_type="application/json", headers=headers)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES, MUMPUNI_SMS_GATEWAY_URL="http://127.0.0.1:9/")
class PreferenceApiTests(ApiTestCase):
    def test_get_returns_the_defaults_before_anything_is_saved(self) -> None:
        self.login(self.employee)
        response = self.client.get(f"{BASE}/preferences")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(
            body["channels"], {"workflow": ["email"], "reminder": ["email"], "recognition": ["email"]}
        )
        self.assertEqual((body["quiet_start"], body["quiet_end"]), ("21:00", "07:00"))
        self.assertEqual((body["digest_mode"], body["digest_hour"]), ("immediate", 7))
        self.assertTrue(body["sms_available"])
        self.assertEqual({k["kind"] for k in body["kinds"]}, {"fake", "fake_other"})
        self.assertFalse(NotificationPreference.objects.exists())

    def test_put_saves_my_own_preference_and_audits_it(self) -> None:
        self.login(self.employee)
        data = payload(
            channels={"workflow": [], "reminder": ["email", "sms"]},
            muted_kinds=["fake"],
            digest_mode="daily",
            digest_hour=12,
            quiet_start="22:30",
        )
        response = self.put(data)
        self.assertEqual(response.status_code, 200, response.content)
        pref = NotificationPreference.objects.get(user=self.employee)
        self.assertEqual(pref.channels, {"workflow": [], "reminder": ["email", "sms"], "recognition": []})
        self.assertEqual(pref.muted_kinds, ["fake"])
        self.assertEqual(pref.quiet_start, dt.time(22, 30))
        self.assertEqual((pref.digest_mode, pref.digest_hour), ("daily", 12))
        self.assertEqual(response.json()["channels"]["reminder"], ["email", "sms"])
        self.assertTrue(AuditEntry.objects.filter(action="update", actor=self.employee).exists())
        self.assertEqual(self.client.get(f"{BASE}/preferences").json()["muted_kinds"], ["fake"])
        # only the caller's own row was written
        self.assertEqual(NotificationPreference.objects.count(), 1)

    def test_field_errors_are_in_indonesian_and_nothing_is_saved(self) -> None:
        self.login(self.employee)
        cases: list[tuple[dict[str, Any], str, str]] = [
            (payload(quiet_start="25:00"), "quiet_start", TIME_MESSAGE),
            (payload(quiet_end="7 pagi"), "quiet_end", TIME_MESSAGE),
            (payload(quiet_end=700), "quiet_end", TIME_MESSAGE),
            (
                payload(quiet_end="21:00"),
                "quiet_end",
                "Jam tenang selesai tidak boleh sama dengan jam mulainya.",
            ),
            (payload(digest_hour=24), "digest_hour", "Jam ringkasan harus antara 0 dan 23."),
            (payload(digest_hour="siang"), "digest_hour", "Harus berupa bilangan bulat."),
            (payload(digest_mode="weekly"), "digest_mode", "Pilih cara kirim yang tersedia."),
            (
                payload(digest_mode="daily", digest_hour=23),
                "digest_hour",
                "Jam ringkasan jatuh di dalam jam tenang Anda; pilih jam lain.",
            ),
            (payload(muted_kinds=["nope"]), "muted_kinds", "Jenis pengingat tidak dikenal: nope."),
            (
                payload(channels={"reminder": ["fax"]}),
                "channels.reminder",
                "Saluran tidak dikenal; pilih dari: email, sms.",
            ),
            (
                payload(channels={"gossip": ["email"]}),
                "channels.gossip",
                "Kategori tidak dikenal; pilih dari: workflow, reminder, recognition.",
            ),
            (payload(channels={"reminder": "email"}), "channels.reminder", "Harus berupa daftar."),
            (payload(colour="red"), "colour", "Kolom ini tidak dikenal."),
            ({k: v for k, v in payload().items() if k != "digest_mode"}, "digest_mode", "Wajib diisi."),
        ]
        for data, field, message in cases:
            response = self.put(data)
            self.assertEqual(response.status_code, 422, (field, response.content))
            body = response.json()
            self.assertEqual(body["detail"], "Data tidak valid.")
            self.assertEqual(body["errors"].get(field), [message], (field, body))
        self.assertFalse(NotificationPreference.objects.exists())

    def test_sms_needs_a_phone(self) -> None:
        self.login(self.supervisor)  # no phone on record
        response = self.put(payload(channels={"reminder": ["sms"]}))
        self.assertEqual(response.status_code, 422)
        self.assertIn("Nomor telepon Anda belum tercatat", response.json()["errors"]["channels"][0])
        self.assertFalse(NotificationPreference.objects.exists())

    @override_settings(MUMPUNI_SMS_GATEWAY_URL="")
    def test_sms_cannot_change_while_the_gateway_is_off(self) -> None:
        self.login(self.employee)
        self.assertFalse(self.client.get(f"{BASE}/preferences").json()["sms_available"])
        response = self.put(payload(channels={"reminder": ["email", "sms"]}))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"]["channels.reminder"],
            ["SMS belum tersedia: gateway SMS belum dikonfigurasi."],
        )
        # other changes still go through, and the saved SMS choice stays as it was
        NotificationPreference.objects.create(
            user=self.employee, channels={"workflow": ["email"], "reminder": ["sms"], "recognition": []}
        )
        response = self.put(payload(channels={"workflow": [], "reminder": ["sms"]}, digest_hour=8))
        self.assertEqual(response.status_code, 200, response.content)
        pref = NotificationPreference.objects.get(user=self.employee)
        self.assertEqual(pref.channels, {"workflow": [], "reminder": ["sms"], "recognition": []})
        self.assertEqual(pref.digest_hour, 8)

    def test_anonymous_is_refused(self) -> None:
        self.assertEqual(self.client.get(f"{BASE}/preferences").status_code, 401)
        self.assertEqual(self.put(payload()).status_code, 401)
        self.assertFalse(NotificationPreference.objects.exists())


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class NotificationApiTests(ApiTestCase):
    def make(self, user: Any, title: str, minutes_ago: int, *, read: bool = False) -> Notification:
        n = Notification.objects.create(recipient=user, title=title, link="/pelatihan/", kind="test")
        at = timezone.now() - dt.timedelta(minutes=minutes_ago)
        Notification.objects.filter(pk=n.pk).update(created_at=at, read_at=at if read else None)
        n.refresh_from_db()
        return n

    def test_list_is_my_own_newest_first_with_an_unread_filter(self) -> None:
        old = self.make(self.employee, "lama", 30, read=True)
        middle = self.make(self.employee, "tengah", 20)
        new = self.make(self.employee, "baru", 10)
        self.make(self.supervisor, "milik atasan", 5)
        self.login(self.employee)
        body = self.client.get(f"{BASE}/notifications").json()
        self.assertEqual([i["id"] for i in body["items"]], [new.pk, middle.pk, old.pk])
        self.assertEqual(body["count"], 3)
        self.assertEqual([i["unread"] for i in body["items"]], [True, True, False])
        body = self.client.get(f"{BASE}/notifications", {"unread": "true"}).json()
        self.assertEqual([i["title"] for i in body["items"]], ["baru", "tengah"])
        body = self.client.get(f"{BASE}/notifications", {"page": 2, "page_size": 2}).json()
        self.assertEqual(([i["id"] for i in body["items"]], body["pages"]), ([old.pk], 2))

    def test_bad_query_values_are_422(self) -> None:
        self.login(self.employee)
        response = self.client.get(f"{BASE}/notifications", {"unread": "mungkin"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"]["unread"], ["Harus bernilai benar atau salah (true/false)."]
        )
        response = self.client.get(f"{BASE}/notifications", {"page_size": 500})
        self.assertEqual(response.json()["errors"]["page_size"], ["Paling besar 200."])

    def test_mark_read_only_my_own(self) -> None:
        mine = self.make(self.employee, "punya saya", 10)
        theirs = self.make(self.supervisor, "punya atasan", 10)
        self.login(self.employee)
        response = self.client.post(f"{BASE}/notifications/{theirs.pk}/read")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "Notifikasi tidak ditemukan.")
        theirs.refresh_from_db()
        self.assertIsNone(theirs.read_at)
        self.assertEqual(self.client.post(f"{BASE}/notifications/999999/read").status_code, 404)
        response = self.client.post(f"{BASE}/notifications/{mine.pk}/read")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["unread"])
        mine.refresh_from_db()
        first = mine.read_at
        self.assertIsNotNone(first)
        # again: still 200, the first moment stays
        self.client.post(f"{BASE}/notifications/{mine.pk}/read")
        mine.refresh_from_db()
        self.assertEqual(mine.read_at, first)
        self.assertEqual(self.client.get(f"{BASE}/notifications", {"unread": "true"}).json()["count"], 0)

    def test_anonymous_is_refused(self) -> None:
        n = self.make(self.employee, "x", 1)
        self.assertEqual(self.client.get(f"{BASE}/notifications").status_code, 401)
        self.assertEqual(self.client.post(f"{BASE}/notifications/{n.pk}/read").status_code, 401)
        n.refresh_from_db()
        self.assertIsNone(n.read_at)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class EffectApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        now = timezone.now()
        self.year = timezone.localdate().year
        for user, acted in ((self.employee, True), (self.supervisor, False), (self.camat, None)):
            NudgeLog.objects.create(
                kind="fake",
                user=user,
                key="a",
                created_at=now - dt.timedelta(hours=1),
                acted=acted,
                acted_at=now if acted else None,
                measured_at=now if acted is not None else None,
            )
        NudgeLog.objects.create(
            kind="fake",
            user=self.other,
            key="a",
            created_at=now,
            suppressed=True,
            acted=True,
            measured_at=now,
        )

    def test_admin_and_executive_see_the_same_figures_as_the_page(self) -> None:
        rows = effect_rows(year=self.year)
        totals = effect_totals(rows)
        for user in (self.admin, self.executive):
            self.login(user)
            response = self.client.get(f"{BASE}/effects")
            self.assertEqual(response.status_code, 200, user.username)
            body = response.json()
            self.assertEqual(body["year"], self.year)
            self.assertEqual(
                [(r["kind"], r["month"], r["sent"], r["measured"], r["acted"]) for r in body["rows"]],
                [(r.kind, r.month, r.sent, r.measured, r.acted) for r in rows],
            )
            total = body["totals"][0]
            self.assertEqual((total["kind"], total["label"], total["month"]), ("fake", "Pengingat uji", None))
            self.assertEqual((total["sent"], total["pending"], total["measured"]), (3, 1, 2))
            self.assertEqual((total["rate"], total["comparison_rate"]), (0.5, 1.0))
            self.assertEqual(total["sent"], totals[0].sent)

    def test_other_years_and_bad_years(self) -> None:
        self.login(self.admin)
        body = self.client.get(f"{BASE}/effects", {"year": self.year - 1}).json()
        self.assertEqual((body["year"], body["rows"], body["totals"]), (self.year - 1, [], []))
        response = self.client.get(f"{BASE}/effects", {"year": self.year + 1})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"]["year"], [f"Tahun harus antara {self.year - 10} dan {self.year}."]
        )
        response = self.client.get(f"{BASE}/effects", {"year": "tahun ini"})
        self.assertEqual(response.json()["errors"]["year"], ["Harus berupa bilangan bulat."])

    def test_other_roles_are_refused(self) -> None:
        for user in (self.camat, self.supervisor, self.employee, self.officer, self.other):
            self.login(user)
            response = self.client.get(f"{BASE}/effects")
            self.assertEqual(response.status_code, 403, user.username)
            self.assertEqual(response.json()["detail"], "Efek pengingat hanya untuk admin BKPP dan pimpinan.")
        self.client.logout()
        self.assertEqual(self.client.get(f"{BASE}/effects").status_code, 401)


@override_settings(MUMPUNI_NUDGE_RULES=FAKE_RULES)
class ServiceAccountTests(ApiTestCase):
    def test_service_accounts_are_refused_everywhere(self) -> None:
        keys = [
            people_services.api_key_create(actor=None, name=name, role=role, unit=self.tembalang)[1]
            for name, role in (("kios", Role.KIOSK), ("papan", Role.DISPLAY), ("mitra", Role.PARTNER))
        ]
        # even a key with a city-wide role is a device, not a person
        keys.append(
            people_services.api_key_create(
                actor=None, name="dasbor", role=Role.EXECUTIVE, unit=None, allow_privileged=True
            )[1]
        )
        n = Notification.objects.create(recipient=self.employee, title="x")
        for key in keys:
            auth = {"authorization": f"Bearer {key}"}
            calls = [
                self.client.get(f"{BASE}/preferences", headers=auth),
                self.put(payload(), **auth),
                self.client.get(f"{BASE}/notifications", headers=auth),
                self.client.post(f"{BASE}/notifications/{n.pk}/read", headers=auth),
                self.client.get(f"{BASE}/effects", headers=auth),
            ]
            for response in calls:
                self.assertEqual(response.status_code, 403, (key[:8], response.request["PATH_INFO"]))
                self.assertEqual(
                    response.json()["detail"], "Akun layanan tidak dapat mengakses pengingat dan notifikasi."
                )
        self.assertFalse(NotificationPreference.objects.exists())
        n.refresh_from_db()
        self.assertIsNone(n.read_at)
