"""Demo data for the complaint desk: the policy, answer templates, routing rules, cuti bersama, and nine weeks
of complaints whose whole life (every step, with its ComplaintEvent rows) follows the workflow's rules.

- Many complaints are about the queue history's real tickets: most are sent from the ticket's own page and so
  name its counter and officer; linked as intake links them (anonymous ones keep no ticket, a typed number
  names no officer). Waiting-time complaints go to tickets that waited long, quality and requirement complaints to tickets left incomplete or
  referred. Officers who completed a service training (Pelayanan Prima, Komunikasi Efektif dengan Masyarakat,
  Administrasi Kependudukan untuk Petugas Kecamatan) before the ticket's day draw fewer complaints (weight
  TRAINED_FACTOR): a mild effect that the impact analysis can later find. Each officer also has a personal
  propensity (log-normal, σ 0.3), so some officers stand out in the per-officer figures.
- Each complaint's steps are simulated with the real work calendar (`work_calendar()`, so cuti bersama
  count) and `initial_deadlines()`; desk and unit steps happen in office hours on working days, the
  complainant rates or disputes at any hour. Steps that would fall after *now* are not taken, so old
  complaints are answered or closed and recent ones are still received, verified or forwarded. Open
  complaints past their current deadline carry one ESCALATED event per working day, as the hourly task
  (`tasks.escalate_overdue`) writes them.
- Deterministic for a seed and a moment (one random.Random; tracking codes from it). complainant_secret is
  drawn from `secrets`: nobody should be able to derive a rating link from the public seed.
- Rows are written with `executemany` of plain tuples (complaints, then their events), like the queue
  history: bulk_create's model instances cost more than the SQL. `seed_complaints(count=100_000,
  days_back=730)` is what bench/complaint_pages.py uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Min
from django.utils import timezone

from mumpuni.common.calendar import work_calendar
from mumpuni.common.seeding import seed_collective_leave
from mumpuni.complaints.models import (
    TRACKING_ALPHABET,
    AnswerTemplate,
    Complaint,
    ComplaintEvent,
    ComplaintPolicy,
    RoutingRule,
)
from mumpuni.complaints.services.intake import _hash, normalise_contact
from mumpuni.complaints.services.workflow import initial_deadlines
from mumpuni.complaints.wilayah import kelurahan_by_kecamatan
from mumpuni.learning.models import Enrollment
from mumpuni.lib.workdays import WorkCalendar
from mumpuni.people.models import Employee, Position, Role, RoleAssignment, Unit, User
from mumpuni.queueing.models import Counter, PointService, Service, ServicePoint, Ticket

DEMO_COMPLAINTS = 2_800
DAYS_BACK = 63  # the queue history's nine weeks
BATCH = 2_000
CITY_CODE = "33.74"
MPP_CODE = f"{CITY_CODE}.MPP"
SERVICE_PROGRAMS = ("PLY-PRIMA", "KOM-MASY", "ADK-KEC")
TRAINED_FACTOR = 0.75
TICKET_SHARE = 0.62  # of the complaints, about a ticket (capped by the tickets available)
HELD_SHARE = 0.8  # of those, sent from the ticket's own page (so naming the counter and officer)
REJECT_SHARE = 0.07
DUPLICATE_SHARE = 0.015
DISPUTE_SHARE = 0.045
STUCK_SHARE = 0.06  # a step that waits far too long: these make the overdue list
S = Complaint.Status
A = ComplaintEvent.Action
C = Complaint.Category

IDENTITY_WEIGHTS = {"public": 60, "confidential": 25, "anonymous": 15}
TICKET_CATEGORY_WEIGHTS = {
    C.WAITING_TIME: 34,
    C.SERVICE_QUALITY: 26,
    C.OFFICER_BEHAVIOUR: 16,
    C.REQUIREMENTS_FEES: 12,
    C.FACILITIES: 8,
    C.OTHER: 4,
}
FREE_CATEGORY_WEIGHTS = {
    C.WAITING_TIME: 18,
    C.SERVICE_QUALITY: 24,
    C.OFFICER_BEHAVIOUR: 8,
    C.REQUIREMENTS_FEES: 14,
    C.FACILITIES: 16,
    C.OTHER: 20,
}
# Citizens write in the evening too; the web form never closes.
HOUR_WEIGHTS = [1, 0, 0, 0, 1, 2, 4, 6, 9, 11, 11, 10, 9, 9, 8, 7, 6, 5, 6, 8, 9, 7, 4, 2]


@lru_cache(maxsize=1)
def _tz() -> dt.tzinfo:
    """The city's zone; as a fixed offset when it has one over the years we seed (Asia/Jakarta: +07:00 since
    1964), because datetime arithmetic with a fixed offset is several times faster than with ZoneInfo."""
    zone = timezone.get_default_timezone()
    offsets = {zone.utcoffset(dt.datetime(year, month, 1)) for year in range(2020, 2031) for month in (1, 7)}
    if len(offsets) == 1:
        offset = offsets.pop()
        if offset is not None:
            return dt.timezone(offset)
    return zone


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(_tz())


# --- content ---------------------------------------------------------------------------------------------

ANSWER_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        C.WAITING_TIME,
        "Permohonan maaf atas waktu tunggu",
        "Terima kasih atas laporan Bapak/Ibu. Kami mohon maaf atas waktu tunggu yang panjang. Pada jam sibuk "
        "(pukul 09.00–11.00) jumlah pemohon melebihi kapasitas loket. Mulai pekan ini kami membuka loket "
        "tambahan pada jam sibuk dan menganjurkan pengambilan antrean daring agar waktu kedatangan dapat "
        "direncanakan.",
    ),
    (
        C.WAITING_TIME,
        "Perbaikan urutan panggilan antrean",
        "Terima kasih atas laporan Bapak/Ibu. Kami telah memeriksa riwayat antrean pada hari tersebut. Pemohon "
        "prioritas (lansia, penyandang disabilitas, ibu hamil) memang dipanggil lebih dahulu, namun kami "
        "mengakui papan antrean belum menjelaskannya. Keterangan antrean prioritas kini kami tampilkan di "
        "papan dan di ruang tunggu.",
    ),
    (
        C.SERVICE_QUALITY,
        "Tindak lanjut penyelesaian dokumen",
        "Terima kasih atas laporan Bapak/Ibu. Kami telah memeriksa berkas permohonan dan meminta petugas "
        "menyelesaikannya. Dokumen dapat diambil di loket pengambilan pada jam layanan dengan menunjukkan "
        "tanda terima. Kami juga mengevaluasi standar waktu penyelesaian bersama petugas loket.",
    ),
    (
        C.SERVICE_QUALITY,
        "Perbaikan data dokumen kependudukan",
        "Terima kasih atas laporan Bapak/Ibu. Kesalahan data telah kami perbaiki tanpa biaya dan tanpa "
        "persyaratan tambahan. Dokumen yang benar dapat diambil mulai hari kerja berikutnya. Mohon maaf atas "
        "ketidaknyamanan yang terjadi.",
    ),
    (
        C.OFFICER_BEHAVIOUR,
        "Pembinaan petugas pelayanan",
        "Terima kasih atas laporan Bapak/Ibu. Laporan telah kami klarifikasi dengan petugas yang bersangkutan "
        "dan atasannya. Petugas telah mendapat pembinaan langsung dan diikutsertakan dalam pelatihan Pelayanan "
        "Prima. Kami berkomitmen memberikan pelayanan yang ramah, santun dan tidak membeda-bedakan.",
    ),
    (
        C.REQUIREMENTS_FEES,
        "Layanan administrasi kependudukan tidak dipungut biaya",
        "Terima kasih atas laporan Bapak/Ibu. Seluruh layanan administrasi kependudukan tidak dipungut biaya "
        "(UU No. 24 Tahun 2013 Pasal 79A). Persyaratan setiap layanan sesuai standar pelayanan yang terpasang "
        "di loket dan di laman resmi. Apabila ada pihak yang meminta imbalan, mohon laporkan kembali dengan "
        "menyebutkan waktu dan tempat kejadian.",
    ),
    (
        C.REQUIREMENTS_FEES,
        "Dugaan pungutan liar diteruskan ke Inspektorat",
        "Terima kasih atas laporan Bapak/Ibu. Dugaan pungutan tidak resmi ini telah kami teruskan kepada "
        "Inspektorat Kota Semarang untuk diperiksa. Identitas pelapor kami lindungi. Hasil pemeriksaan akan "
        "ditindaklanjuti sesuai ketentuan disiplin ASN.",
    ),
    (
        C.FACILITIES,
        "Perbaikan sarana dan prasarana",
        "Terima kasih atas laporan Bapak/Ibu. Kerusakan sarana yang dilaporkan telah kami catat dan perbaikannya "
        "dijadwalkan bersama bagian umum. Selama perbaikan, kami menyediakan fasilitas pengganti di ruang "
        "tunggu.",
    ),
    (
        C.OTHER,
        "Terima kasih atas aspirasi",
        "Terima kasih atas aspirasi Bapak/Ibu. Usulan ini kami catat sebagai bahan perbaikan layanan dan akan "
        "dibahas dalam forum evaluasi pelayanan triwulan berikutnya. Informasi perkembangan akan kami "
        "sampaikan melalui laman dan media sosial resmi.",
    ),
    (
        "",
        "Jawaban permintaan informasi",
        "Terima kasih atas pertanyaan Bapak/Ibu. Informasi persyaratan, alur dan waktu penyelesaian setiap "
        "layanan tersedia pada standar pelayanan di laman resmi dan di loket informasi. Untuk pertanyaan "
        "lanjutan, silakan menghubungi loket pengaduan pada jam layanan.",
    ),
)

# (title, core sentence) per category; placeholders: {layanan} {tempat} {nomor} {loket} {menit} {jam}
# {tanggal} {biaya}. Descriptions are an opening, the core, a detail and a request, so few lines give variety.
TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    C.WAITING_TIME: (
        (
            "Antrean {layanan_pendek} sangat lama",
            "Saya datang pukul {jam} untuk mengurus {layanan} dengan nomor antrean {nomor} dan baru dipanggil "
            "setelah menunggu sekitar {menit} menit.",
        ),
        (
            "Menunggu lebih dari {menit} menit di {tempat}",
            "Nomor antrean saya {nomor}, diambil pukul {jam}. Saya menunggu {menit} menit sebelum dilayani di "
            "{loket}.",
        ),
        (
            "Hanya satu loket yang melayani {layanan_pendek}",
            "Loket yang melayani {layanan} hanya satu, padahal beberapa loket lain terlihat kosong. Antrean "
            "menumpuk sampai ke luar ruangan.",
        ),
        (
            "Papan antrean tidak bergerak",
            "Hampir satu jam papan antrean tidak berganti nomor dan tidak ada penjelasan dari petugas. Saya "
            "akhirnya menunggu {menit} menit.",
        ),
        (
            "Loket dibuka terlambat",
            "Jam layanan tertulis mulai pukul 08.00, tetapi petugas baru mulai memanggil antrean sekitar pukul "
            "08.45 sehingga antrean {layanan} menumpuk.",
        ),
        (
            "Urutan panggilan antrean tidak jelas",
            "Beberapa pemohon yang datang setelah saya dipanggil lebih dahulu tanpa penjelasan. Nomor saya "
            "{nomor} baru dipanggil setelah {menit} menit.",
        ),
    ),
    C.SERVICE_QUALITY: (
        (
            "{layanan_pendek} belum selesai melewati janji",
            "Saya mengajukan {layanan} pada {tanggal} dan dijanjikan selesai dalam beberapa hari kerja, namun "
            "sampai sekarang belum selesai.",
        ),
        (
            "Data pada dokumen salah ketik",
            "Setelah dokumen {layanan} dicetak, nama dan tanggal lahir saya salah ketik sehingga harus diurus "
            "ulang.",
        ),
        (
            "Berkas permohonan hilang",
            "Petugas di {loket} mengatakan berkas saya tidak ditemukan dan meminta saya mengulang permohonan "
            "{layanan} dari awal.",
        ),
        (
            "KTP-el belum bisa diambil karena blangko habis",
            "Sudah tiga kali saya datang ke {tempat} untuk mengambil KTP-el, jawabannya selalu blangko habis "
            "tanpa kepastian kapan tersedia.",
        ),
        (
            "Penjelasan petugas berbeda-beda",
            "Petugas loket dan petugas informasi memberi penjelasan yang berbeda tentang berkas yang harus "
            "dibawa untuk {layanan}.",
        ),
        (
            "Permohonan dikembalikan tanpa alasan jelas",
            "Permohonan {layanan} saya dinyatakan belum lengkap, tetapi petugas tidak menjelaskan berkas apa "
            "yang kurang.",
        ),
    ),
    C.OFFICER_BEHAVIOUR: (
        (
            "Petugas loket tidak ramah",
            "Saat saya bertanya tentang persyaratan {layanan}, petugas di {loket} menjawab dengan nada tinggi "
            "dan tidak mau menjelaskan.",
        ),
        (
            "Petugas bermain ponsel saat melayani",
            "Petugas di {loket} melayani sambil bermain ponsel sehingga pelayanan menjadi lambat.",
        ),
        (
            "Pemohon lanjut usia dibentak petugas",
            "Seorang ibu lanjut usia di depan saya dibentak karena berkasnya kurang lengkap. Sikap seperti itu "
            "tidak pantas di kantor pelayanan.",
        ),
        (
            "Petugas meninggalkan loket pada jam layanan",
            "Petugas di {loket} meninggalkan loket sekitar 30 menit tanpa pengganti, sementara antrean terus "
            "bertambah.",
        ),
        (
            "Petugas mendahulukan kenalan",
            "Petugas mendahulukan orang yang tampaknya dikenalnya tanpa mengambil nomor antrean.",
        ),
    ),
    C.REQUIREMENTS_FEES: (
        (
            "Diminta biaya untuk {layanan_pendek}",
            "Saya diminta membayar Rp{biaya} oleh seseorang di sekitar loket agar {layanan} cepat selesai, "
            "padahal setahu saya layanan ini gratis.",
        ),
        (
            "Persyaratan {layanan_pendek} tidak sesuai standar pelayanan",
            "Saya diminta membawa surat pengantar RT/RW dan fotokopi KK untuk {layanan}, padahal di standar "
            "pelayanan tidak disebutkan.",
        ),
        (
            "Persyaratan berubah-ubah",
            "Setiap kali datang ke {tempat} saya diminta berkas tambahan yang berbeda untuk {layanan}.",
        ),
        (
            "Ditawari jasa percepatan berbayar",
            "Di area parkir {tempat} ada orang yang menawarkan jasa percepatan {layanan} dengan imbalan "
            "Rp{biaya}.",
        ),
        (
            "Diminta fotokopi KTP-el berwarna",
            "Petugas meminta fotokopi KTP-el berwarna untuk {layanan}, padahal KTP-el cukup ditunjukkan.",
        ),
    ),
    C.FACILITIES: (
        ("Kursi ruang tunggu kurang", "Kursi di ruang tunggu {tempat} tidak cukup; banyak pemohon berdiri."),
        ("Toilet kotor dan tidak ada air", "Toilet pengunjung di {tempat} kotor dan airnya tidak mengalir."),
        ("Pendingin ruangan mati", "Pendingin ruangan di ruang tunggu {tempat} mati sehingga sangat panas."),
        (
            "Tidak ada akses kursi roda",
            "Pintu masuk {tempat} hanya bertangga; pengguna kursi roda harus diangkat.",
        ),
        ("Mesin antrean rusak", "Mesin pengambil nomor antrean di {tempat} tidak bisa mencetak tiket."),
        (
            "Parkir sempit dan tidak tertata",
            "Area parkir {tempat} sempit dan tidak ada petugas yang mengatur.",
        ),
    ),
    C.OTHER: (
        (
            "Usulan layanan pada hari Sabtu",
            "Banyak warga bekerja pada hari kerja. Saya mengusulkan {tempat} membuka layanan {layanan} pada "
            "hari Sabtu.",
        ),
        (
            "Informasi jadwal layanan tidak diperbarui",
            "Jadwal layanan di media sosial {tempat} berbeda dengan jam buka sebenarnya.",
        ),
        (
            "Usul layanan jemput bola untuk lansia",
            "Orang tua saya sudah lanjut usia dan sulit datang ke kantor. Mohon ada layanan perekaman di rumah.",
        ),
        (
            "Pertanyaan status permohonan",
            "Saya ingin menanyakan status permohonan {layanan} yang saya ajukan pada {tanggal}.",
        ),
        (
            "Laman layanan tidak bisa dibuka",
            "Laman layanan daring tidak bisa dibuka sejak beberapa hari lalu.",
        ),
    ),
}
OPENINGS = (
    "Selamat siang.",
    "Dengan hormat,",
    "Saya ingin menyampaikan keluhan.",
    "Mohon perhatiannya.",
    "",
    "",
)
DETAILS = (
    "Kejadian pada {tanggal}.",
    "Saya sudah menyampaikan hal ini kepada petugas, tetapi belum ada tanggapan.",
    "Bukan hanya saya yang mengalami hal ini.",
    "Hal ini sudah beberapa kali terjadi.",
    "",
    "",
)
REQUESTS = (
    "Mohon ditindaklanjuti.",
    "Mohon ada perbaikan.",
    "Terima kasih.",
    "Mohon penjelasan dan perbaikannya.",
    "Saya berharap pelayanan ke depan lebih baik.",
)
NOT_AUTHORITY = (
    ("Antrean pembuatan SIM sangat lama", "Antrean pembuatan SIM di Satpas sangat lama dan tidak tertib."),
    ("Pengurusan paspor sulit", "Jadwal wawancara paspor di kantor imigrasi penuh sampai bulan depan."),
    ("Pajak kendaraan di Samsat", "Pembayaran pajak kendaraan di Samsat keliling sering tutup lebih awal."),
    (
        "Jalan provinsi rusak",
        "Jalan provinsi menuju kabupaten sebelah berlubang dan membahayakan pengendara.",
    ),
    ("Tagihan listrik naik", "Tagihan listrik rumah saya naik dua kali lipat tanpa pemakaian tambahan."),
    (
        "Layanan BPJS Kesehatan",
        "Kartu BPJS Kesehatan saya tidak aktif dan kantor cabang meminta antre ulang.",
    ),
)
UNCLEAR = (
    ("Pelayanan buruk", "Pelayanannya jelek sekali, tolong diperbaiki semuanya."),
    ("Keluhan", "Saya kecewa dengan pelayanan di kantor itu, harus ada tindakan."),
    ("Tolong", "Tolong ditindak petugasnya, sudah berkali-kali begini terus."),
)
REJECTION_MESSAGES = {
    "not_authority": "Laporan ini bukan kewenangan Pemerintah Kota Semarang. Silakan menyampaikannya melalui "
    "SP4N-LAPOR! (lapor.go.id) agar diteruskan ke instansi yang berwenang.",
    "unclear": "Laporan belum dapat ditindaklanjuti karena tidak menyebutkan tempat, waktu dan layanan yang "
    "dikeluhkan. Silakan mengirim laporan baru dengan keterangan tersebut.",
    "duplicate": "Laporan yang sama sudah kami terima dan sedang ditangani; perkembangannya dapat dilacak "
    "dengan kode lacak laporan pertama.",
}
NOTES = (
    "Sudah dikonfirmasi dengan petugas loket dan koordinator pelayanan.",
    "Menunggu keterangan dari kasi pelayanan.",
    "Rekaman CCTV pada jam kejadian sudah diminta.",
    "Pelapor sudah dihubungi lewat telepon untuk klarifikasi.",
    "Dibahas dalam rapat koordinasi pelayanan pekan ini.",
)
DISPUTES = (
    "Jawaban tidak sesuai dengan yang saya alami; masalahnya belum selesai.",
    "Dokumen saya sampai sekarang belum bisa diambil meskipun sudah dijawab selesai.",
    "Saya datang lagi dan kejadian yang sama terulang.",
)
RATING_COMMENTS = {
    5: ("Terima kasih, cepat ditanggapi.", "Sangat membantu, masalah selesai.", ""),
    4: ("Sudah ditanggapi, semoga tidak terulang.", "Cukup baik.", ""),
    3: ("Jawabannya umum sekali.", "Lumayan, tapi lama.", ""),
    2: ("Belum ada perubahan nyata.", "Jawaban lambat.", ""),
    1: ("Tidak menyelesaikan masalah.", "Kecewa.", ""),
}
BRIBES = ("50.000", "100.000", "150.000", "200.000", "250.000")


# --- configuration rows ----------------------------------------------------------------------------------


def seed_answer_templates() -> int:
    known = set(AnswerTemplate.objects.values_list("title", flat=True))
    rows = [
        AnswerTemplate(category=category, title=title, body=body)
        for category, title, body in ANSWER_TEMPLATES
        if title not in known
    ]
    AnswerTemplate.objects.bulk_create(rows)
    return len(rows)


def seed_routing_rules() -> int:
    """Requirements and fees at the MPP → Disdukcapil (PBG → Dinas Penataan Ruang); KTP-el printing quality
    anywhere → Disdukcapil (blanko stock is theirs). Officer behaviour and everything else: no rule, so the
    suggestion is the service point's own unit (routing.suggest_unit's fallback)."""
    if RoutingRule.objects.exists():
        return 0
    units = {u.code: u for u in Unit.objects.filter(active=True, code__startswith=f"{CITY_CODE}.")}
    points = {p.unit.code: p for p in ServicePoint.objects.select_related("unit")}
    services = {s.code: s for s in Service.objects.all()}
    dukcapil = units.get(f"{CITY_CODE}.DISDUKCAPIL")
    distaru = units.get(f"{CITY_CODE}.DISTARU")
    mpp = points.get(MPP_CODE)
    rules = []
    if dukcapil and mpp:
        rules.append(RoutingRule(category=C.REQUIREMENTS_FEES, point=mpp, unit=dukcapil))
    if distaru and mpp and "PBG-INFO" in services:
        rules.append(
            RoutingRule(category=C.REQUIREMENTS_FEES, point=mpp, service=services["PBG-INFO"], unit=distaru)
        )
    if dukcapil and "KTP-CETAK" in services:
        rules.append(RoutingRule(category=C.SERVICE_QUALITY, service=services["KTP-CETAK"], unit=dukcapil))
    RoutingRule.objects.bulk_create(rules)
    return len(rules)


# --- the world the complaints happen in -----------------------------------------------------------------


@dataclass
class Actor:
    user_id: int | None
    label: str


@dataclass
class TicketRow:
    id: int
    point_id: int
    service_id: int
    day: dt.date
    number: str
    issued_at: dt.datetime
    called_at: dt.datetime
    finished_at: dt.datetime
    counter_id: int | None
    officer_id: int | None
    status: str
    service_minutes: float


@dataclass
class World:
    now: dt.datetime
    calendar: WorkCalendar
    policy: ComplaintPolicy
    points: list[ServicePoint]
    point_services: dict[int, list[int]]
    services: dict[int, Service]
    counter_names: dict[int, str]
    units: dict[int, Unit]
    kecamatan: list[Unit]
    kelurahan: dict[str, list[tuple[str, str]]]
    rules: list[RoutingRule]
    desk: list[Actor]
    handlers: dict[int, Actor]
    other_units: list[Unit]
    tickets: list[TicketRow] = field(default_factory=list)
    trained_since: dict[int, dt.date] = field(default_factory=dict)

    def suggest(self, category: str, service_id: int | None, point: ServicePoint | None) -> int | None:
        """routing.suggest_unit without a query per complaint (same rules, same precedence)."""
        best: RoutingRule | None = None
        for rule in self.rules:
            if rule.category and rule.category != category:
                continue
            if rule.service_id and rule.service_id != service_id:
                continue
            if rule.point_id and (point is None or rule.point_id != point.pk):
                continue
            if best is None or rule.specificity > best.specificity:
                best = rule
        if best is not None:
            return best.unit_id
        return point.unit_id if point is not None else None

    def handler(self, unit_id: int) -> Actor:
        return self.handlers.get(unit_id) or Actor(None, f"Admin {self.units[unit_id].name}")


def _handlers(units: dict[int, Unit]) -> dict[int, Actor]:
    """Who acts for each unit: a unit_head account on it or its nearest ancestor, else the name of the
    unit's head (highest position) as a label."""
    heads: dict[int, Actor] = {}
    for user_id, unit_id, name, username in RoleAssignment.objects.filter(
        role=Role.UNIT_HEAD, user__is_active=True, unit__isnull=False
    ).values_list("user_id", "unit_id", "user__employee__name", "user__username"):
        heads[unit_id] = Actor(user_id, name or username)
    rank: dict[str, int] = {Position.Kind.JPT: 0, Position.Kind.ADMINISTRATOR: 1}
    named: dict[int, tuple[int, str]] = {}
    for unit_id, kind, name in Employee.objects.filter(
        active=True, unit_id__in=list(units), position__kind__in=list(rank)
    ).values_list("unit_id", "position__kind", "name"):
        if unit_id not in named or rank[kind] < named[unit_id][0]:
            named[unit_id] = (rank[kind], name)
    result: dict[int, Actor] = {}
    for unit in units.values():
        ancestors = [int(p) for p in unit.path.strip("/").split("/") if p][::-1]
        account = next((heads[a] for a in ancestors if a in heads), None)
        if account is not None:
            result[unit.pk] = account
        elif unit.pk in named:
            result[unit.pk] = Actor(None, named[unit.pk][1])
    return result


