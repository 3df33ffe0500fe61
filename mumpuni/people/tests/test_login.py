"""Logging in with a NIP or a username, lockout after repeated failures, logging out, language switch."""

from django.urls import reverse

from mumpuni.people import services
from mumpuni.testing import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def test_it_shows_the_indonesian_login_page(self) -> None:
        response = self.client.get(reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "NIP atau nama pengguna")
        self.assertContains(response, "Kata sandi")
        self.assertContains(response, "Pemerintah Kota Semarang · BKPP")
        self.assertContains(response, 'action="/i18n/setlang/"')

    def test_it_logs_in_with_a_username(self) -> None:
        response = self.client.post(reverse("login"), {"username": "camat", "password": PASSWORD})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.camat.pk))

    def test_it_logs_in_with_a_nip_typed_with_spaces(self) -> None:
        nip = self.employee_employee.nip
        spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        response = self.client.post(reverse("login"), {"username": spaced, "password": PASSWORD})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.employee.pk))

    def test_it_follows_next_after_login(self) -> None:
        url = reverse("employee_list")
        response = self.client.post(
            f"{reverse('login')}?next={url}", {"username": "camat", "password": PASSWORD, "next": url}
        )
        self.assertRedirects(response, url, fetch_redirect_response=False)

    def test_it_rejects_a_wrong_password_in_indonesian(self) -> None:
        response = self.client.post(reverse("login"), {"username": "camat", "password": "salah-sekali-123"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "NIP/nama pengguna atau kata sandi salah.")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_asks_for_both_fields(self) -> None:
        response = self.client.post(reverse("login"), {"username": "", "password": ""})
        self.assertContains(response, "Isi NIP atau nama pengguna.")
        self.assertContains(response, "Isi kata sandi.")

    def test_it_locks_out_after_five_failures(self) -> None:
        for _ in range(5):
            self.client.post(reverse("login"), {"username": "camat", "password": "salah-sekali-123"})
        response = self.client.post(reverse("login"), {"username": "camat", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak percobaan masuk", status_code=429)
        self.assertContains(response, "15 menit", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_does_not_lock_out_after_four_failures(self) -> None:
        for _ in range(4):
            self.client.post(reverse("login"), {"username": "camat", "password": "salah-sekali-123"})
        response = self.client.post(reverse("login"), {"username": "camat", "password": PASSWORD})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_logs_out_with_post_only(self) -> None:
        self.login(self.camat)
        self.assertEqual(self.client.get(reverse("logout")).status_code, 405)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_switches_to_english(self) -> None:
        self.login(self.admin)
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Employees")
        self.assertContains(response, "Audit log")
        self.assertNotContains(response, "Jejak audit")

    def test_it_shows_indonesian_navigation_by_default(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("home"))
        self.assertContains(response, '<html lang="id">')
        self.assertContains(response, "Jejak audit")

    def test_it_refuses_outsiders(self) -> None:
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, f"{reverse('login')}?next=/", fetch_redirect_response=False)
        # Service accounts (devices, partners) never log in through the form, whatever password they try.
        _, key = services.api_key_create(actor=None, name="kios-tembalang", role="kiosk", unit=self.tembalang)
        response = self.client.post(reverse("login"), {"username": "svc-kios-tembalang", "password": key})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        # A deactivated account is refused as well.
        self.other.is_active = False
        self.other.save(update_fields=["is_active"])
        response = self.client.post(reverse("login"), {"username": "camat-lain", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)


class LockoutSpellingTests(BaseTestCase):
    """Every spelling the backend accepts for one account shares one failure counter (review finding 1)."""

    def test_it_locks_out_all_spellings_after_five_mixed_failures(self) -> None:
        nip = self.camat_employee.nip
        spellings = ["Camat", " camat ", "CAMAT", nip, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"]
        for spelling in spellings:
            self.client.post(reverse("login"), {"username": spelling, "password": "salah-sekali-123"})
        for spelling in ["camat", "Camat", nip]:
            response = self.client.post(reverse("login"), {"username": spelling, "password": PASSWORD})
            self.assertEqual(response.status_code, 429, spelling)
            self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_keeps_other_accounts_unlocked(self) -> None:
        for _ in range(5):
            self.client.post(reverse("login"), {"username": "Camat", "password": "salah-sekali-123"})
        response = self.client.post(reverse("login"), {"username": "pegawai", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.employee.pk))


class UsernameCaseTests(BaseTestCase):
    def test_it_refuses_a_username_differing_only_by_case(self) -> None:
        from mumpuni.common.errors import ValidationFailed

        with self.assertRaises(ValidationFailed) as caught:
            services.account_create(actor=None, username="CAMAT", password=PASSWORD, roles=[])
        self.assertIn("username", caught.exception.fields)
        self.assertFalse(type(self.camat).objects.filter(username="CAMAT").exists())
