"""Position templates of the demo data: the city's perangkat daerah, kecamatan, kelurahan and the MPP.

A `Job` is one position of a unit: managers get one holder each, staff share the unit's headcount by weight.
The agencies, bidang and fungsional titles are plausible for Semarang, not an official organisation chart;
headcounts are chosen so that teachers and health workers dominate, as they do in a city's ASN. Jenjang per
kind are those Position.LEVELS_BY_KIND admits.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "33.74"
SEKDA_UNIT_SUFFIX = "SETDA"

# --- position templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A position template. Managers (weight 0) get one holder each; staff share the unit's headcount."""

    key: str  # the position code is "<unit code>-<key>"
    name: str
    kind: str
    level: str = ""
    # Keys of manager jobs in the same unit; empty on a unit head (who answers to the parent unit's head).
    reports_to: tuple[str, ...] = ()
    weight: float = 0.0
    minimum: int = 0
    front_line: bool = False
    family: str = "umum"  # which academic titles the holders' names carry
    female: float = 0.55  # share of women among holders

    @property
    def is_manager(self) -> bool:
        return self.weight == 0.0 and self.minimum == 0


@dataclass(frozen=True)
class Fungsional:
    name: str
    levels: tuple[str, ...]
    weight: float
    family: str = "umum"
    female: float = 0.55
    reports_to: str = "kabid"  # "kabid" (every Kepala Bidang) or "sekretaris"
    minimum: int = 0  # holders of the first jenjang even in a small seed (the demo accounts need some)


@dataclass(frozen=True)
class Pelaksana:
    name: str
    weight: float
    front_line: bool = False
    female: float = 0.5


@dataclass(frozen=True)
class Agency:
    suffix: str
    name: str
    kind: str
    headcount: int  # at city scale (15,000 ASN)
    bidang: tuple[str, ...]
    fungsional: tuple[Fungsional, ...] = ()
    pelaksana: tuple[Pelaksana, ...] = ()
    head: str = ""  # title of the head; default "Kepala <name>"
    bidang_head: str = "Kepala Bidang"


# The catalogue below is a table; one entry per line reads better than the formatter's layout.
# fmt: off
# Jenjang shares within a fungsional title (more juniors than seniors).
LEVEL_SHARE = {
    "ahli_pertama": 0.40, "ahli_muda": 0.35, "ahli_madya": 0.20, "ahli_utama": 0.05,
    "pemula": 0.25, "terampil": 0.40, "mahir": 0.25, "penyelia": 0.10,
}
LEVEL_ABBR = {
    "ahli_utama": "AU", "ahli_madya": "AMD", "ahli_muda": "AM", "ahli_pertama": "AP",
    "penyelia": "PNY", "mahir": "MHR", "terampil": "TRP", "pemula": "PML",
}
LEVEL_LABEL = {
    "ahli_utama": "Ahli Utama", "ahli_madya": "Ahli Madya", "ahli_muda": "Ahli Muda", "ahli_pertama": "Ahli Pertama",
    "penyelia": "Penyelia", "mahir": "Mahir", "terampil": "Terampil", "pemula": "Pemula",
}
AP, AM, AMD = "ahli_pertama", "ahli_muda", "ahli_madya"
PML, TRP, MHR, PNY = "pemula", "terampil", "mahir", "penyelia"

GENERAL_FUNGSIONAL = (
    Fungsional("Analis Kebijakan", (AP, AM), 0.05, reports_to="sekretaris"),
    Fungsional("Perencana", (AP, AM), 0.03, reports_to="sekretaris"),
    Fungsional("Arsiparis", (TRP, MHR), 0.03, reports_to="sekretaris"),
    Fungsional("Pranata Komputer", (TRP, AP), 0.03, reports_to="sekretaris"),
)
# Nomenclature of pelaksana positions after the 2022-2024 simplification (KepmenPANRB on jabatan pelaksana).
GENERAL_PELAKSANA = (
    Pelaksana("Pengadministrasi Perkantoran", 0.20),
    Pelaksana("Penata Layanan Operasional", 0.18),
    Pelaksana("Pengolah Data dan Informasi", 0.14),
    Pelaksana("Operator Layanan Operasional", 0.10),
    Pelaksana("Penelaah Teknis Kebijakan", 0.08),
)