def load_world(now: dt.datetime, first_day: dt.date) -> World:
    units = {u.pk: u for u in Unit.objects.filter(active=True)}
    points = list(ServicePoint.objects.filter(active=True).select_related("unit").order_by("unit__code"))
    point_services: dict[int, list[int]] = defaultdict(list)
    for point_id, service_id in (
        PointService.objects.filter(point__in=points, active=True)
        .order_by("point_id", "service_id")
        .values_list("point_id", "service_id")
    ):
        point_services[point_id].append(service_id)
    desk = [
        Actor(pk, name or username)
        for pk, name, username in User.objects.filter(
            is_active=True, role_assignments__role__in=[Role.COMPLAINT_DESK, Role.ADMIN]
        )
        .order_by("role_assignments__role", "pk")
        .values_list("pk", "employee__name", "username")
        .distinct()
    ] or [Actor(None, "Petugas pengaduan")]
    other_codes = ("DISDUKCAPIL", "DPU", "DISHUB", "SATPOLPP", "DLH", "DINSOS", "DISKOMINFO", "DPMPTSP")
    world = World(
        now=now,
        calendar=work_calendar(),
        policy=ComplaintPolicy.current(),
        points=points,
        point_services=point_services,
        services={s.pk: s for s in Service.objects.all()},
        counter_names=dict(Counter.objects.values_list("pk", "name")),
        units=units,
        kecamatan=sorted(
            (u for u in units.values() if u.kind == Unit.Kind.KECAMATAN and u.code.startswith(CITY_CODE)),
            key=lambda u: u.code,
        ),
        kelurahan=kelurahan_by_kecamatan(),
        rules=list(RoutingRule.objects.filter(active=True, unit__active=True).order_by("pk")),
        desk=desk,
        handlers=_handlers(units),
        other_units=[u for u in units.values() if u.code.split(".")[-1] in other_codes],
    )
    world.tickets = _tickets(
        first_day, points, {s.pk: s.target_service_minutes for s in world.services.values()}
    )
    world.trained_since = dict(
        Enrollment.objects.filter(
            status=Enrollment.Status.COMPLETED,
            training_class__program__code__in=SERVICE_PROGRAMS,
            completed_on__isnull=False,
        )
        .values("employee_id")
        .annotate(first=Min("completed_on"))
        .values_list("employee_id", "first")
    )
    return world


