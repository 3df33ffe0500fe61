"""Who sees which complaint and whose identity, for every persona (access.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from mumpuni.complaints import access
from mumpuni.complaints.models import Complaint
from mumpuni.complaints.tests.desk_fixtures import ComplaintTestCase

IDENTITY = Complaint.Identity


class VisibilityTests(ComplaintTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.at_tembalang = cls().received()  # about the Tembalang point, not forwarded
        cls.at_banyumanik = cls().received(point=cls.other_point)
        cls.no_point = cls().received(point=None)

    def visible(self, user: object) -> set[int]:
        return set(access.visible_complaints(user).values_list("pk", flat=True))

    def test_the_desk_admin_and_executive_see_everything(self) -> None:
        everything = {self.at_tembalang.pk, self.at_banyumanik.pk, self.no_point.pk}
        for user in (self.desk, self.admin, self.executive):
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), everything)

    def test_a_camat_sees_his_points_and_his_units_complaints(self) -> None:
        self.assertEqual(self.visible(self.camat), {self.at_tembalang.pk})
        self.assertEqual(self.visible(self.other), {self.at_banyumanik.pk})
        # Forwarded to Banyumanik, the complaint about a Tembalang point is seen by both camats.
        from mumpuni.complaints.services import workflow

        workflow.forward(self.at_tembalang, self.desk, unit=self.banyumanik)
        self.assertIn(self.at_tembalang.pk, self.visible(self.other))
        self.assertIn(self.at_tembalang.pk, self.visible(self.camat))
        self.assertTrue(access.can_handle_as_unit(self.other, Complaint.objects.get(pk=self.at_tembalang.pk)))
        self.assertFalse(
            access.can_handle_as_unit(self.camat, Complaint.objects.get(pk=self.at_tembalang.pk))
        )

    def test_it_refuses_outsiders(self) -> None:
        for user in (self.supervisor, self.employee, self.officer, self.other_officer, AnonymousUser()):
            with self.subTest(user=str(user)):
                self.assertEqual(self.visible(user), set())
                self.assertFalse(access.can_view(user, self.at_tembalang))
                self.assertFalse(access.is_desk(user))

    def test_only_the_desk_is_the_desk(self) -> None:
        self.assertTrue(access.is_desk(self.desk))
        self.assertTrue(access.is_desk(self.admin))
        self.assertFalse(access.is_desk(self.executive))
        self.assertFalse(access.is_desk(self.camat))


class IdentityTests(ComplaintTestCase):
    def test_public_identity_is_shown_to_whoever_may_view(self) -> None:
        c = self.received(identity=IDENTITY.PUBLIC)
        for user in (self.desk, self.admin, self.executive, self.camat):
            with self.subTest(user=user.username):
                self.assertTrue(access.shows_identity(user, c))
        for user in (self.other, self.officer, self.employee, AnonymousUser()):
            with self.subTest(user=str(user)):
                self.assertFalse(access.shows_identity(user, c))

    def test_confidential_identity_is_for_the_desk_only(self) -> None:
        c = self.received(identity=IDENTITY.CONFIDENTIAL)
        self.assertTrue(access.shows_identity(self.desk, c))
        self.assertTrue(access.shows_identity(self.admin, c))
        for user in (self.executive, self.camat, self.other, self.supervisor, self.officer):
            with self.subTest(user=user.username):
                self.assertFalse(access.shows_identity(user, c))

    def test_anonymous_complaints_store_nothing(self) -> None:
        c = self.received(identity=IDENTITY.ANONYMOUS)
        c.refresh_from_db()
        self.assertEqual((c.name, c.email, c.phone, c.contact_hash), ("", "", "", ""))
        self.assertFalse(access.shows_identity(self.desk, c))