F, P = Fungsional, Pelaksana
# The city's perangkat daerah with a plausible headcount at 15,000 ASN (teachers and health workers dominate).
AGENCIES: tuple[Agency, ...] = (
    Agency("SETDA", "Sekretariat Daerah", "sekretariat", 330,
           ("Tata Pemerintahan", "Hukum", "Kesejahteraan Rakyat", "Perekonomian", "Administrasi Pembangunan",
            "Pengadaan Barang dan Jasa", "Umum", "Organisasi", "Protokol dan Komunikasi Pimpinan"),
           (F("Analis Hukum", (AP, AM), 0.06),
            F("Pengelola Pengadaan Barang/Jasa", (AP, AM), 0.05),
            F("Analis Kebijakan", (AP, AM, AMD), 0.08)),
           head="Sekretaris Daerah", bidang_head="Kepala Bagian"),
    Agency("SETWAN", "Sekretariat DPRD", "sekretariat", 80,
           ("Umum", "Persidangan dan Perundang-undangan", "Fasilitasi Penganggaran dan Pengawasan"),
           (F("Perisalah Legislatif", (AP, AM), 0.08),),
           head="Sekretaris DPRD", bidang_head="Kepala Bagian"),
    Agency("INSPEKTORAT", "Inspektorat", "lainnya", 90,
           ("Wilayah I", "Wilayah II", "Wilayah III", "Wilayah IV"),
           (F("Auditor", (AP, AM, AMD), 0.45),
            F("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", (AP, AM), 0.15)),
           head="Inspektur", bidang_head="Inspektur Pembantu"),
    Agency("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", 100,
           ("Perencanaan, Pengendalian dan Evaluasi Pembangunan", "Perekonomian dan Sumber Daya Alam",
            "Infrastruktur dan Kewilayahan", "Pemerintahan dan Pembangunan Manusia"),
           (F("Perencana", (AP, AM, AMD), 0.35),)),
    Agency("BPKAD", "Badan Pengelola Keuangan dan Aset Daerah", "badan", 150,
           ("Anggaran", "Perbendaharaan", "Akuntansi", "Aset"),
           (F("Analis Keuangan Pusat dan Daerah", (AP, AM), 0.20),)),
    Agency("BAPENDA", "Badan Pendapatan Daerah", "badan", 230,
           ("Pajak Daerah I", "Pajak Daerah II", "Pajak Bumi dan Bangunan", "Penagihan dan Keberatan"),
           (F("Pemeriksa Pajak Daerah", (AP, AM), 0.12),),
           (P("Petugas Pelayanan Pajak Daerah", 0.25, front_line=True),)),
    Agency("BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", "badan", 140,
           ("Pengadaan, Pemberhentian dan Informasi Kepegawaian", "Mutasi dan Promosi",
            "Pengembangan Kompetensi Aparatur", "Penilaian Kinerja Aparatur dan Penghargaan"),
           (F("Analis Sumber Daya Manusia Aparatur", (AM, AP, AMD), 0.25, minimum=1),
            F("Pranata Sumber Daya Manusia Aparatur", (TRP, MHR), 0.10),
            F("Widyaiswara", (AM, AP, AMD), 0.08, minimum=1),
            F("Asesor Sumber Daya Manusia Aparatur", (AP, AM), 0.05)),
           (P("Petugas Layanan Kepegawaian", 0.08, front_line=True),)),
    Agency("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", 80,
           ("Pencegahan dan Kesiapsiagaan", "Kedaruratan dan Logistik", "Rehabilitasi dan Rekonstruksi"),
           (F("Analis Bencana", (AP, AM), 0.15),)),
    Agency("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan", 60,
           ("Ideologi dan Wawasan Kebangsaan", "Politik Dalam Negeri", "Ketahanan Ekonomi, Sosial dan Budaya")),
    Agency("DISDIK", "Dinas Pendidikan", "dinas", 5600,
           ("Pembinaan Pendidikan Anak Usia Dini dan Pendidikan Nonformal", "Pembinaan Sekolah Dasar",
            "Pembinaan Sekolah Menengah Pertama", "Pendidik dan Tenaga Kependidikan"),
           (F("Guru", (AP, AM, AMD), 0.84, family="pd", female=0.70),
            F("Pengawas Sekolah", (AM, AMD), 0.01, family="pd"),
            F("Pamong Belajar", (AP, AM), 0.01, family="pd")),
           (P("Pengelola Layanan Operasional", 0.06),)),
    Agency("DINKES", "Dinas Kesehatan", "dinas", 1700,
           ("Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan Kesehatan",
            "Sumber Daya Kesehatan"),
           (F("Dokter", (AP, AM, AMD), 0.10, family="dr", female=0.6),
            F("Dokter Gigi", (AP, AM), 0.03, family="drg", female=0.7),
            F("Perawat", (TRP, MHR, AP, AM), 0.25, family="kep", female=0.75),
            F("Bidan", (TRP, MHR, AP), 0.15, family="keb", female=1.0),
            F("Apoteker", (AP, AM), 0.03, family="apt", female=0.75),
            F("Sanitarian", (TRP, MHR), 0.04),
            F("Nutrisionis", (TRP, AP), 0.04, female=0.85),
            F("Pranata Laboratorium Kesehatan", (TRP, MHR), 0.04, female=0.7),
            F("Epidemiolog Kesehatan", (AP, AM), 0.02)),
           (P("Petugas Pendaftaran Pasien", 0.08, front_line=True, female=0.7),)),
    Agency("RSUD", "RSUD K.R.M.T. Wongsonegoro", "lainnya", 850,
           ("Pelayanan Medik", "Keperawatan", "Penunjang", "Umum dan Keuangan"),
           (F("Dokter", (AM, AMD), 0.12, family="dr", female=0.55),
            F("Perawat", (TRP, MHR, AP, AM), 0.40, family="kep", female=0.75),
            F("Bidan", (TRP, MHR), 0.06, family="keb", female=1.0),
            F("Apoteker", (AP, AM), 0.03, family="apt", female=0.75),
            F("Radiografer", (TRP, MHR), 0.03),
            F("Pranata Laboratorium Kesehatan", (TRP, MHR), 0.04, female=0.7)),
           (P("Petugas Pendaftaran Pasien", 0.06, front_line=True, female=0.7),),
           head="Direktur RSUD K.R.M.T. Wongsonegoro"),
    Agency("DPU", "Dinas Pekerjaan Umum", "dinas", 320,
           ("Sumber Daya Air dan Drainase", "Jalan dan Jembatan", "Jasa Konstruksi", "Bangunan Gedung"),
           (F("Teknik Pengairan", (AP, AM), 0.08, female=0.3),
            F("Teknik Jalan dan Jembatan", (TRP, AP, AM), 0.10, female=0.3)),
           (P("Petugas Pemeliharaan Jalan dan Saluran", 0.25, female=0.1),)),
    Agency("DISTARU", "Dinas Penataan Ruang", "dinas", 110,
           ("Perencanaan Tata Ruang", "Pemanfaatan Ruang", "Pengendalian Pemanfaatan Ruang"),
           (F("Penata Ruang", (AP, AM), 0.20),)),
    Agency("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas", 160,
           ("Perumahan", "Kawasan Permukiman", "Pertanahan", "Pertamanan dan Pemakaman"),
           (F("Teknik Tata Bangunan dan Perumahan", (AP, AM), 0.12),),
           (P("Petugas Pertamanan", 0.20, female=0.2),)),
    Agency("SATPOLPP", "Satuan Polisi Pamong Praja", "lainnya", 320,
           ("Penegakan Peraturan Daerah", "Ketertiban Umum dan Ketenteraman Masyarakat", "Perlindungan Masyarakat"),
           (F("Polisi Pamong Praja", (TRP, MHR, AP), 0.70, female=0.15),),
           head="Kepala Satuan Polisi Pamong Praja"),
    Agency("DAMKAR", "Dinas Pemadam Kebakaran", "dinas", 260,
           ("Pencegahan Kebakaran", "Pemadaman dan Penyelamatan", "Sarana dan Prasarana"),
           (F("Pemadam Kebakaran", (PML, TRP, MHR, PNY), 0.70, female=0.05),
            F("Analis Kebakaran", (AP, AM), 0.04, female=0.3))),
    Agency("DINSOS", "Dinas Sosial", "dinas", 110,
           ("Rehabilitasi Sosial", "Perlindungan dan Jaminan Sosial", "Pemberdayaan Sosial"),
           (F("Pekerja Sosial", (TRP, AP, AM), 0.20, female=0.65),
            F("Penyuluh Sosial", (AP, AM), 0.08))),
    Agency("DISNAKER", "Dinas Tenaga Kerja", "dinas", 80,
           ("Pelatihan dan Produktivitas", "Penempatan dan Perluasan Kerja", "Hubungan Industrial"),
           (F("Mediator Hubungan Industrial", (AP, AM), 0.10),
            F("Pengantar Kerja", (AP, AM), 0.10))),
    Agency("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas", 80,
           ("Kesetaraan Gender", "Perlindungan Perempuan", "Pemenuhan Hak dan Perlindungan Anak"),
           (F("Analis Perlindungan Perempuan dan Anak", (AP, AM), 0.12, female=0.75),)),
    Agency("DISHANPAN", "Dinas Ketahanan Pangan", "dinas", 70,
           ("Ketersediaan dan Kerawanan Pangan", "Konsumsi dan Keamanan Pangan", "Distribusi dan Cadangan Pangan"),
           (F("Analis Ketahanan Pangan", (AP, AM), 0.15),)),
    Agency("DLH", "Dinas Lingkungan Hidup", "dinas", 320,
           ("Tata Lingkungan", "Pengelolaan Sampah dan Limbah B3", "Pengendalian Pencemaran dan Kerusakan Lingkungan"),
           (F("Pengendali Dampak Lingkungan", (AP, AM), 0.08),
            F("Pengawas Lingkungan Hidup", (AP, AM), 0.05)),
           (P("Petugas Pengelola Sampah", 0.35, female=0.15),)),
    Agency("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", 200,
           ("Pelayanan Pendaftaran Penduduk", "Pelayanan Pencatatan Sipil",
            "Pengelolaan Informasi Administrasi Kependudukan", "Pemanfaatan Data dan Inovasi Pelayanan"),
           (F("Administrator Database Kependudukan", (AP, AM), 0.08),
            F("Pranata Komputer", (TRP, AP), 0.05)),
           (P("Petugas Pelayanan Administrasi Kependudukan", 0.35, front_line=True, female=0.6),
            P("Verifikator Berkas Kependudukan", 0.10, female=0.6))),
    Agency("DP2KB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas", 150,
           ("Pengendalian Penduduk", "Keluarga Berencana", "Ketahanan dan Kesejahteraan Keluarga"),
           (F("Penyuluh Keluarga Berencana", (TRP, AP, AM), 0.45, female=0.7),)),
    Agency("DISHUB", "Dinas Perhubungan", "dinas", 380,
           ("Lalu Lintas", "Angkutan", "Pengembangan dan Keselamatan Transportasi", "Perparkiran"),
           (F("Penguji Kendaraan Bermotor", (TRP, MHR, AP), 0.08, female=0.15),),
           (P("Petugas Pengatur Lalu Lintas", 0.35, female=0.15),)),
    Agency("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "dinas", 110,
           ("Informasi dan Komunikasi Publik", "Aplikasi Informatika", "Statistik dan Persandian"),
           (F("Pranata Komputer", (TRP, MHR, AP, AM), 0.20),
            F("Pranata Hubungan Masyarakat", (TRP, AP, AM), 0.08),
            F("Statistisi", (AP, AM), 0.05),
            F("Sandiman", (TRP, AP), 0.04))),
    Agency("DISKOPUMKM", "Dinas Koperasi dan Usaha Mikro", "dinas", 70,
           ("Kelembagaan dan Pengawasan Koperasi", "Pemberdayaan Usaha Mikro"),
           (F("Pengawas Koperasi", (AP, AM), 0.15),)),
    Agency("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", 90,
           ("Penanaman Modal", "Pelayanan Perizinan", "Pengaduan, Kebijakan dan Pelaporan Layanan"),
           (F("Penata Perizinan", (AP, AM), 0.12),),
           (P("Petugas Pelayanan Perizinan", 0.25, front_line=True),)),
    Agency("DISPORA", "Dinas Kepemudaan dan Olahraga", "dinas", 70,
           ("Kepemudaan", "Olahraga", "Sarana dan Prasarana Olahraga")),
    Agency("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", "dinas", 90,
           ("Kebudayaan", "Destinasi Pariwisata", "Pemasaran Pariwisata", "Ekonomi Kreatif"),
           (F("Pamong Budaya", (AP, AM), 0.10),)),
    Agency("DISARPUS", "Dinas Arsip dan Perpustakaan", "dinas", 80,
           ("Kearsipan", "Perpustakaan"),
           (F("Pustakawan", (TRP, AP, AM), 0.25, female=0.7),
            F("Arsiparis", (TRP, MHR, AP), 0.15)),
           (P("Petugas Layanan Perpustakaan", 0.10, front_line=True, female=0.6),)),
    Agency("DISKAN", "Dinas Perikanan", "dinas", 60,
           ("Perikanan Budidaya", "Perikanan Tangkap dan Pengolahan"),
           (F("Penyuluh Perikanan", (TRP, AP, AM), 0.25, female=0.35),)),
    Agency("DISTAN", "Dinas Pertanian", "dinas", 90,
           ("Tanaman Pangan dan Hortikultura", "Peternakan dan Kesehatan Hewan", "Penyuluhan Pertanian"),
           (F("Penyuluh Pertanian", (TRP, AP, AM), 0.30, female=0.35),
            F("Medik Veteriner", (AP, AM), 0.05))),
    Agency("DISDAG", "Dinas Perdagangan", "dinas", 230,
           ("Pengelolaan Pasar", "Perdagangan Dalam Negeri", "Metrologi Legal"),
           (F("Penera", (TRP, MHR, AP), 0.06),),
           (P("Petugas Pasar", 0.40, female=0.35),)),
    Agency("DISPERIN", "Dinas Perindustrian", "dinas", 60,
           ("Industri Agro dan Kimia", "Industri Logam, Mesin dan Aneka"),
           (F("Penyuluh Perindustrian dan Perdagangan", (AP, AM), 0.15),)),
)
del F, P
KECAMATAN_KASI = (
    ("KASI-PEM", "Kepala Seksi Pemerintahan"),
    ("KASI-PEL", "Kepala Seksi Pelayanan"),
    ("KASI-TRANTIB", "Kepala Seksi Ketenteraman dan Ketertiban Umum"),
    ("KASI-PEMMAS", "Kepala Seksi Pemberdayaan Masyarakat"),
    ("KASI-KESOS", "Kepala Seksi Kesejahteraan Sosial"),
)
KECAMATAN_HEADCOUNT = 40
KELURAHAN_HEADCOUNT = 11
MPP_HEADCOUNT = 45