def _tickets(first_day: dt.date, points: list[ServicePoint], targets: dict[int, int]) -> list[TicketRow]:
    """The served tickets of the window, read with a plain cursor: the ORM's per-value datetime converters
    took seconds for 80,000 rows on SQLite."""
    qs = (
        Ticket.objects.filter(
            service_date__gte=first_day,
            status__in=[Ticket.Status.DONE, Ticket.Status.INCOMPLETE, Ticket.Status.REFERRED],
            finished_at__isnull=False,
            called_at__isnull=False,
            started_at__isnull=False,
            point__in=points,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "point_id",
            "service_id",
            "service_date",
            "number",
            "issued_at",
            "called_at",
            "started_at",
            "finished_at",
            "counter_id",
            "officer_id",
            "status",
        )  # fmt: skip
    )
    sql, params = qs.query.sql_with_params()

    def moment(value: Any) -> dt.datetime:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value  # SQLite: naive UTC

    def day(value: Any) -> dt.date:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for r in cursor.fetchall():
            issued, called, started, finished = moment(r[5]), moment(r[6]), moment(r[7]), moment(r[8])
            minutes = (finished - started).total_seconds() / 60
            rows.append(
                TicketRow(
                    r[0],
                    r[1],
                    r[2],
                    day(r[3]),
                    r[4],
                    issued,
                    called,
                    finished,
                    r[9],
                    r[10],
                    r[11],
                    minutes / max(targets.get(r[2], 10), 1),
                )  # fmt: skip
            )
    return rows


