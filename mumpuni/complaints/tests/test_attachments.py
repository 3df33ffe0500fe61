"""Attachments: recognised by content, size and count limits, re-encoded without EXIF/GPS or PDF metadata,
stored under random names with the sha256 of the stored bytes — through the service and the public form."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from mumpuni.complaints.models import Attachment, Complaint, ComplaintPolicy
from mumpuni.complaints.services.attachments import check_attachments, sniff, store_attachments
from mumpuni.complaints.services.intake import ComplaintInput, submit_complaint
from mumpuni.complaints.tests.test_intake import PublicComplaintCase

SECRET_PLACE = (7.0, 3.0, 12.5)
AUTHOR = "Budi Santoso Pelapor"


def jpeg_with_gps(size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))  # a blue corner shows where the top-left went after rotation
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "KameraMerekRahasia"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = SECRET_PLACE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (110.0, 26.0, 19.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"komentar rahasia")
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 10, 128)).save(out, format="PNG")
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 0)).save(out, format="WEBP")
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": AUTHOR, "/Title": "Bukti pembayaran", "/Creator": "Pemindai Kantor"})
    xmp = StreamObject()
    xmp.set_data(
        f'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR} XMP</dc:creator>'
        '</x:xmpmeta><?xpacket end="w"?>'.encode()
    )
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    page[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


class SniffTests(PublicComplaintCase):
    def test_it_recognises_the_four_types_by_content(self) -> None:
        self.assertEqual(sniff(jpeg_with_gps()[:16]), "image/jpeg")
        self.assertEqual(sniff(png_bytes()[:16]), "image/png")
        self.assertEqual(sniff(webp_bytes()[:16]), "image/webp")
        self.assertEqual(sniff(pdf_with_metadata()[:16]), "application/pdf")
        self.assertIsNone(sniff(ELF[:16]))
        self.assertIsNone(sniff(b"GIF89a"))


class CheckAttachmentsTests(PublicComplaintCase):
    def test_it_accepts_good_files(self) -> None:
        files = [
            upload("a.jpg", jpeg_with_gps()),
            upload("b.pdf", pdf_with_metadata()),
            upload("c.webp", webp_bytes()),
        ]
        self.assertEqual(check_attachments(files, 5), [])

    def test_it_refuses_a_renamed_linux_program(self) -> None:
        messages = check_attachments([upload("foto.jpg", ELF, "image/jpeg")], 5)
        self.assertEqual(len(messages), 1)
        self.assertIn("foto.jpg", messages[0])
        self.assertIn("program Linux", messages[0])
        self.assertIn("tidak diterima", messages[0])

    def test_it_refuses_a_renamed_windows_program(self) -> None:
        messages = check_attachments([upload("bukti.pdf", MZ, "application/pdf")], 5)
        self.assertIn("program Windows", messages[0])

    def test_it_refuses_a_broken_image_with_a_jpeg_header(self) -> None:
        messages = check_attachments([upload("rusak.jpg", b"\xff\xd8\xff\xe0" + b"sampah" * 50)], 5)
        self.assertIn("tidak dapat dibuka sebagai gambar", messages[0])

    def test_it_refuses_a_pdf_that_is_not_one(self) -> None:
        messages = check_attachments([upload("palsu.pdf", b"%PDF-1.7\n" + b"bukan pdf" * 30)], 5)
        self.assertIn("tidak dapat dibuka sebagai PDF", messages[0])

    def test_it_refuses_other_types(self) -> None:
        messages = check_attachments([upload("a.zip", b"PK\x03\x04" + b"\x00" * 40)], 5)
        self.assertIn("arsip ZIP", messages[0])

    def test_it_refuses_a_file_over_the_limit(self) -> None:
        big = b"\xff\xd8\xff\xe0" + b"\x00" * (1024 * 1024 + 10)
        messages = check_attachments([upload("besar.jpg", big)], 1)
        self.assertIn("ukuran maksimum 1 MB", messages[0])

    def test_it_refuses_four_files(self) -> None:
        files = [upload(f"{n}.png", png_bytes()) for n in range(4)]
        messages = check_attachments(files, 5)
        self.assertEqual(messages, ["Lampirkan paling banyak 3 berkas (Anda memilih 4)."])

    def test_it_refuses_an_empty_file(self) -> None:
        self.assertIn("kosong", check_attachments([upload("kosong.jpg", b"")], 5)[0])


class StoreAttachmentsTests(PublicComplaintCase):
    def complaint(self, files: list[Any]) -> Complaint:
        data = ComplaintInput(
            category="sarana",
            title="Kursi tunggu rusak",
            description="Kursi tunggu di ruang pelayanan banyak yang patah.",
            identity="anonymous",
        )
        return submit_complaint(data, files=files, client_address="10.9.9.9")

    def stored(self, attachment: Attachment) -> bytes:
        return Path(attachment.file.path).read_bytes()

    def test_a_jpeg_loses_exif_and_gps_and_stands_upright(self) -> None:
        original = jpeg_with_gps()
        # the fixture really carries what we strip
        self.assertEqual(
            Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)[2], SECRET_PLACE
        )
        attachment = self.complaint(
            [upload("IMG_20261127_GPS.jpg", original, "image/jpeg")]
        ).attachments.get()
        data = self.stored(attachment)
        image = Image.open(io.BytesIO(data))
        self.assertEqual(image.format, "JPEG")
        self.assertEqual(dict(image.getexif()), {})
        self.assertNotIn("exif", image.info)
        self.assertNotIn("comment", image.info)
        self.assertNotIn(b"KameraMerekRahasia", data)
        self.assertNotIn(b"komentar rahasia", data)
        self.assertEqual(image.size, (20, 40))  # orientation 6 applied before the EXIF went away
        self.assertEqual(attachment.content_type, "image/jpeg")
        self.assertEqual(attachment.size, len(data))
        self.assertEqual(attachment.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(attachment.original_name, "lampiran-1.jpg")  # anonymous: not the citizen's name

    def test_stored_names_are_random(self) -> None:
        attachment = self.complaint([upload("rumah-budi.jpg", jpeg_with_gps())]).attachments.get()
        name = Path(attachment.file.name).name
        self.assertNotIn("budi", attachment.file.name)
        self.assertRegex(name, r"^[0-9a-f]{32}\.jpg$")
        self.assertTrue(attachment.file.name.startswith("complaints/"))
        self.assertTrue(Path(attachment.file.path).is_relative_to(Path(self.media)))

    def test_a_pdf_loses_info_and_xmp(self) -> None:
        original = pdf_with_metadata()
        self.assertIn(AUTHOR.encode(), original)
        self.assertEqual(PdfReader(io.BytesIO(original)).metadata["/Author"], AUTHOR)
        attachment = self.complaint([upload("bukti.pdf", original, "application/pdf")]).attachments.get()
        data = self.stored(attachment)
        reader = PdfReader(io.BytesIO(data))
        self.assertEqual(len(reader.pages), 1)
        self.assertFalse(reader.metadata)  # no /Info at all
        self.assertIsNone(reader.xmp_metadata)
        self.assertNotIn("/Metadata", reader.pages[0])
        self.assertNotIn(AUTHOR.encode(), data)
        self.assertNotIn(b"Pemindai Kantor", data)
        self.assertEqual(attachment.content_type, "application/pdf")
        self.assertEqual(attachment.sha256, hashlib.sha256(data).hexdigest())

    def test_a_png_named_pdf_is_stored_as_png(self) -> None:
        attachment = self.complaint([upload("surat.pdf", png_bytes(), "application/pdf")]).attachments.get()
        self.assertEqual(attachment.content_type, "image/png")
        self.assertTrue(attachment.file.name.endswith(".png"))
        image = Image.open(attachment.file.path)
        self.assertEqual((image.format, image.mode), ("PNG", "RGBA"))

    def test_a_webp_is_kept_as_webp(self) -> None:
        attachment = self.complaint([upload("x.webp", webp_bytes())]).attachments.get()
        self.assertEqual(Image.open(attachment.file.path).format, "WEBP")

    def test_a_refused_file_stores_nothing(self) -> None:
        from mumpuni.common.errors import ValidationFailed

        with self.assertRaises(ValidationFailed) as raised:
            self.complaint([upload("a.png", png_bytes()), upload("foto.jpg", ELF)])
        self.assertIn("program Linux", raised.exception.fields["attachments"][0])
        self.assertEqual(Complaint.objects.count(), 0)
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(list(Path(self.media).rglob("*.*")), [])

    def test_store_refuses_what_check_refuses(self) -> None:
        from mumpuni.common.errors import ValidationFailed

        complaint = self.complaint([])
        with self.assertRaises(ValidationFailed):
            store_attachments(complaint, [upload("foto.jpg", MZ)])
        self.assertEqual(list(Path(self.media).rglob("*.*")), [])


class FormAttachmentTests(PublicComplaintCase):
    def test_the_form_stores_three_clean_files(self) -> None:
        files = [
            upload("foto.jpg", jpeg_with_gps(), "image/jpeg"),
            upload("bukti.pdf", pdf_with_metadata(), "application/pdf"),
            upload("layar.png", png_bytes(), "image/png"),
        ]
        response = self.submit(files=files)
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(
            sorted(complaint.attachments.values_list("content_type", flat=True)),
            ["application/pdf", "image/jpeg", "image/png"],
        )

    def test_the_form_refuses_a_renamed_executable(self) -> None:
        response = self.submit(files=[upload("foto.jpg", ELF, "image/jpeg")])
        self.assertContains(response, "program Linux (ELF)", status_code=422)
        self.assertContains(response, "pilih ulang berkas lampiran Anda", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)

    def test_the_form_refuses_four_files(self) -> None:
        response = self.submit(files=[upload(f"{n}.png", png_bytes()) for n in range(4)])
        self.assertContains(response, "Lampirkan paling banyak 3 berkas", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)

    def test_the_form_refuses_a_file_over_the_limit(self) -> None:
        policy = ComplaintPolicy.current()
        policy.max_attachment_mb = 1
        policy.save()
        big = jpeg_with_gps() + b"\x00" * (1024 * 1024)
        response = self.submit(files=[upload("besar.jpg", big, "image/jpeg")])
        self.assertContains(response, "ukuran maksimum 1 MB", status_code=422)
        self.assertEqual(Complaint.objects.count(), 0)
