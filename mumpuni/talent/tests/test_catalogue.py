"""The further-education catalogue kept by BKPP: institutions, agreements and programmes created and edited
through pages, every rule a field error in Indonesian with nothing written, audit entries, "remove" that
deactivates/closes when something refers to the row, and everyone but BKPP refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from mumpuni.common.errors import PermissionDeniedError
from mumpuni.common.models import AuditEntry
from mumpuni.people.models import Role
from mumpuni.talent import services_catalogue
from mumpuni.talent.models import Agreement, Application, FurtherEducationProgram, PartnerInstitution
from mumpuni.talent.tests.fixtures import TalentTestCase
from mumpuni.testing import make_account


class CatalogueTestCase(TalentTestCase):
    def agreement_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "number": "002/PKS/2026",
            "starts_on": dt.date(self.today.year, 1, 1).isoformat(),
            "ends_on": dt.date(self.today.year + 2, 12, 31).isoformat(),
            "fields_of_study": "Administrasi Publik\nPerencanaan Wilayah",
            "quota": "5",
        }
        data.update(overrides)
        return data

    def program_data(self, **overrides: Any) -> dict[str, Any]:
        data = {
            "code": "UNDIP-IB-S1",
            "name": "Izin belajar S1 Administrasi Publik",
            "kind": "izin_belajar",
            "institution": str(self.institution.pk),
            "agreement": str(self.agreement.pk),
            "field_of_study": "Administrasi Publik",
            "level": "S1",
            "quota": "3",
            "opens_on": self.today.isoformat(),
            "closes_on": (self.today + dt.timedelta(days=30)).isoformat(),
            "study_months": "48",
            "max_age": "45",
            "min_grade": "II/c",
            "min_years_of_service": "1",
            "allowed_boxes": "5, 7,8,9",
            "no_ongoing_bond": "on",
        }
        data.update(overrides)
        return data

    def assert_refused_with(
        self, url: str, data: dict[str, Any], field: str, message: str, model: Any
    ) -> None:
        """A 422 with `message` on `field`, and no row or audit entry written."""
        rows, audits = model.objects.count(), AuditEntry.objects.count()
        self.login(self.admin)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 422)
        errors = response.context["form"].errors
        self.assertIn(field, errors, errors)
        self.assertTrue(any(message in e for e in errors[field]), errors[field])
        self.assertContains(response, message, status_code=422)
        self.assertEqual(model.objects.count(), rows)
        self.assertEqual(AuditEntry.objects.count(), audits)

    def seat(self, program: FurtherEducationProgram, employee: Any, status: str = "selected") -> Application:
        return Application.objects.create(program=program, employee=employee, status=status)


class InstitutionTests(CatalogueTestCase):
    def test_bkpp_creates_and_edits_an_institution(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("talent:institution_create"),
            {
                "name": "Universitas Negeri Semarang",
                "city": "Kota Semarang",
                "kind": "universitas",
                "active": "on",
            },
        )
        self.assertRedirects(response, reverse("talent:institutions"))
        unnes = PartnerInstitution.objects.get(name="Universitas Negeri Semarang")
        entry = AuditEntry.objects.get(action="talent.institution_create", object_id=str(unnes.pk))
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes["name"], [None, "Universitas Negeri Semarang"])

        response = self.client.post(
            reverse("talent:institution_edit", args=[unnes.pk]),
            {
                "name": "Universitas Negeri Semarang",
                "city": "Kota Semarang",
                "kind": "institut",
                "active": "on",
            },
        )
        self.assertRedirects(response, reverse("talent:institutions"))
        unnes.refresh_from_db()
        self.assertEqual(unnes.kind, "institut")
        entry = AuditEntry.objects.get(action="talent.institution_update", object_id=str(unnes.pk))
        self.assertEqual(entry.changes, {"kind": ["universitas", "institut"]})

        page = self.client.get(reverse("talent:institutions"))
        self.assertContains(page, "Universitas Negeri Semarang")
        self.assertContains(page, 'data-agreement="001/PKS/2026"')
        self.assertContains(page, reverse("talent:institution_edit", args=[unnes.pk]))

    def test_a_duplicate_name_is_a_field_error(self) -> None:
        self.assert_refused_with(
            reverse("talent:institution_create"),
            {"name": "Universitas Diponegoro", "city": "Semarang", "kind": "universitas"},
            "name",
            "Nama institusi sudah terdaftar.",
            PartnerInstitution,
        )
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(code="UNDIP-TB-S2"),
            "code",
            "Kode program sudah dipakai.",
            FurtherEducationProgram,
        )

    def test_remove_deletes_an_unused_institution_and_deactivates_a_used_one(self) -> None:
        spare = services_catalogue.institution_create(
            actor=self.admin, name="Politeknik Negeri Semarang", city="Kota Semarang", kind="politeknik"
        )
        self.login(self.admin)
        self.client.post(reverse("talent:institution_remove", args=[spare.pk]))
        self.assertFalse(PartnerInstitution.objects.filter(pk=spare.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="talent.institution_delete").exists())

        self.client.post(reverse("talent:institution_remove", args=[self.institution.pk]))
        self.institution.refresh_from_db()
        self.assertFalse(self.institution.active)
        self.assertTrue(AuditEntry.objects.filter(action="talent.institution_deactivate").exists())
        # An inactive institution takes no new agreement.
        self.assert_refused_with(
            reverse("talent:agreement_create", args=[self.institution.pk]),
            self.agreement_data(),
            "__all__",
            "Institusi mitra sudah nonaktif.",
            Agreement,
        )


class AgreementTests(CatalogueTestCase):
    def test_bkpp_creates_and_edits_an_agreement(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("talent:agreement_create", args=[self.institution.pk]), self.agreement_data()
        )
        self.assertRedirects(response, reverse("talent:institutions"))
        agreement = Agreement.objects.get(number="002/PKS/2026")
        self.assertEqual(agreement.institution, self.institution)
        self.assertEqual(agreement.fields_of_study, ["Administrasi Publik", "Perencanaan Wilayah"])
        self.assertEqual(agreement.quota, 5)
        self.assertTrue(
            AuditEntry.objects.filter(action="talent.agreement_create", actor=self.admin).exists()
        )

        response = self.client.post(
            reverse("talent:agreement_edit", args=[agreement.pk]), self.agreement_data(quota="8")
        )
        self.assertRedirects(response, reverse("talent:institutions"))
        agreement.refresh_from_db()
        self.assertEqual(agreement.quota, 8)
        entry = AuditEntry.objects.get(action="talent.agreement_update", object_id=str(agreement.pk))
        self.assertEqual(entry.changes, {"quota": [5, 8]})

    def test_end_before_start_is_refused(self) -> None:
        self.assert_refused_with(
            reverse("talent:agreement_create", args=[self.institution.pk]),
            self.agreement_data(starts_on="2026-06-01", ends_on="2026-05-31"),
            "ends_on",
            "Tanggal berakhir sebelum tanggal mulai.",
            Agreement,
        )

    def test_a_negative_quota_is_refused(self) -> None:
        self.assert_refused_with(
            reverse("talent:agreement_create", args=[self.institution.pk]),
            self.agreement_data(quota="-1"),
            "quota",
            "Kuota tidak boleh negatif",
            Agreement,
        )

    def test_edit_keeps_the_programme_windows_inside_and_the_taken_seats(self) -> None:
        url = reverse("talent:agreement_edit", args=[self.agreement.pk])
        data = self.agreement_data(number=self.agreement.number, fields_of_study="Administrasi Publik")
        # The programme's window opened five days ago; the agreement may not start after that.
        late_start = (self.today + dt.timedelta(days=1)).isoformat()
        self.assert_refused_with(
            url, {**data, "starts_on": late_start}, "starts_on", "di luar masa berlaku perjanjian", Agreement
        )
        self.seat(self.program, self.employee_employee)
        self.seat(self.program, self.officer_employee, "enrolled")
        self.assert_refused_with(
            url,
            {**data, "quota": "1"},
            "quota",
            "Kuota lebih kecil dari kursi yang sudah terisi (2).",
            Agreement,
        )
        self.agreement.refresh_from_db()
        self.assertEqual(self.agreement.quota, 10)
        self.assertFalse(AuditEntry.objects.filter(action="talent.agreement_update").exists())

    def test_an_agreement_in_use_is_not_deleted(self) -> None:
        self.login(self.admin)
        self.client.post(reverse("talent:agreement_delete", args=[self.agreement.pk]))
        self.assertTrue(Agreement.objects.filter(pk=self.agreement.pk).exists())
        spare = services_catalogue.agreement_create(
            actor=self.admin,
            institution=self.institution,
            number="009/PKS/2026",
            starts_on=self.today,
            ends_on=self.today,
            fields_of_study=[],
            quota=0,
        )
        self.client.post(reverse("talent:agreement_delete", args=[spare.pk]))
        self.assertFalse(Agreement.objects.filter(pk=spare.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="talent.agreement_delete").exists())


class ProgramTests(CatalogueTestCase):
    def test_bkpp_creates_and_edits_a_programme(self) -> None:
        self.login(self.admin)
        response = self.client.post(reverse("talent:program_create"), self.program_data())
        program = FurtherEducationProgram.objects.get(code="UNDIP-IB-S1")
        self.assertRedirects(response, reverse("talent:program", args=[program.pk]))
        self.assertEqual(program.allowed_boxes, [5, 7, 8, 9])
        self.assertEqual((program.max_age, program.min_grade, program.study_months), (45, "II/c", 48))
        self.assertTrue(program.no_ongoing_bond)
        self.assertTrue(AuditEntry.objects.filter(action="talent.program_create", actor=self.admin).exists())

        response = self.client.post(
            reverse("talent:program_edit", args=[program.pk]),
            self.program_data(quota="4", max_age="", allowed_boxes="", no_ongoing_bond=""),
        )
        self.assertRedirects(response, reverse("talent:program", args=[program.pk]))
        program.refresh_from_db()
        self.assertEqual((program.quota, program.max_age, program.allowed_boxes), (4, None, []))
        self.assertFalse(program.no_ongoing_bond)
        entry = AuditEntry.objects.get(action="talent.program_update", object_id=str(program.pk))
        self.assertEqual(entry.changes["quota"], [3, 4])
        self.assertEqual(entry.changes["max_age"], [45, None])

        page = self.client.get(reverse("talent:program", args=[program.pk]))
        self.assertContains(page, reverse("talent:program_edit", args=[program.pk]))
        self.assertContains(self.client.get(reverse("talent:programs")), reverse("talent:program_create"))

    def test_the_edit_form_is_filled_in(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("talent:program_edit", args=[self.program.pk]))
        self.assertContains(response, 'value="UNDIP-TB-S2"')
        self.assertContains(response, 'value="7,8,9"')

    def test_window_closing_before_opening_is_refused(self) -> None:
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(closes_on=(self.today - dt.timedelta(days=1)).isoformat()),
            "closes_on",
            "Pendaftaran ditutup sebelum dibuka.",
            FurtherEducationProgram,
        )

    def test_a_quota_below_one_is_refused(self) -> None:
        for quota in ("0", "-2"):
            with self.subTest(quota=quota):
                self.assert_refused_with(
                    reverse("talent:program_create"),
                    self.program_data(quota=quota),
                    "quota",
                    "Kuota paling sedikit 1.",
                    FurtherEducationProgram,
                )

    def test_a_quota_above_the_agreements_remaining_quota_is_refused(self) -> None:
        # Agreement quota 10, seven seats taken in the existing programme: two remain.
        self.agreement.quota = 10
        self.agreement.save()
        self.program.quota = 10
        self.program.save()
        employees = [
            self.employee_employee,
            self.officer_employee,
            self.supervisor_employee,
            self.camat_employee,
        ]
        employees += [self.other_employee, self.other_officer_employee, self.admin_employee]
        for employee in employees:
            self.seat(self.program, employee)
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(quota="4"),
            "quota",
            "Kuota melebihi sisa kuota perjanjian 001/PKS/2026 (3).",
            FurtherEducationProgram,
        )
        self.login(self.admin)
        response = self.client.post(reverse("talent:program_create"), self.program_data(quota="3"))
        self.assertEqual(response.status_code, 302)

    def test_a_window_outside_the_agreement_is_refused(self) -> None:
        before = (self.agreement.starts_on - dt.timedelta(days=1)).isoformat()
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(opens_on=before),
            "opens_on",
            "Pendaftaran dibuka di luar masa berlaku perjanjian",
            FurtherEducationProgram,
        )
        after = (self.agreement.ends_on + dt.timedelta(days=1)).isoformat()
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(closes_on=after),
            "closes_on",
            "Pendaftaran ditutup di luar masa berlaku perjanjian",
            FurtherEducationProgram,
        )

    def test_field_of_study_and_agreement_of_another_institution_are_refused(self) -> None:
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(field_of_study="Kedokteran"),
            "field_of_study",
            "Bidang studi tidak tercakup dalam perjanjian kerja sama.",
            FurtherEducationProgram,
        )
        uin = services_catalogue.institution_create(
            actor=self.admin, name="UIN Walisongo", city="Kota Semarang", kind="uin"
        )
        self.assert_refused_with(
            reverse("talent:program_create"),
            self.program_data(institution=str(uin.pk)),
            "agreement",
            "Perjanjian bukan milik institusi ini.",
            FurtherEducationProgram,
        )

    def test_edit_with_an_error_writes_nothing(self) -> None:
        url = reverse("talent:program_edit", args=[self.program.pk])
        data = self.program_data(
            code=self.program.code, name="Nama baru", quota="0", kind="tugas_belajar", level="S2"
        )
        self.assert_refused_with(url, data, "quota", "Kuota paling sedikit 1.", FurtherEducationProgram)
        self.program.refresh_from_db()
        self.assertEqual(self.program.name, "Tugas belajar S2 Administrasi Publik")

    def test_remove_closes_a_programme_with_applications_and_deletes_one_without(self) -> None:
        self.apply()
        self.login(self.admin)
        self.client.post(reverse("talent:program_remove", args=[self.program.pk]))
        self.program.refresh_from_db()
        self.assertEqual(self.program.closes_on, self.today - dt.timedelta(days=1))
        self.assertEqual(self.program.applications.count(), 1)
        self.assertTrue(AuditEntry.objects.filter(action="talent.program_close").exists())

        spare = self.make_program(code="SPARE", quota=1)
        self.client.post(reverse("talent:program_remove", args=[spare.pk]))
        self.assertFalse(FurtherEducationProgram.objects.filter(pk=spare.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action="talent.program_delete").exists())


class AccessTests(CatalogueTestCase):
    def test_nobody_but_bkpp_creates_or_edits(self) -> None:
        partner = make_account("mitra", [(Role.PARTNER, self.tembalang)])
        spare = services_catalogue.agreement_create(
            actor=self.admin,
            institution=self.institution,
            number="010/PKS/2026",
            starts_on=self.today,
            ends_on=self.today,
            fields_of_study=[],
            quota=0,
        )
        urls = [
            reverse("talent:institution_create"),
            reverse("talent:institution_edit", args=[self.institution.pk]),
            reverse("talent:institution_remove", args=[self.institution.pk]),
            reverse("talent:agreement_create", args=[self.institution.pk]),
            reverse("talent:agreement_edit", args=[self.agreement.pk]),
            reverse("talent:agreement_delete", args=[spare.pk]),
            reverse("talent:program_create"),
            reverse("talent:program_edit", args=[self.program.pk]),
            reverse("talent:program_remove", args=[self.program.pk]),
        ]
        posts = {"name": "X", "city": "Y", "kind": "universitas", **self.program_data(code="X")}
        audits = AuditEntry.objects.count()
        for user in (self.executive, self.camat, self.supervisor, self.employee, self.other_officer, partner):
            self.login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    if not url.endswith("hapus/"):
                        self.assertEqual(self.client.get(url).status_code, 403)
                    self.assertEqual(self.client.post(url, posts).status_code, 403)
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.assertTrue(Agreement.objects.filter(pk=spare.pk).exists())
        self.assertTrue(self.institution.active)
        self.client.logout()
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302)

    def test_executive_reads_the_institution_list_without_edit_links(self) -> None:
        self.login(self.executive)
        response = self.client.get(reverse("talent:institutions"))
        self.assertContains(response, "Universitas Diponegoro")
        self.assertNotContains(response, reverse("talent:institution_create"))
        self.assertNotContains(response, reverse("talent:program_create"))
        self.assertNotContains(self.client.get(reverse("talent:programs")), reverse("talent:program_create"))
        for user in (self.camat, self.employee):
            self.login(user)
            self.assertEqual(self.client.get(reverse("talent:institutions")).status_code, 403)

    def test_the_services_refuse_non_bkpp_actors(self) -> None:
        with self.assertRaises(PermissionDeniedError):
            services_catalogue.institution_create(
                actor=self.executive, name="X", city="Y", kind="universitas"
            )
        with self.assertRaises(PermissionDeniedError):
            services_catalogue.program_remove(actor=self.camat, program=self.program)
        self.assertTrue(FurtherEducationProgram.objects.filter(pk=self.program.pk).exists())