# --- choosing what each complaint is about ----------------------------------------------------------------


@dataclass
class Draft:
    received_at: dt.datetime
    category: str
    point: ServicePoint | None = None
    service_id: int | None = None
    ticket: TicketRow | None = None
    kind: str = Complaint.Kind.COMPLAINT
    reject: str = ""  # rejection reason decided up front (the text differs)
    duplicate_of: Draft | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    pk: int | None = None


def _weighted_sample(rng: random.Random, weights: list[float], k: int, taken: set[int]) -> list[int]:
    """k indexes without replacement, P ∝ weight (Efraimidis–Spirakis keys), skipping `taken`."""
    keys = (
        (math.log(rng.random() or 1e-300) / w, i) for i, w in enumerate(weights) if w > 0 and i not in taken
    )
    return [i for _, i in heapq.nlargest(k, keys)]


def _ticket_weights(world: World, propensity: dict[int, float]) -> dict[str, list[float]]:
    """Per category, each ticket's weight of drawing a complaint: long waits draw waiting-time complaints,
    incomplete or slow services quality ones, incomplete or referred ones requirement complaints; times the
    officer's propensity (squared for behaviour) and TRAINED_FACTOR when the officer was trained by then."""
    base, behaviour, wait, quality, requirements = [], [], [], [], []
    for t in world.tickets:
        factor = 1.0
        p = 1.0
        if t.officer_id is not None:
            p = propensity.get(t.officer_id, 1.0)
            trained = world.trained_since.get(t.officer_id)
            if trained is not None and trained <= t.day:
                factor = TRAINED_FACTOR
        base.append(p * factor)
        behaviour.append(p * p * factor)
        minutes = max((t.called_at - t.issued_at).total_seconds() / 60, 1.0)
        wait.append(min(minutes, 240) / 30 * p * factor)
        incomplete = t.status == Ticket.Status.INCOMPLETE
        quality.append((5.0 if incomplete else 1.0) * max(t.service_minutes, 0.5) * p * factor)
        referred = t.status == Ticket.Status.REFERRED
        requirements.append((5.0 if incomplete else 3.0 if referred else 1.0) * p * factor)
    return {
        C.WAITING_TIME: wait,
        C.SERVICE_QUALITY: quality,
        C.OFFICER_BEHAVIOUR: behaviour,
        C.REQUIREMENTS_FEES: requirements,
        C.FACILITIES: base,
        C.OTHER: base,
    }