def kecamatan_jobs(name: str) -> list[Job]:
    kasi = tuple(key for key, _ in KECAMATAN_KASI)
    return [
        Job("CAMAT", f"Camat {name}", "administrator"),
        Job("SEKCAM", "Sekretaris Kecamatan", "administrator", reports_to=("CAMAT",)),
        Job("KASUBBAG-UMPEG", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", reports_to=("SEKCAM",)),
        Job("KASUBBAG-PK", "Kepala Subbagian Perencanaan dan Keuangan", "pengawas", reports_to=("SEKCAM",)),
        *(Job(key, title, "pengawas", reports_to=("CAMAT",)) for key, title in KECAMATAN_KASI),
        # The counter staff of the kecamatan's service desk (PATEN) report to the Kasi Pelayanan.
        Job("PETUGAS-PEL", "Petugas Pelayanan", "pelaksana", reports_to=("KASI-PEL",), weight=0.16, minimum=2,
            front_line=True, female=0.6),
        Job("PENGOLAH-PEL", "Pengolah Data Pelayanan", "pelaksana", reports_to=("KASI-PEL",), weight=0.08, minimum=1),
        Job("PENGADM", "Pengadministrasi Perkantoran", "pelaksana", reports_to=("KASUBBAG-UMPEG",), weight=0.18),
        Job("PENATA-LAYANAN", "Penata Layanan Operasional", "pelaksana", reports_to=("KASUBBAG-PK",), weight=0.10),
        Job("PENGOLAH-DATA", "Pengolah Data dan Informasi", "pelaksana", reports_to=kasi, weight=0.22),
        Job("TRANTIB", "Pengelola Ketenteraman dan Ketertiban", "pelaksana", reports_to=("KASI-TRANTIB",),
            weight=0.10, female=0.2),
        Job("FNG-AK-AP", "Analis Kebijakan Ahli Pertama", "fungsional", AP, ("SEKCAM",), 0.06),
        Job("FNG-AK-AM", "Analis Kebijakan Ahli Muda", "fungsional", AM, ("SEKCAM",), 0.04),
        Job("FNG-PRAKOM-TRP", "Pranata Komputer Terampil", "fungsional", TRP, ("SEKCAM",), 0.06),
    ]


def kelurahan_jobs(name: str) -> list[Job]:
    return [
        Job("LURAH", f"Lurah {name}", "pengawas"),
        Job("SEKLUR", "Sekretaris Kelurahan", "pengawas", reports_to=("LURAH",)),
        Job("PETUGAS-PEL", "Petugas Pelayanan", "pelaksana", reports_to=("SEKLUR",), weight=0.25, minimum=1,
            front_line=True, female=0.6),
        Job("PENGADM", "Pengadministrasi Perkantoran", "pelaksana", reports_to=("SEKLUR",), weight=0.30),
        Job("PENGOLAH-DATA", "Pengolah Data dan Informasi", "pelaksana", reports_to=("LURAH",), weight=0.25),
        Job("TRANTIB", "Pengelola Ketenteraman dan Ketertiban", "pelaksana", reports_to=("LURAH",), weight=0.20,
            female=0.2),
    ]


def mpp_jobs() -> list[Job]:
    return [
        Job("KEPALA", "Kepala Unit Pengelola Mal Pelayanan Publik", "administrator"),
        Job("KASUBBAG-TU", "Kepala Subbagian Tata Usaha", "pengawas", reports_to=("KEPALA",)),
        Job("KASI-PEL", "Kepala Seksi Pelayanan", "pengawas", reports_to=("KEPALA",)),
        Job("PETUGAS-PEL", "Petugas Pelayanan", "pelaksana", reports_to=("KASI-PEL",), weight=0.55, minimum=2,
            front_line=True, female=0.6),
        Job("PETUGAS-INFO", "Petugas Informasi dan Pengaduan", "pelaksana", reports_to=("KASI-PEL",), weight=0.20,
            minimum=1, front_line=True, female=0.6),
        Job("PENGADM", "Pengadministrasi Perkantoran", "pelaksana", reports_to=("KASUBBAG-TU",), weight=0.25),
    ]
# fmt: on


def agency_jobs(agency: Agency) -> list[Job]:
    """Kepala -> Sekretaris + Kabid -> Kasubbag/Kasi -> pelaksana; fungsional report to a Kabid or the Sekretaris."""
    head_kind, head_level = ("jpt", "madya") if agency.suffix == SEKDA_UNIT_SUFFIX else ("jpt", "pratama")
    jobs = [Job("KEPALA", agency.head or f"Kepala {agency.name}", head_kind, head_level)]
    kabid_keys: list[str] = []
    kasi_keys: list[str] = []
    umum_keys: tuple[str, ...]  # the subbagian that the office clerks report to
    if agency.suffix == SEKDA_UNIT_SUFFIX:
        # Sekretariat Daerah: three Asisten (JPT pratama), each over three Bagian.
        asisten = (
            "Asisten Pemerintahan dan Kesejahteraan Rakyat",
            "Asisten Perekonomian dan Pembangunan",
            "Asisten Administrasi Umum",
        )
        for i, title in enumerate(asisten, 1):
            jobs.append(Job(f"ASISTEN{i}", title, "jpt", "pratama", reports_to=("KEPALA",)))
        secretary_key = "ASISTEN3"
        for i, bidang in enumerate(agency.bidang, 1):
            key = f"KABAG{i}"
            kabid_keys.append(key)
            jobs.append(
                Job(
                    key,
                    f"Kepala Bagian {bidang}",
                    "administrator",
                    reports_to=(f"ASISTEN{(i - 1) // 3 + 1}",),
                )
            )
            for j, topic in enumerate(("Perencanaan dan Evaluasi", "Pelaksanaan"), 1):
                kasi_keys.append(f"KASUBBAG{i}{j}")
                jobs.append(
                    Job(
                        f"KASUBBAG{i}{j}", f"Kepala Subbagian {topic} {bidang}", "pengawas", reports_to=(key,)
                    )
                )
        umum_keys = ("KASUBBAG71",)
    else:
        secretary_key = "SEKRETARIS"
        jobs.append(Job("SEKRETARIS", "Sekretaris", "administrator", reports_to=("KEPALA",)))
        jobs.append(
            Job("KASUBBAG1", "Kepala Subbagian Umum dan Kepegawaian", "pengawas", reports_to=("SEKRETARIS",))
        )
        jobs.append(
            Job("KASUBBAG2", "Kepala Subbagian Keuangan dan Aset", "pengawas", reports_to=("SEKRETARIS",))
        )
        umum_keys = ("KASUBBAG1", "KASUBBAG2")
        for i, bidang in enumerate(agency.bidang, 1):
            key = f"KABID{i}"
            kabid_keys.append(key)
            jobs.append(Job(key, f"{agency.bidang_head} {bidang}", "administrator", reports_to=("KEPALA",)))
            if agency.bidang_head == "Inspektur Pembantu":
                continue  # the inspectorate works through auditors, not seksi
            for j, topic in enumerate(("Perencanaan dan Evaluasi", "Pelaksanaan"), 1):
                kasi_keys.append(f"KASI{i}{j}")
                jobs.append(
                    Job(f"KASI{i}{j}", f"Kepala Seksi {topic} {bidang}", "pengawas", reports_to=(key,))
                )
    pengawas_keys = tuple(kasi_keys) or tuple(umum_keys)
    for i, plk in enumerate((*agency.pelaksana, *GENERAL_PELAKSANA), 1):
        boss = umum_keys if plk.name == "Pengadministrasi Perkantoran" else pengawas_keys
        jobs.append(
            Job(
                f"PLK{i}",
                plk.name,
                "pelaksana",
                reports_to=boss,
                weight=plk.weight,
                front_line=plk.front_line,
                female=plk.female,
                family="none",
            )
        )
    specific = {f.name for f in agency.fungsional}
    fungsional = (*agency.fungsional, *(f for f in GENERAL_FUNGSIONAL if f.name not in specific))
    for i, fng in enumerate(fungsional, 1):
        boss = tuple(kabid_keys) if fng.reports_to == "kabid" and kabid_keys else (secretary_key,)
        total = sum(LEVEL_SHARE[lvl] for lvl in fng.levels)
        for n, lvl in enumerate(fng.levels):
            jobs.append(
                Job(
                    f"FNG{i}-{LEVEL_ABBR[lvl]}",
                    f"{fng.name} {LEVEL_LABEL[lvl]}",
                    "fungsional",
                    lvl,
                    boss,
                    weight=fng.weight * LEVEL_SHARE[lvl] / total,
                    minimum=fng.minimum if n == 0 else 0,
                    family=fng.family,
                    female=fng.female,
                )
            )
    return jobs
