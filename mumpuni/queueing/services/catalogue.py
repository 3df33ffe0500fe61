"""The service catalogue: the standar pelayanan of the kecamatan and Disdukcapil/MPP services, and the one
write that installs or refreshes it (idempotent, by service code).

Content follows the published standar pelayanan of Disdukcapil and kecamatan offices (UU 25/2009 art. 21,
PermenPANRB 15/2014); population documents are free of charge (UU 24/2013 art. 79A, Perpres 96/2018).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from mumpuni.queueing.models import Service
from mumpuni.queueing.services.points import audit

ADMINDUK_BASIS = (
    "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013 tentang Administrasi Kependudukan; "
    "Perpres No. 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil"
)
KECAMATAN_BASIS = (
    "UU No. 25 Tahun 2009 tentang Pelayanan Publik; PP No. 17 Tahun 2018 tentang Kecamatan; "
    "Permendagri No. 4 Tahun 2010 tentang Pedoman PATEN"
)
FREE_NOTE = "Tidak dipungut biaya"


@dataclass(frozen=True)
class ServiceStandard:
    code: str
    name: str
    group_letter: str
    icon: str
    requirements: tuple[str, ...]
    steps: tuple[str, ...]
    target_service_minutes: int
    target_completion: str
    legal_basis: str = ADMINDUK_BASIS
    booking_needs_nik: bool = False
    fee: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


_STEPS_ADMINDUK = (
    "Ambil nomor antrean di kios atau datang sesuai jadwal booking",
    "Serahkan berkas persyaratan kepada petugas loket",
    "Petugas memverifikasi dan memvalidasi berkas",
    "Petugas memproses data pada SIAK",
    "Dokumen diterbitkan atau diberikan tanda terima pengambilan",
)
_STEPS_KECAMATAN = (
    "Ambil nomor antrean di kios atau datang sesuai jadwal booking",
    "Serahkan surat pengantar RT/RW dan kelurahan beserta berkas persyaratan",
    "Petugas memverifikasi berkas",
    "Surat ditandatangani oleh camat atau pejabat yang ditunjuk",
    "Surat diserahkan kepada pemohon",
)

CATALOGUE: tuple[ServiceStandard, ...] = (
    ServiceStandard(
        "KTP-REKAM",
        "KTP-el: perekaman data",
        "A",
        "person-vcard",
        (
            "Telah berusia 17 tahun, sudah kawin atau pernah kawin",
            "Fotokopi Kartu Keluarga",
            "Hadir langsung untuk foto, sidik jari, iris mata dan tanda tangan",
        ),
        (
            "Ambil nomor antrean di kios atau datang sesuai jadwal booking",
            "Petugas memeriksa data kependudukan pada SIAK",
            "Perekaman foto, tanda tangan, sidik jari dan iris mata",
            "Pemohon menerima bukti perekaman",
        ),
        10,
        "Selesai di tempat (perekaman)",
        booking_needs_nik=True,
    ),
    ServiceStandard(
        "KTP-CETAK",
        "KTP-el: pencetakan (baru, hilang, rusak, perubahan data)",
        "A",
        "credit-card-2-front",
        (
            "Sudah melakukan perekaman KTP-el",
            "Fotokopi Kartu Keluarga",
            "Surat keterangan kehilangan dari kepolisian (jika hilang)",
            "KTP-el yang rusak (jika rusak)",
        ),
        _STEPS_ADMINDUK,
        8,
        "Selesai di tempat bila blangko tersedia",
        booking_needs_nik=True,
    ),
    ServiceStandard(
        "KK",
        "Kartu Keluarga (baru, perubahan, hilang/rusak)",
        "B",
        "people",
        (
            "Formulir F-1.01 biodata keluarga",
            "Kartu Keluarga lama (untuk perubahan)",
            "Buku nikah/akta perkawinan atau akta perceraian",
            "Surat keterangan pindah (bagi penduduk pindah datang)",
        ),
        _STEPS_ADMINDUK,
        12,
        "1 hari kerja",
        booking_needs_nik=True,
    ),
    ServiceStandard(
        "AKTA-LAHIR",
        "Akta kelahiran",
        "C",
        "balloon-heart",
        (
            "Surat keterangan lahir dari rumah sakit, puskesmas, bidan atau kelurahan",
            "Kartu Keluarga orang tua",
            "Buku nikah/akta perkawinan orang tua, atau SPTJM kebenaran pasangan suami istri",
            "KTP-el dua orang saksi (jika tanpa surat keterangan lahir: SPTJM kelahiran)",
        ),
        _STEPS_ADMINDUK,
        15,
        "1 hari kerja",
    ),
    ServiceStandard(
        "AKTA-MATI",
        "Akta kematian",
        "C",
        "flower1",
        (
            "Surat keterangan kematian dari rumah sakit, puskesmas atau kelurahan",
            "Kartu Keluarga dan KTP-el almarhum/almarhumah",
            "KTP-el pelapor",
            "SPTJM kebenaran data kematian (jika tanpa surat keterangan kematian)",
        ),
        _STEPS_ADMINDUK,
        12,
        "1 hari kerja",
    ),
    ServiceStandard(
        "KIA",
        "Kartu Identitas Anak (KIA)",
        "C",
        "person-hearts",
        (
            "Fotokopi kutipan akta kelahiran anak",
            "Kartu Keluarga orang tua",
            "KTP-el kedua orang tua/wali",
            "Pas foto berwarna anak ukuran 2x3 (anak usia 5 tahun ke atas)",
        ),
        _STEPS_ADMINDUK,
        8,
        "Selesai di tempat",
    ),
    ServiceStandard(
        "PINDAH",
        "Surat keterangan pindah (SKPWNI)",
        "D",
        "box-arrow-right",
        (
            "Kartu Keluarga",
            "KTP-el anggota keluarga yang pindah",
            "Formulir F-1.03 pendaftaran perpindahan penduduk",
        ),
        _STEPS_ADMINDUK,
        12,
        "1 hari kerja",
        booking_needs_nik=True,
    ),
    ServiceStandard(
        "DATANG",
        "Pendaftaran penduduk datang",
        "D",
        "box-arrow-in-left",
        (
            "Surat keterangan pindah (SKPWNI) dari daerah asal",
            "KTP-el yang bersangkutan",
            "Kartu Keluarga tujuan (jika menumpang)",
        ),
        _STEPS_ADMINDUK,
        12,
        "1 hari kerja",
        booking_needs_nik=True,
    ),
    ServiceStandard(
        "LEGALISASI",
        "Legalisasi dokumen kependudukan",
        "E",
        "patch-check",
        (
            "Dokumen asli (KK, akta kelahiran, akta kematian, atau dokumen lain)",
            "Fotokopi dokumen yang akan dilegalisasi",
        ),
        (
            "Ambil nomor antrean",
            "Serahkan dokumen asli dan fotokopinya",
            "Petugas mencocokkan fotokopi dengan dokumen asli",
            "Fotokopi dilegalisasi dan diserahkan",
        ),
        5,
        "Selesai di tempat",
    ),
    ServiceStandard(
        "SK-DOMISILI",
        "Surat keterangan domisili",
        "E",
        "house-door",
        (
            "Surat pengantar RT/RW dan kelurahan",
            "Fotokopi KTP-el dan Kartu Keluarga",
        ),
        _STEPS_KECAMATAN,
        7,
        "Selesai di tempat",
        legal_basis=KECAMATAN_BASIS,
    ),
    ServiceStandard(
        "SKTM",
        "Surat keterangan tidak mampu (SKTM)",
        "E",
        "heart-pulse",
        (
            "Surat pengantar RT/RW dan kelurahan",
            "Fotokopi KTP-el dan Kartu Keluarga",
            "Surat pernyataan tidak mampu bermeterai",
        ),
        _STEPS_KECAMATAN,
        7,
        "Selesai di tempat",
        legal_basis=KECAMATAN_BASIS,
    ),
    ServiceStandard(
        "SK-AHLI-WARIS",
        "Surat keterangan ahli waris",
        "E",
        "diagram-3",
        (
            "Surat pengantar RT/RW dan kelurahan",
            "Akta kematian pewaris",
            "Fotokopi KTP-el dan Kartu Keluarga para ahli waris",
            "Surat pernyataan ahli waris bermeterai disaksikan dua orang saksi",
        ),
        _STEPS_KECAMATAN,
        15,
        "3 hari kerja",
        legal_basis=KECAMATAN_BASIS,
    ),
    ServiceStandard(
        "SK-USAHA",
        "Surat keterangan usaha",
        "E",
        "shop",
        (
            "Surat pengantar RT/RW dan kelurahan",
            "Fotokopi KTP-el dan Kartu Keluarga",
            "Foto tempat usaha",
        ),
        _STEPS_KECAMATAN,
        7,
        "Selesai di tempat",
        legal_basis=KECAMATAN_BASIS,
    ),
    ServiceStandard(
        "PENGANTAR-NIKAH",
        "Surat pengantar nikah",
        "E",
        "hearts",
        (
            "Surat pengantar RT/RW dan kelurahan (formulir N1–N4)",
            "Fotokopi KTP-el dan Kartu Keluarga calon pengantin",
            "Fotokopi akta kelahiran",
            "Pas foto 2x3 dan 4x6",
        ),
        _STEPS_KECAMATAN,
        10,
        "1 hari kerja",
        legal_basis=KECAMATAN_BASIS + "; PMA No. 20 Tahun 2019 tentang Pencatatan Pernikahan",
    ),
    ServiceStandard(
        "PBG-INFO",
        "Informasi dan konsultasi PBG (dahulu IMB)",
        "F",
        "building",
        (
            "Fotokopi KTP-el pemohon",
            "Bukti kepemilikan tanah (sertifikat)",
            "Gambar rencana bangunan (bila sudah ada)",
        ),
        (
            "Ambil nomor antrean",
            "Konsultasi dengan petugas tentang persyaratan PBG melalui SIMBG",
            "Pemohon menerima panduan pengajuan daring",
        ),
        20,
        "Selesai di tempat (konsultasi)",
        legal_basis="PP No. 16 Tahun 2021 tentang Bangunan Gedung",
    ),
    ServiceStandard(
        "PENGADUAN",
        "Pengaduan dan informasi pelayanan",
        "F",
        "chat-dots",
        ("Tidak ada persyaratan khusus",),
        (
            "Ambil nomor antrean",
            "Sampaikan pengaduan atau pertanyaan kepada petugas",
            "Petugas mencatat dan menindaklanjuti",
        ),
        10,
        "Selesai di tempat; tindak lanjut paling lama 14 hari kerja",
        legal_basis="UU No. 25 Tahun 2009 tentang Pelayanan Publik; Perpres No. 76 Tahun 2013",
    ),
)

# Services the kecamatan offices offer (PATEN and the Disdukcapil desk); the MPP offers the whole catalogue.
KECAMATAN_SERVICES = (
    "KTP-REKAM",
    "KTP-CETAK",
    "KK",
    "AKTA-LAHIR",
    "AKTA-MATI",
    "KIA",
    "PINDAH",
    "DATANG",
    "LEGALISASI",
    "SK-DOMISILI",
    "SKTM",
    "SK-AHLI-WARIS",
    "SK-USAHA",
    "PENGANTAR-NIKAH",
    "PENGADUAN",
)
# Daily quotas (ticket + booking) where the equipment limits them: one perekaman station takes ~60 a day.
DAILY_QUOTAS = {"KTP-REKAM": 60, "KTP-CETAK": 100}
BOOKING_QUOTAS = {"KTP-REKAM": 20, "KTP-CETAK": 30}
DEFAULT_BOOKING_QUOTA = 20


def _values(standard: ServiceStandard) -> dict[str, Any]:
    return {
        "name": standard.name,
        "group_letter": standard.group_letter,
        "icon": standard.icon,
        "requirements": list(standard.requirements),
        "steps": list(standard.steps),
        "target_service_minutes": standard.target_service_minutes,
        "target_completion": standard.target_completion,
        "fee": standard.fee,
        "legal_basis": standard.legal_basis,
        "booking_needs_nik": standard.booking_needs_nik,
    }


@transaction.atomic
def catalogue_install(*, actor: Any = None) -> dict[str, Service]:
    """Create missing services and refresh the standar pelayanan of existing ones; returns them by code."""
    existing = {s.code: s for s in Service.objects.filter(code__in=[c.code for c in CATALOGUE])}
    new = [Service(code=c.code, **_values(c)) for c in CATALOGUE if c.code not in existing]
    Service.objects.bulk_create(new)
    changed = []
    for standard in CATALOGUE:
        service = existing.get(standard.code)
        if service is None:
            continue
        values = _values(standard)
        if any(getattr(service, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(service, k, v)
            changed.append(service)
    if changed:
        Service.objects.bulk_update(changed, list(_values(CATALOGUE[0])))
    for service in [*new, *changed]:
        audit(actor=actor, verb="catalogue_install", instance=service)
    return {s.code: s for s in Service.objects.filter(code__in=[c.code for c in CATALOGUE])}