def _received_after_ticket(rng: random.Random, t: TicketRow) -> dt.datetime:
    roll = rng.random()
    if roll < 0.6:
        return t.finished_at + dt.timedelta(minutes=rng.uniform(5, 150))
    if roll < 0.9:
        evening = _local(t.finished_at).replace(hour=19, minute=0, second=0, microsecond=0)
        return max(evening, t.finished_at) + dt.timedelta(minutes=rng.uniform(5, 180))
    return t.finished_at + dt.timedelta(hours=rng.uniform(20, 72))


def _random_moment(rng: random.Random, first_day: dt.date, now: dt.datetime) -> dt.datetime:
    tz = _tz()
    days = (_local(now).date() - first_day).days + 1
    while True:
        day = first_day + dt.timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.6:
            continue  # fewer reports on weekends
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=tz) + dt.timedelta(
            seconds=rng.randrange(3600)
        )
        if moment < now:
            return moment


def _drafts(rng: random.Random, world: World, count: int, first_day: dt.date) -> list[Draft]:
    officers = sorted({t.officer_id for t in world.tickets if t.officer_id is not None})
    propensity = {o: math.exp(rng.gauss(0, 0.3)) for o in officers}
    duplicates = round(count * DUPLICATE_SHARE)
    linked = min(round((count - duplicates) * TICKET_SHARE), len(world.tickets) // 6)
    drafts: list[Draft] = []
    taken: set[int] = set()
    categories = list(TICKET_CATEGORY_WEIGHTS)
    per_category: dict[str, int] = defaultdict(int)
    for category in rng.choices(categories, list(TICKET_CATEGORY_WEIGHTS.values()), k=linked):
        per_category[category] += 1
    points = {p.pk: p for p in world.points}
    weights = _ticket_weights(world, propensity)
    for category in categories:
        for index in _weighted_sample(rng, weights[category], per_category[category], taken):
            taken.add(index)
            ticket = world.tickets[index]
            received = _received_after_ticket(rng, ticket)
            if received >= world.now:
                continue
            reject = "unclear" if rng.random() < 0.01 else ""
            drafts.append(
                Draft(received, category, points[ticket.point_id], ticket.service_id, ticket, reject=reject)
            )
    free = count - duplicates - len(drafts)
    point_weights = [2.0 if p.unit.code == MPP_CODE else 1.0 for p in world.points]
    for _ in range(free):
        received = _random_moment(rng, first_day, world.now)
        roll = rng.random()
        if roll < REJECT_SHARE * 0.5:
            drafts.append(Draft(received, rng.choice([C.OTHER, C.SERVICE_QUALITY]), reject="not_authority"))
            continue
        if roll < REJECT_SHARE * 0.9:
            drafts.append(Draft(received, C.SERVICE_QUALITY, reject="unclear"))
            continue
        category = rng.choices(list(FREE_CATEGORY_WEIGHTS), list(FREE_CATEGORY_WEIGHTS.values()))[0]
        point = rng.choices(world.points, point_weights)[0] if world.points and rng.random() < 0.8 else None
        service_id = None
        offered = world.point_services.get(point.pk, []) if point else []
        if offered and (category != C.FACILITIES or rng.random() < 0.2):
            service_id = rng.choice(offered)
        drafts.append(Draft(received, category, point, service_id))
    originals = [d for d in drafts if not d.reject]
    for original in rng.sample(originals, min(duplicates, len(originals))):
        received = original.received_at + dt.timedelta(hours=rng.uniform(1, 48))
        if received < world.now:
            drafts.append(
                Draft(
                    received,
                    original.category,
                    original.point,
                    original.service_id,
                    None,
                    reject="duplicate",
                    duplicate_of=original,
                )
            )
    for d in drafts:
        if d.category in (C.FACILITIES, C.OTHER) and rng.random() < 0.3:
            d.kind = Complaint.Kind.ASPIRATION
        elif d.category in (C.REQUIREMENTS_FEES, C.OTHER) and rng.random() < 0.15:
            d.kind = Complaint.Kind.INFORMATION
    drafts.sort(key=lambda d: d.received_at)
    return drafts


# --- text and identity --------------------------------------------------------------------------------------


def _short(name: str) -> str:
    """ "KTP-el: perekaman data (…)" → "KTP-el" (for titles)."""
    return name.split(" (")[0].split(":")[0].strip()


def _in_sentence(name: str) -> str:
    """A catalogue name as it reads mid-sentence: "KTP-el: perekaman data" → "perekaman data KTP-el",
    "Akta kelahiran" → "akta kelahiran"; proper names ("Kartu Keluarga") and acronyms stay as they are."""
    name = name.split(" (")[0].strip()
    if ":" in name:
        head, tail = (part.strip() for part in name.split(":", 1))
        name = f"{tail} {head}"
    words = name.split()
    proper = any(w[:1].isupper() and w[1:].islower() for w in words[1:])
    if words and words[0][1:].islower() and not proper:
        name = name[0].lower() + name[1:]
    return name


def _indonesian_date(day: dt.date) -> str:
    months = (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
        "November", "Desember",
    )  # fmt: skip
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _text(rng: random.Random, world: World, d: Draft) -> tuple[str, str]:
    if d.reject == "not_authority":
        return rng.choice(NOT_AUTHORITY)
    if d.reject == "unclear":
        return rng.choice(UNCLEAR)
    if d.reject == "duplicate" and d.duplicate_of is not None:
        return d.duplicate_of.fields["title"], d.duplicate_of.fields["description"]
    service = world.services.get(d.service_id) if d.service_id else None
    t = d.ticket
    local = _local(t.issued_at if t else d.received_at)
    wait = round((t.called_at - t.issued_at).total_seconds() / 60) if t else rng.randint(60, 180)
    values = {
        "layanan": _in_sentence(service.name) if service else "layanan administrasi",
        "layanan_pendek": _short(service.name) if service else "layanan",
        "tempat": d.point.name if d.point else "kantor pelayanan",
        "nomor": t.number if t else f"{rng.choice('ABCD')}-{rng.randint(20, 140):03d}",
        "loket": world.counter_names.get(t.counter_id, "loket") if t and t.counter_id else "loket",
        "menit": max(wait, 45) if d.category == C.WAITING_TIME else wait,
        "jam": f"{local:%H.%M}",
        "tanggal": _indonesian_date(local.date()),
        "biaya": rng.choice(BRIBES),
    }
    title, core = rng.choice(TEXTS[d.category])
    parts = [rng.choice(OPENINGS), core, rng.choice(DETAILS), rng.choice(REQUESTS)]
    description = " ".join(p for p in parts if p).format(**values)
    return title.format(**values)[:150], description


class People:
    """Complainants' names and contacts from Faker (id_ID), seeded, drawn from a pool for speed."""

    def __init__(self, seed: int, size: int = 800) -> None:
        from faker import Faker

        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.names = [fake.name() for _ in range(size)]
        self.streets = [fake.street_name() for _ in range(200)]

    def identity(self, rng: random.Random, kind: str) -> dict[str, str]:
        if kind == Complaint.Identity.ANONYMOUS:
            return {"name": "", "email": "", "phone": "", "contact_hash": ""}
        name = rng.choice(self.names)
        plain = "".join(ch for ch in name.lower().split(",")[0] if ch.isalpha() or ch == " ").split()
        email = ""
        phone = ""
        if rng.random() < 0.55:
            domain = rng.choice(("gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com"))
            email = f"{'.'.join(plain[:2])}{rng.randint(1, 99)}@{domain}"
        if not email or rng.random() < 0.5:
            phone = f"08{rng.choice('1125789')}{rng.randint(10**7, 10**9 - 1)}"
        return {
            "name": name[:150],
            "email": email,
            "phone": phone,
            "contact_hash": _hash(normalise_contact(email, phone)),
        }


def _tracking_code(rng: random.Random, used: set[str]) -> str:
    while True:
        chars = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(8))
        code = f"ADU-{chars[:4]}-{chars[4:]}"
        if code not in used:
            used.add(code)
            return code


