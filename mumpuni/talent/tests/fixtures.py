"""Shared data for the talent tests: four required competencies of the staff position, the employee
(3 of 4 met → potensi Menengah; SKP Sangat Baik → box 8) and the officer (4 of 4 → Tinggi; Baik → box 7),
the supervisor without a standard (unplaced), golongan, and an open tugas-belajar programme."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from mumpuni.competencies.models import Competency, PositionRequirement
from mumpuni.competencies.services import assessment_record
from mumpuni.talent import services
from mumpuni.talent.models import Application, FurtherEducationProgram
from mumpuni.testing import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "berkas.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


MEDIA = tempfile.mkdtemp(prefix="talent-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class TalentTestCase(BaseTestCase):
    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.year = cls.today.year - 1
        cls.competencies = [
            Competency.objects.create(code=f"T.K{i}", name=f"Kompetensi {i}", kind=Competency.Kind.TECHNICAL)
            for i in range(1, 5)
        ]
        for competency in cls.competencies:
            PositionRequirement.objects.create(
                position=cls.pos_staff, competency=competency, required_level=3
            )
        for employee, levels in ((cls.employee_employee, (3, 4, 3, 2)), (cls.officer_employee, (3, 3, 4, 5))):
            for competency, level in zip(cls.competencies, levels, strict=True):
                assessment_record(
                    actor=cls.admin,
                    employee=employee,
                    competency=competency,
                    level=level,
                    source="assessment_centre",
                    assessed_on=dt.date(cls.year, 10, 1),
                )
        services.rating_record(
            actor=cls.admin,
            employee=cls.employee_employee,
            year=cls.year,
            predikat="sangat_baik",
            grade="III/b",
        )
        services.rating_record(
            actor=cls.admin, employee=cls.officer_employee, year=cls.year, predikat="Baik", grade="III/a"
        )
        services.rating_record(
            actor=cls.admin, employee=cls.supervisor_employee, year=cls.year, predikat="baik"
        )
        services.placements_refresh(year=cls.year)
        cls.institution = services.institution_create(
            actor=cls.admin, name="Universitas Diponegoro", city="Kota Semarang", kind="universitas"
        )
        cls.agreement = services.agreement_create(
            actor=cls.admin,
            institution=cls.institution,
            number="001/PKS/2026",
            starts_on=dt.date(cls.today.year - 1, 1, 1),
            ends_on=dt.date(cls.today.year + 3, 12, 31),
            fields_of_study=["Administrasi Publik"],
            quota=10,
        )
        cls.program = cls.make_program()

    @classmethod
    def make_program(cls, **overrides: Any) -> FurtherEducationProgram:
        values: dict[str, Any] = {
            "code": "UNDIP-TB-S2",
            "name": "Tugas belajar S2 Administrasi Publik",
            "kind": "tugas_belajar",
            "institution": cls.institution,
            "agreement": cls.agreement,
            "field_of_study": "Administrasi Publik",
            "level": "S2",
            "quota": 1,
            "opens_on": cls.today - dt.timedelta(days=5),
            "closes_on": cls.today + dt.timedelta(days=20),
            "study_months": 24,
            "max_age": 50,
            "min_grade": "III/a",
            "min_years_of_service": 2,
            "allowed_boxes": [7, 8, 9],
        }
        values.update(overrides)
        return services.program_create(actor=cls.admin, **values)

    def apply(self, employee: Any = None, user: Any = None, program: Any = None) -> Application:
        return services.application_submit(
            actor=user or self.employee,
            program=program or self.program,
            employee=employee or self.employee_employee,
            motivation="Ingin memperdalam kebijakan publik.",
        )

    def with_documents(self, application: Application, user: Any = None) -> Application:
        for kind in ("permohonan", "ijazah", "rekomendasi"):
            services.document_add(
                actor=user or self.employee, application=application, kind=kind, upload=pdf(f"{kind}.pdf")
            )
        return application
