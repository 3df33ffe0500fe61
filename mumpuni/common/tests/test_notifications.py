"""The notification list (/notifikasi/), opening one (marks it read, follows only inside links), marking all
read, and the count in the navigation."""

from __future__ import annotations

from django.urls import reverse

from mumpuni.common.models import Notification
from mumpuni.common.notifications import notify
from mumpuni.testing import BaseTestCase


class NotificationTests(BaseTestCase):
    url = reverse("notifications:list")

    def setUp(self) -> None:
        notify([self.camat], "Pengaduan lewat batas waktu: ADU-AAAA-BBBB", "Antrean lama", "/meja-pengaduan/")
        notify([self.camat], "Kedua", "", "https://jahat.example/")
        notify([self.other], "Milik camat lain", "", "/")
        self.mine = Notification.objects.filter(recipient=self.camat).order_by("id")

    def test_it_lists_only_my_notifications(self) -> None:
        self.login(self.camat)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ADU-AAAA-BBBB")
        self.assertNotContains(response, "Milik camat lain")
        self.assertEqual(response.context["unread"], 2)

    def test_the_navigation_shows_the_unread_count(self) -> None:
        self.login(self.camat)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Notifikasi (2)")
        self.assertEqual(response.context["notifications_unread"], 2)
        self.login(self.employee)
        response = self.client.get(reverse("home"))
        self.assertNotContains(response, "Notifikasi (")
        self.assertContains(response, "Notifikasi")

    def test_opening_marks_read_and_follows_inside_links_only(self) -> None:
        self.login(self.camat)
        first, second = self.mine
        response = self.client.post(reverse("notifications:open", args=[first.pk]))
        self.assertRedirects(response, "/meja-pengaduan/", fetch_redirect_response=False)
        first.refresh_from_db()
        self.assertIsNotNone(first.read_at)
        response = self.client.post(reverse("notifications:open", args=[second.pk]))
        self.assertRedirects(response, self.url)

    def test_mark_all_read(self) -> None:
        self.login(self.camat)
        self.client.post(reverse("notifications:read_all"))
        self.assertFalse(self.mine.filter(read_at__isnull=True).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.other, read_at__isnull=True).exists())

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.other)
        first = self.mine.first()
        assert first is not None
        self.assertEqual(self.client.post(reverse("notifications:open", args=[first.pk])).status_code, 404)
        first.refresh_from_db()
        self.assertIsNone(first.read_at)
        self.assertEqual(self.client.get(reverse("notifications:open", args=[first.pk])).status_code, 405)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)


class ComplaintMenuTests(BaseTestCase):
    def test_pengaduan_is_in_the_menu_of_those_who_may_see_complaints(self) -> None:
        inbox = reverse("complaints:inbox")
        for user, shown in (
            (self.admin, True),
            (self.executive, True),
            (self.camat, True),
            (self.other, True),
            (self.supervisor, False),
            (self.employee, False),
            (self.officer, False),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                items = self.client.get(reverse("home")).context["nav_items"]
                urls = [item.url for item in items] + [
                    child.url for item in items for child in item.children if child is not None
                ]
                self.assertEqual(inbox in urls, shown)