# --- a complaint's life ---------------------------------------------------------------------------------------


class Clock:
    """Working-day moments: desk and unit steps happen 08:00–15:30 on working days."""

    def __init__(self, calendar: WorkCalendar, rng: random.Random) -> None:
        self.calendar = calendar
        self.rng = rng
        self.tz = _tz()

    @lru_cache(maxsize=8192)  # noqa: B019 (one Clock per seeding run)
    def add(self, day: dt.date, days: int) -> dt.date:
        return self.calendar.add_working_days(day, days)

    def _office(self, day: dt.date, not_before: dt.datetime | None = None) -> dt.datetime | None:
        start = dt.datetime.combine(day, dt.time(8), tzinfo=self.tz)
        end = dt.datetime.combine(day, dt.time(15, 30), tzinfo=self.tz)
        if not_before is not None and not_before + dt.timedelta(minutes=5) > start:
            start = not_before + dt.timedelta(minutes=5)
        if start >= end:
            return None
        span = min((end - start).total_seconds(), 4 * 3600)
        return start + dt.timedelta(seconds=self.rng.uniform(0, span))

    def step(self, after: dt.datetime, working_days: int) -> dt.datetime:
        """A moment `working_days` working days after `after` (0: later the same working day if possible)."""
        day = _local(after).date()
        if working_days == 0 and self.calendar.is_working_day(day):
            moment = self._office(day, not_before=after)
            if moment is not None:
                return moment
        moment = self._office(self.add(day, max(working_days, 1)))
        assert moment is not None
        return moment


@dataclass
class Step:
    at: dt.datetime
    action: str
    to_status: str
    actor: Actor
    message: str = ""
    unit_id: int | None = None
    public: bool = True
    updates: dict[str, Any] = field(default_factory=dict)


def _lag(rng: random.Random, choices: Iterable[int], weights: Iterable[int], factor: float = 1.0) -> int:
    return max(0, round(rng.choices(list(choices), list(weights))[0] * factor))


def _answer_text(
    rng: random.Random, world: World, d: Draft, unit_id: int, templates: dict[str, list[str]]
) -> str:
    pool = templates.get(d.category) or templates.get("") or ["Terima kasih atas laporan Bapak/Ibu."]
    body = rng.choice(pool)
    unit = world.units[unit_id].name
    return f"{body}\n\n{unit}"


def _plan(
    rng: random.Random,
    world: World,
    clock: Clock,
    d: Draft,
    speed: dict[int, float],
    templates: dict[str, list[str]],
) -> list[Step]:
    """Every step this complaint will take, in order (some may lie in the future and are cut later)."""
    desk = rng.choice(world.desk)
    policy = world.policy
    steps: list[Step] = []
    stuck = rng.choice(("verify", "progress", "answer")) if rng.random() < STUCK_SHARE else ""
    verify_lag = _lag(rng, (0, 1, 2, 3, 4, 5, 7), (34, 33, 16, 9, 4, 2, 2))
    if stuck == "verify":
        verify_lag += rng.randint(4, 10)
    verified = clock.step(d.received_at, verify_lag)
    if d.reject:
        if rng.random() < 0.2:
            steps.append(Step(verified, A.VERIFIED, S.VERIFIED, desk, updates={"verified_at": verified}))
            rejected = clock.step(verified, rng.choice((0, 0, 1)))
        else:
            rejected = verified
        steps.append(
            Step(
                rejected,
                A.REJECTED,
                S.REJECTED,
                desk,
                REJECTION_MESSAGES[d.reject],
                updates={
                    "rejection_reason": d.reject,
                    "closed_at": rejected,
                    "verified_at": verified if len(steps) else rejected,
                },
            )
        )
        return steps

    suggested = d.fields["suggested_unit_id"]
    unit_id = suggested
    if unit_id is None or rng.random() < 0.08:
        fallback = d.point.unit_id if d.point else d.fields.get("kecamatan_id")
        unit_id = fallback or (rng.choice(world.other_units).pk if world.other_units else suggested)
    if unit_id is None:
        unit_id = world.kecamatan[0].pk
    same_moment = rng.random() < 0.7  # "forward" verifies and forwards in one step
    forwarded = verified if same_moment else clock.step(verified, _lag(rng, (0, 1, 2), (50, 35, 15)))
    steps.append(Step(verified, A.VERIFIED, S.VERIFIED, desk, updates={"verified_at": verified}))
    steps.append(
        Step(
            forwarded,
            A.FORWARDED,
            S.FORWARDED,
            desk,
            f"Diteruskan ke {world.units[unit_id].name}.",
            unit_id,
            updates={
                "assigned_unit_id": unit_id,
                "forwarded_at": forwarded,
                "followup_due": clock.add(_local(forwarded).date(), policy.followup_working_days),
            },
        )
    )
    last = forwarded
    if rng.random() < 0.04 and world.other_units:
        other = rng.choice([u for u in world.other_units if u.pk != unit_id] or world.other_units)
        moved = clock.step(forwarded, rng.choice((1, 1, 2)))
        steps.append(
            Step(
                moved,
                A.REASSIGNED,
                "",  # keeps the status
                desk,
                f"Dari {world.units[unit_id].name} ke {other.name}.",
                other.pk,
                public=False,
                updates={
                    "assigned_unit_id": other.pk,
                    "forwarded_at": moved,
                    "followup_due": clock.add(_local(moved).date(), policy.followup_working_days),
                },
            )
        )
        unit_id = other.pk
        last = moved
    handler = world.handler(unit_id)
    factor = speed.get(unit_id, 1.0)
    progressed = None
    if rng.random() < 0.8:
        lag = _lag(rng, (0, 1, 2, 3, 4, 6, 8), (25, 30, 20, 12, 7, 4, 2), factor)
        if stuck == "progress":
            lag += rng.randint(6, 14)
        progressed = clock.step(last, lag)
        steps.append(
            Step(
                progressed,
                A.IN_PROGRESS,
                S.IN_PROGRESS,
                handler,
                "Sedang ditindaklanjuti oleh unit.",
                unit_id,
                updates={"followed_up_at": progressed},
            )
        )
        last = progressed
    if rng.random() < 0.25:
        noted = clock.step(last, rng.choice((0, 1)))
        steps.append(Step(noted, A.NOTE, "", handler, rng.choice(NOTES), unit_id, public=False))
        last = noted
    lag = _lag(rng, (1, 2, 3, 4, 5, 6, 8, 10, 12), (10, 18, 20, 16, 12, 9, 7, 5, 3), factor)
    if stuck == "answer":
        lag += rng.randint(10, 18)
    answered = clock.step(last, max(lag, 1) if progressed is None else lag)
    text = _answer_text(rng, world, d, unit_id, templates)
    steps.append(
        Step(
            answered,
            A.ANSWERED,
            S.ANSWERED,
            handler,
            text,
            unit_id,
            updates={
                "answered_at": answered,
                "public_answer": text,
                "answered_by_id": handler.user_id,
                "followed_up_at": progressed or answered,
            },
        )
    )
    window = dt.timedelta(days=policy.dispute_days)
    if rng.random() < DISPUTE_SHARE:
        disputed = answered + dt.timedelta(hours=rng.uniform(3, policy.dispute_days * 24 - 6))
        steps.append(
            Step(
                disputed,
                A.DISPUTED,
                S.REOPENED,
                Actor(None, "Pelapor"),
                rng.choice(DISPUTES),
                unit_id,
                updates={
                    "closed_at": None,
                    "forwarded_at": disputed,
                    "followup_due": clock.add(_local(disputed).date(), policy.followup_working_days),
                },
            )
        )
        again = clock.step(disputed, rng.choice((0, 1, 2)))
        steps.append(
            Step(again, A.IN_PROGRESS, S.IN_PROGRESS, handler, "Sanggahan pelapor ditindaklanjuti.", unit_id)
        )
        answered = clock.step(again, rng.randint(1, 4))
        text = (
            "Menindaklanjuti sanggahan Bapak/Ibu, kami telah memeriksa kembali permasalahan di lapangan. "
            + _answer_text(rng, world, d, unit_id, templates)
        )
        steps.append(
            Step(
                answered,
                A.ANSWERED,
                S.ANSWERED,
                handler,
                text,
                unit_id,
                updates={"answered_at": answered, "public_answer": text, "answered_by_id": handler.user_id},
            )
        )
    on_time = _local(answered).date() <= d.fields["answer_due"]
    rated_at = None
    anonymous = d.fields["identity"] == Complaint.Identity.ANONYMOUS
    if rng.random() < (0.35 if anonymous else 0.55):
        weights = (3, 5, 14, 38, 40) if on_time else (12, 18, 30, 25, 15)
        rating = rng.choices((1, 2, 3, 4, 5), weights)[0]
        rated_at = answered + dt.timedelta(hours=rng.uniform(0.5, 24 * policy.dispute_days - 1))
        steps.append(
            Step(
                rated_at,
                A.RATED,
                "",
                Actor(None, "Pelapor"),
                f"Nilai {rating}/5",
                public=False,  # as workflow.rate: the verdict is the complainant's, not published
                updates={
                    "rating": rating,
                    "rating_comment": rng.choice(RATING_COMMENTS[rating]),
                    "rated_at": rated_at,
                },
            )
        )
    if rated_at is not None and rng.random() < 0.3:
        closed = clock.step(rated_at, rng.choice((0, 1)))
        closer, message = desk, "Ditutup oleh petugas pengaduan setelah pelapor memberi penilaian."
    else:
        closed = answered + window + dt.timedelta(minutes=rng.uniform(5, 24 * 60))
        closer = Actor(None, "Sistem")
        message = f"Ditutup otomatis: masa sanggah {policy.dispute_days} hari setelah jawaban telah berakhir."
    steps.append(Step(closed, A.CLOSED, S.CLOSED, closer, message, updates={"closed_at": closed}))
    steps.sort(key=lambda s: s.at)  # stable: same-moment steps keep their order (verify, then forward)
    return steps


