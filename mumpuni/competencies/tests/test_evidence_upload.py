import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from mumpuni.competencies.models import Assessment, Competency
from mumpuni.testing import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="mumpuni-test-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class EvidenceUploadTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.competency = Competency.objects.create(code="T.PRIMA", name="Pelayanan Prima", kind="teknis")

    def _post(self, upload: SimpleUploadedFile) -> None:
        self.client.post(
            f"/kompetensi/pegawai/{self.employee_employee.nip}/",
            {"competency": "T.PRIMA", "level": "3", "note": "observasi loket", "evidence_file": upload},
        )

    def test_a_supervisor_attaches_a_pdf_and_the_team_can_download_it(self) -> None:
        self.login(self.supervisor)
        self._post(SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"))
        assessment = Assessment.objects.get(employee=self.employee_employee)
        self.assertTrue(assessment.evidence_file.name.endswith(".pdf"))
        response = self.client.get(f"/kompetensi/penilaian/{assessment.pk}/bukti/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_a_fake_pdf_is_refused_and_nothing_is_written(self) -> None:
        self.login(self.supervisor)
        self._post(SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf"))
        self.assertFalse(Assessment.objects.filter(employee=self.employee_employee).exists())

    def test_it_refuses_outsiders(self) -> None:
        self.login(self.supervisor)
        self._post(SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"))
        assessment = Assessment.objects.get(employee=self.employee_employee)
        self.client.logout()
        self.assertEqual(self.client.get(f"/kompetensi/penilaian/{assessment.pk}/bukti/").status_code, 302)
        self.login(self.other)
        self.assertEqual(self.client.get(f"/kompetensi/penilaian/{assessment.pk}/bukti/").status_code, 404)