# As workflow.current_due / workflow.escalate word them.
DUE_LABELS = {
    "verify_due": "batas verifikasi",
    "followup_due": "batas tindak lanjut",
    "answer_due": "batas jawaban",
}
DUE_BY_STATUS: dict[str, str] = {
    S.RECEIVED: "verify_due",
    S.VERIFIED: "answer_due",
    S.FORWARDED: "followup_due",
    S.REOPENED: "followup_due",
    S.IN_PROGRESS: "answer_due",
}


def _escalations(
    world: World,
    clock: Clock,
    intervals: list[tuple[dt.datetime, dt.datetime, str, dict[str, Any]]],
    point_unit: int | None,
) -> list[tuple[dt.datetime, str, str, int | None]]:
    """(moment, status, message, unit) of each ESCALATED event: the hourly task's first run on every working
    day on which the status's current deadline had passed (workflow.escalate: once per local day; the unit
    is workflow.responsible_unit: the assigned unit, else the service point's)."""
    result: list[tuple[dt.datetime, str, str, int | None]] = []
    escalated_days: set[dt.date] = set()
    for start, end, status, state in intervals:
        name = DUE_BY_STATUS.get(status)
        due = state.get(name) if name else None
        if name is None or due is None:
            continue
        day = max(due + dt.timedelta(days=1), _local(start).date())
        last_day = _local(min(end, world.now)).date()
        # The task runs at :05 every hour; the first run after the status began, or after midnight.
        first_run = _local(start + dt.timedelta(minutes=55)).replace(minute=5, second=0, microsecond=0)
        while day <= last_day:
            if world.calendar.is_working_day(day) and day not in escalated_days:
                moment = max(dt.datetime.combine(day, dt.time(0, 5), tzinfo=clock.tz), first_run)
                if _local(moment).date() == day and start < moment < end and moment <= world.now:
                    escalated_days.add(day)
                    late = world.calendar.working_days_between(due, day)
                    message = f"Lewat {DUE_LABELS[name]} {due:%d-%m-%Y} ({late} hari kerja)."
                    result.append((moment, status, message, state.get("assigned_unit_id") or point_unit))
            day += dt.timedelta(days=1)
    return result


def _live(world: World, clock: Clock, d: Draft, steps: list[Step]) -> list[dict[str, Any]]:
    """Apply the steps up to now to the complaint's fields; return its event rows in order."""
    f = d.fields
    status: str = S.RECEIVED
    source_actor = f.pop("_received_by")
    events: list[dict[str, Any]] = [
        _event(d.received_at, A.RECEIVED, "", S.RECEIVED, source_actor, "Laporan diterima.", None, True)
    ]
    intervals: list[tuple[dt.datetime, dt.datetime, str, dict[str, Any]]] = []
    since = d.received_at
    for step in steps:
        if step.at > world.now:
            break
        to_status = step.to_status or status
        if to_status != status or step.action == A.REASSIGNED:
            intervals.append((since, step.at, status, dict(f)))
            since = step.at
        events.append(
            _event(
                step.at, step.action, status, to_status, step.actor, step.message, step.unit_id, step.public
            )
        )
        f.update(step.updates)
        status = to_status
    intervals.append((since, world.now + dt.timedelta(seconds=1), status, dict(f)))
    f["status"] = status
    escalations = _escalations(world, clock, intervals, d.point.unit_id if d.point else None)
    for moment, at_status, message, unit_id in escalations:
        events.append(
            _event(moment, A.ESCALATED, at_status, at_status, Actor(None, "Sistem"), message, unit_id, False)
        )
    if escalations:
        f["escalated_at"] = escalations[-1][0]
        events.sort(key=lambda e: e["at"])
    f["updated_at"] = events[-1]["at"]
    return events


def _event(
    at: dt.datetime,
    action: str,
    from_status: str,
    to_status: str,
    actor: Actor,
    message: str,
    unit_id: int | None,
    public: bool,
) -> dict[str, Any]:
    return {
        "at": at,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "actor_id": actor.user_id,
        "actor_label": actor.label,
        "unit_id": unit_id,
        "public": public,
        "message": message,
    }


# --- writing ---------------------------------------------------------------------------------------------------


def _sqlite_datetime(value: dt.datetime) -> str:
    return (value - value.utcoffset()).replace(tzinfo=None).isoformat(" ")  # type: ignore[operator]


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """executemany of plain tuples; every column not in a row gets the field's (non-callable) default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    defaults = {
        f.attname: None if f.has_default() and callable(f.default) else f.get_default() for f in fields
    }
    adapt: dict[str, Callable[[Any], Any]] = {}
    for f in fields:
        if isinstance(f, models.DateTimeField):
            if connection.vendor == "sqlite":
                adapt[f.attname] = _sqlite_datetime
        elif isinstance(f, models.DateField):
            adapt[f.attname] = connection.ops.adapt_datefield_value
        elif isinstance(f, models.DecimalField):
            adapt[f.attname] = str if connection.vendor == "sqlite" else Decimal
    values = []
    for row in rows:
        data = {**defaults, **row}
        values.append(
            tuple(adapt[n](data[n]) if n in adapt and data[n] is not None else data[n] for n in names)
        )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # COPY: executemany sent one statement per row, minutes for the bench's 100,000 complaints.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for tuple_row in values:
                copy.write_row(tuple_row)
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (model metadata only)
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


# --- the entry points ------------------------------------------------------------------------------------------


@dataclass
class SeedResult:
    complaints: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    linked: int = 0
    overdue: int = 0
    seconds: float = 0.0
    trained_rate: float = 0.0  # complaints per 1,000 tickets of trained officers
    untrained_rate: float = 0.0


def seed_complaints(
    *,
    seed: int,
    count: int = DEMO_COMPLAINTS,
    days_back: int = DAYS_BACK,
    now: dt.datetime | None = None,
    log: Callable[[str], Any] | None = None,
) -> SeedResult:
    """`count` complaints received over the last `days_back` days, with their events. Call inside a
    transaction (seed_demo does); on PostgreSQL and SQLite alike."""
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(f"complaints-{seed}")
    first_day = _local(now).date() - dt.timedelta(days=days_back)
    world = load_world(now, first_day)
    clock = Clock(world.calendar, rng)
    people = People(seed)
    templates: dict[str, list[str]] = defaultdict(list)
    for category, body in AnswerTemplate.objects.filter(active=True).values_list("category", "body"):
        templates[category].append(body)
    speed = {u: math.exp(rng.gauss(0, 0.35)) for u in sorted(world.units)}
    drafts = _drafts(rng, world, count, first_day)
    used = set(Complaint.objects.values_list("tracking_code", flat=True))
    deadline_cache: dict[dt.date, dict[str, dt.date]] = {}
    result = SeedResult()
    identities = list(IDENTITY_WEIGHTS)
    identity_weights = list(IDENTITY_WEIGHTS.values())

    def prepare(d: Draft) -> list[dict[str, Any]]:
        day = _local(d.received_at).date()
        if day not in deadline_cache:
            deadline_cache[day] = initial_deadlines(d.received_at, world.policy, world.calendar)
        if d.duplicate_of is not None:
            identity = d.duplicate_of.fields["identity"]
            person = {k: d.duplicate_of.fields[k] for k in ("name", "email", "phone", "contact_hash")}
        else:
            identity = rng.choices(identities, identity_weights)[0]
            person = people.identity(rng, identity)
        point = d.point
        kecamatan_id = point.unit_id if point and point.unit.kind == Unit.Kind.KECAMATAN else None
        kelurahan_code = ""
        address = ""
        if kecamatan_id is None and (point is None or rng.random() < 0.5) and world.kecamatan:
            kecamatan_id = rng.choice(world.kecamatan).pk
        if kecamatan_id is not None and rng.random() < 0.55:
            options = world.kelurahan.get(world.units[kecamatan_id].code, [])
            if options:
                kelurahan_code = rng.choice(options)[0]
        if point is None and rng.random() < 0.6:
            address = f"Jl. {rng.choice(people.streets)} No. {rng.randint(1, 180)}"
        pin = point is None and rng.random() < 0.3
        source = rng.choices(
            [Complaint.Source.WEB, Complaint.Source.DESK, Complaint.Source.OPEN311], [85, 9, 6]
        )[0]
        received_by = rng.choice(world.desk) if source == Complaint.Source.DESK else Actor(None, "Pelapor")
        t = d.ticket
        anonymous = identity == Complaint.Identity.ANONYMOUS
        held = t is not None and rng.random() < HELD_SHARE
        places = 3 if anonymous else 6  # intake rounds an anonymous pin to ~100 m
        secret = secrets.token_urlsafe(24)
        d.fields = {
            "created_at": d.received_at,
            "tracking_code": _tracking_code(rng, used),
            "complainant_secret": secret,
            "complainant_secret_hash": hashlib.sha256(secret.encode()).hexdigest(),  # models.secret_digest
            "kind": d.kind,
            "category": d.category,
            "source": source,
            "point_id": point.pk if point else None,
            "service_id": d.service_id,
            # As intake stores them: anonymous complaints keep no ticket (it leads to the booking's name);
            # only a ticket opened from its own page ("Adukan layanan ini") names the counter and officer.
            "ticket_id": t.id if t and not anonymous else None,
            "counter_id": t.counter_id if t and held else None,
            "officer_id": t.officer_id if t and held else None,
            "kecamatan_id": kecamatan_id,
            "kelurahan_code": kelurahan_code,
            "latitude": Decimal(f"{-6.99 + rng.uniform(-0.06, 0.05):.{places}f}") if pin else None,
            "longitude": Decimal(f"{110.42 + rng.uniform(-0.08, 0.06):.{places}f}") if pin else None,
            "address_string": address,
            "identity": identity,
            **person,
            "client_hash": "",
            "suggested_unit_id": world.suggest(d.category, d.service_id, point) if not d.reject else None,
            "received_at": d.received_at,
            **deadline_cache[day],
            "_received_by": received_by,
        }
        title, description = _text(rng, world, d)
        d.fields["title"] = title
        d.fields["description"] = description
        return _live(world, clock, d, _plan(rng, world, clock, d, speed, templates))

    for offset in range(0, len(drafts), BATCH):
        chunk = drafts[offset : offset + BATCH]
        events_by_code = [(d, prepare(d)) for d in chunk]
        _insert(Complaint, [{k: v for k, v in d.fields.items() if k != "duplicate_of"} for d in chunk])
        codes = [d.fields["tracking_code"] for d in chunk]
        ids = dict(Complaint.objects.filter(tracking_code__in=codes).values_list("tracking_code", "pk"))
        event_rows = []
        for d, events in events_by_code:
            d.pk = ids[d.fields["tracking_code"]]
            event_rows += [{**e, "complaint_id": d.pk} for e in events]
        _insert(ComplaintEvent, event_rows)
        result.events += len(event_rows)
        if log and len(drafts) > 10 * BATCH:
            log(f"  complaints: {offset + len(chunk):,} / {len(drafts):,}")
    duplicates = [d for d in drafts if d.duplicate_of is not None]
    for d in duplicates:
        assert d.pk is not None and d.duplicate_of is not None
        Complaint.objects.filter(pk=d.pk).update(duplicate_of_id=d.duplicate_of.pk)

    result.complaints = len(drafts)
    for d in drafts:
        result.by_status[d.fields["status"]] = result.by_status.get(d.fields["status"], 0) + 1
    result.linked = sum(1 for d in drafts if d.fields["officer_id"] is not None)
    today = _local(now).date()
    dues = (_current_due(d.fields) for d in drafts)
    result.overdue = sum(1 for due in dues if due is not None and due < today)
    result.trained_rate, result.untrained_rate = _training_rates(world, drafts)
    result.seconds = time.monotonic() - started
    return result


def _current_due(fields: dict[str, Any]) -> dt.date | None:
    name = DUE_BY_STATUS.get(fields["status"])
    return fields.get(name) if name else None


def _training_rates(world: World, drafts: list[Draft]) -> tuple[float, float]:
    """Complaints per 1,000 tickets served by officers trained at the time vs. not (the seeded effect)."""
    tickets = [0, 0]
    complaints = [0, 0]

    def trained(t: TicketRow) -> int:
        since = world.trained_since.get(t.officer_id) if t.officer_id else None
        return 1 if since is not None and since <= t.day else 0

    for t in world.tickets:
        tickets[trained(t)] += 1
    for d in drafts:
        if d.ticket is not None and d.fields["officer_id"] is not None:
            complaints[trained(d.ticket)] += 1
    return (
        1000 * complaints[1] / tickets[1] if tickets[1] else 0.0,
        1000 * complaints[0] / tickets[0] if tickets[0] else 0.0,
    )


def seed_configuration() -> tuple[int, int, int]:
    """Policy (defaults), cuti bersama, answer templates and routing rules; idempotent."""
    ComplaintPolicy.current()
    return seed_collective_leave(), seed_answer_templates(), seed_routing_rules()


def seed_demo(*, seed: int, log: Callable[[str], Any] | None = None) -> str:
    started = time.monotonic()
    with transaction.atomic():
        leave, templates, rules = seed_configuration()
        if Complaint.objects.exists():
            summary = "complaints: the database already has complaints; only configuration seeded"
        else:
            r = seed_complaints(seed=seed)
            statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(r.by_status.items(), key=lambda p: -p[1]))
            summary = (
                f"complaints: {leave} cuti bersama days, {templates} answer templates, {rules} routing rules, "
                f"{r.complaints:,} complaints ({r.linked:,} naming a counter and officer; {statuses}; {r.overdue:,} overdue), "
                f"{r.events:,} events; per 1,000 tickets: trained officers {r.trained_rate:.1f}, "
                f"others {r.untrained_rate:.1f} in {time.monotonic() - started:.1f} s"
            )
    if log:
        log(summary)
    return summary
