"""The SKJ dictionary seeded for Kota Semarang: managerial and socio-cultural competencies (PermenPANRB
38/2017) and the technical competencies of the city's service units, each with a behavioural description per
level 1-5. The texts are our own plain wording of what each level looks like at work, not the regulation's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    kind: str  # Competency.Kind value
    description: str
    levels: tuple[str, str, str, str, str]


MANAGERIAL: tuple[Entry, ...] = (
    Entry(
        "M.01",
        "Integritas",
        "manajerial",
        "Konsisten berperilaku selaras dengan nilai, norma dan etika organisasi, jujur dalam hubungan dengan "
        "atasan, rekan kerja, bawahan dan masyarakat.",
        (
            "Menepati jam kerja, mengisi laporan apa adanya dan menolak imbalan dari warga yang dilayani.",
            "Mengingatkan rekan yang melanggar aturan (mis. pungutan tidak resmi) dan melaporkan bila berulang.",
            "Menetapkan aturan main yang jelas di timnya dan memastikan anggota tim menjalankannya tanpa pengecualian.",
            "Membangun sistem pengawasan di unit (pembagian tugas, jejak persetujuan) sehingga pelanggaran sulit terjadi.",
            "Menjadi teladan etika di tingkat kota dan berani mengambil sikap atas pelanggaran oleh pejabat mana pun.",
        ),
    ),
    Entry(
        "M.02",
        "Kerjasama",
        "manajerial",
        "Kemampuan menjalin, membina dan mempertahankan hubungan kerja yang efektif, berkomitmen saling "
        "membantu dalam penyelesaian tugas.",
        (
            "Menyelesaikan bagian tugasnya dalam tim tepat waktu dan mau membantu rekan yang kewalahan di loket.",
            "Berbagi informasi dan beban kerja dengan rekan lintas seksi tanpa diminta.",
            "Menyatukan anggota tim yang berbeda pendapat menuju satu rencana kerja yang disepakati.",
            "Membangun kerja sama antarunit (mis. kecamatan dengan Disdukcapil) untuk menyelesaikan layanan bersama.",
            "Membangun kemitraan strategis lintas perangkat daerah dan dengan pihak luar untuk tujuan kota.",
        ),
    ),
    Entry(
        "M.03",
        "Komunikasi",
        "manajerial",
        "Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis, disertai argumentasi yang logis, "
        "serta mendengarkan dengan aktif.",
        (
            "Menyampaikan informasi layanan dengan bahasa yang jelas dan memastikan warga memahami langkah berikutnya.",
            "Mendengarkan keluhan sampai selesai, merangkum ulang, lalu menjelaskan jawaban dengan runtut.",
            "Menyusun dan menyampaikan paparan atau surat edaran yang mudah dipahami oleh tim dan pemangku kepentingan.",
            "Meyakinkan pihak lain dengan argumen berbasis data dan menyesuaikan gaya bicara dengan pendengarnya.",
            "Mengomunikasikan kebijakan kota yang sulit kepada publik dan media dengan tenang dan meyakinkan.",
        ),
    ),
    Entry(
        "M.04",
        "Orientasi pada Hasil",
        "manajerial",
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat diandalkan, "
        "bertanggung jawab, dan mampu memperbaiki hasil secara berkelanjutan.",
        (
            "Menyelesaikan tugas sesuai standar waktu layanan dan memeriksa ulang hasilnya sebelum diserahkan.",
            "Menetapkan target kerja sendiri yang terukur dan mencari cara kerja yang lebih cepat.",
            "Menetapkan target tim, memantau capaian mingguan dan menindaklanjuti yang tertinggal.",
            "Mendorong unit mencapai target kinerja yang menantang dengan perbaikan proses yang terukur.",
            "Menetapkan arah kinerja jangka panjang perangkat daerah dan memastikan hasilnya dirasakan warga.",
        ),
    ),
    Entry(
        "M.05",
        "Pelayanan Publik",
        "manajerial",
        "Kemampuan melaksanakan tugas pemerintahan, pembangunan dan pelayanan publik secara profesional, "
        "transparan, mengikuti standar pelayanan yang objektif, netral dan tidak memihak.",
        (
            "Melayani warga sesuai standar pelayanan: ramah, antre adil, persyaratan dijelaskan sejak awal.",
            "Menanggapi kebutuhan warga yang tidak biasa (lansia, disabilitas) tanpa melanggar prosedur.",
            "Memantau mutu layanan tim (waktu tunggu, keluhan, SKM) dan memperbaiki prosedur yang menghambat.",
            "Merancang perbaikan layanan unit berdasarkan hasil survei kepuasan dan pengaduan warga.",
            "Menetapkan kebijakan layanan publik kota yang berorientasi pada kebutuhan warga dan bebas konflik kepentingan.",
        ),
    ),
    Entry(
        "M.06",
        "Pengembangan Diri dan Orang Lain",
        "manajerial",
        "Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri, serta menginspirasi orang lain "
        "untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan yang relevan.",
        (
            "Mengikuti pelatihan wajib dan mencari sendiri bahan belajar untuk tugasnya (mis. e-learning).",
            "Berbagi ilmu dari pelatihan kepada rekan dan membantu pegawai baru memahami pekerjaan.",
            "Memberi umpan balik berkala kepada anggota tim dan mengusulkan pelatihan sesuai kesenjangannya.",
            "Menyusun program pengembangan kompetensi unit dan menyiapkan kader pengganti jabatan kunci.",
            "Membangun budaya belajar di tingkat kota dan memastikan anggaran pengembangan tepat sasaran.",
        ),
    ),
    Entry(
        "M.07",
        "Mengelola Perubahan",
        "manajerial",
        "Kemampuan menyesuaikan diri dengan situasi baru atau berubah dan tidak bergantung secara berlebihan "
        "pada metode dan proses lama, serta mengajak orang lain ikut berubah.",
        (
            "Mau mempelajari aplikasi atau prosedur baru dan memakainya sesuai petunjuk.",
            "Menyesuaikan cara kerja ketika aturan berubah dan membantu rekan yang kesulitan beradaptasi.",
            "Menjelaskan alasan perubahan kepada tim dan mengelola penolakan dengan sabar.",
            "Merencanakan dan memimpin perubahan proses di unit (mis. layanan daring) beserta mitigasi risikonya.",
            "Memimpin transformasi layanan kota dan menjaga dukungan pemangku kepentingan selama perubahan.",
        ),
    ),
    Entry(
        "M.08",
        "Pengambilan Keputusan",
        "manajerial",
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri setelah "
        "mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan seksama.",
        (
            "Mengambil keputusan rutin sesuai SOP dan tahu kapan harus bertanya kepada atasan.",
            "Membandingkan beberapa pilihan untuk masalah sehari-hari dan memilih yang paling tepat.",
            "Mengambil keputusan operasional unit berdasarkan data, termasuk saat informasi belum lengkap.",
            "Mengambil keputusan yang berdampak lintas unit dengan menimbang risiko dan kepentingan warga.",
            "Mengambil keputusan strategis kota yang sulit dan bertanggung jawab atas akibatnya.",
        ),
    ),
)

SOCIO_CULTURAL: tuple[Entry, ...] = (
    Entry(
        "SK.01",
        "Perekat Bangsa",
        "sosial_kultural",
        "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan individu atau "
        "kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam mempersatukan masyarakat.",
        (
            "Melayani semua warga dengan setara tanpa membedakan agama, suku, golongan atau pilihan politik.",
            "Menghargai perbedaan pendapat di tempat kerja dan menghindari ucapan yang menyinggung kelompok lain.",
            "Mengelola keberagaman dalam tim dan mencegah konflik karena perbedaan latar belakang.",
            "Menggerakkan tokoh masyarakat di wilayahnya untuk menjaga kerukunan dan menyelesaikan gesekan sosial.",
            "Merumuskan kebijakan kota yang merangkul seluruh kelompok masyarakat dan memperkuat persatuan.",
        ),
    ),
)

TECHNICAL: tuple[Entry, ...] = (
    Entry(
        "T.ADK",
        "Administrasi Kependudukan",
        "teknis",
        "Kemampuan memproses layanan administrasi kependudukan (KK, KTP-el, akta, pindah datang) sesuai "
        "peraturan dan memakai aplikasi SIAK.",
        (
            "Memeriksa kelengkapan berkas permohonan KK dan KTP-el memakai daftar periksa.",
            "Memproses permohonan rutin di SIAK tanpa kesalahan data dan menjelaskan persyaratan kepada warga.",
            "Menangani kasus tidak biasa (data ganda, perubahan elemen data, pindah antarprovinsi) secara mandiri.",
            "Menjadi rujukan teknis bagi petugas lain dan memperbaiki prosedur layanan adminduk unit.",
            "Merumuskan kebijakan dan inovasi layanan adminduk kota bersama Disdukcapil dan Kemendagri.",
        ),
    ),
    Entry(
        "T.PRIMA",
        "Pelayanan Prima",
        "teknis",
        "Kemampuan memberikan layanan yang cepat, tepat, ramah dan sesuai standar pelayanan kepada setiap warga.",
        (
            "Menyapa, menanyakan keperluan dan mengarahkan warga ke loket yang tepat dengan sopan.",
            "Melayani dalam waktu standar, menjelaskan hasil layanan dan memastikan warga puas sebelum pulang.",
            "Menenangkan warga yang kecewa dan mencari jalan keluar tanpa melanggar prosedur.",
            "Melatih petugas loket dan memantau mutu layanan memakai data antrean dan SKM.",
            "Menetapkan standar pelayanan unit dan memimpin perbaikan berdasarkan umpan balik warga.",
        ),
    ),
    Entry(
        "T.ADUAN",
        "Pengelolaan Pengaduan",
        "teknis",
        "Kemampuan menerima, memverifikasi, meneruskan dan menindaklanjuti pengaduan masyarakat (SP4N-LAPOR!) "
        "dalam batas waktu.",
        (
            "Mencatat pengaduan lengkap (siapa, apa, kapan, di mana) dan memberi nomor tiket kepada pelapor.",
            "Memverifikasi pengaduan dalam 3 hari kerja dan meneruskannya ke unit yang berwenang.",
            "Menyusun jawaban yang jelas dan memantau tindak lanjut sampai pengaduan ditutup.",
            "Menganalisis pola pengaduan unit dan mengusulkan perbaikan layanan untuk mencegah pengulangan.",
            "Mengelola sistem pengaduan kota dan koordinasi lintas perangkat daerah untuk pengaduan besar.",
        ),
    ),
    Entry(
        "T.KOMPUB",
        "Komunikasi Publik",
        "teknis",
        "Kemampuan menyampaikan informasi layanan kepada masyarakat secara lisan, tertulis dan melalui media "
        "sosial dengan tepat dan santun.",
        (
            "Menjawab pertanyaan warga di loket atau telepon dengan informasi yang benar dan bahasa yang santun.",
            "Menulis pengumuman layanan dan balasan pesan warga yang singkat, jelas dan tanpa salah ketik.",
            "Menyiapkan materi sosialisasi dan tampil di forum warga (musrenbang, pertemuan RT/RW).",
            "Mengelola kanal informasi unit (media sosial, situs) dan merespons isu yang berkembang.",
            "Merancang strategi komunikasi publik kota dan menjadi juru bicara dalam situasi krisis.",
        ),
    ),
    Entry(
        "T.WAKTU",
        "Manajemen Waktu",
        "teknis",
        "Kemampuan merencanakan, memprioritaskan dan menyelesaikan pekerjaan sesuai batas waktu.",
        (
            "Datang tepat waktu dan menyelesaikan tugas harian sesuai jadwal yang diberikan atasan.",
            "Menyusun daftar prioritas harian dan menyelesaikan pekerjaan mendesak lebih dulu.",
            "Merencanakan pekerjaan mingguan tim dan mengatur giliran loket agar antrean tidak menumpuk.",
            "Mengatur jadwal kegiatan unit dan mengurangi pekerjaan yang membuang waktu.",
            "Menetapkan kalender kerja perangkat daerah dan memastikan tenggat lintas unit terpenuhi.",
        ),
    ),
    Entry(
        "T.DIGITAL",
        "Literasi Digital",
        "teknis",
        "Kemampuan memakai perangkat dan aplikasi digital pemerintahan secara aman dan produktif.",
        (
            "Memakai surel dinas, aplikasi perkantoran dasar dan menjaga kata sandi sendiri.",
            "Mengolah data dengan lembar kerja (filter, rumus sederhana) dan memakai aplikasi layanan dengan lancar.",
            "Membuat laporan dan visualisasi data unit serta membantu rekan memecahkan masalah aplikasi.",
            "Mengusulkan dan mengawal digitalisasi proses layanan unit dengan memperhatikan perlindungan data pribadi.",
            "Memimpin transformasi digital perangkat daerah (SPBE) dan tata kelola datanya.",
        ),
    ),
    Entry(
        "T.ARSIP",
        "Kearsipan",
        "teknis",
        "Kemampuan mengelola arsip dinamis dan statis sesuai ketentuan kearsipan.",
        (
            "Menyimpan berkas sesuai kode klasifikasi dan menemukannya kembali saat diminta.",
            "Mencatat surat masuk dan keluar di aplikasi (SRIKANDI) dan menata arsip aktif unit.",
            "Menyusun daftar arsip dan jadwal retensi serta menyiapkan pemindahan arsip inaktif.",
            "Menilai dan mengusulkan pemusnahan atau penyerahan arsip sesuai jadwal retensi.",
            "Menetapkan kebijakan kearsipan perangkat daerah dan mengawasi pelaksanaannya.",
        ),
    ),
    Entry(
        "T.KEU",
        "Pengelolaan Keuangan",
        "teknis",
        "Kemampuan merencanakan, menatausahakan dan mempertanggungjawabkan keuangan daerah di unit kerja.",
        (
            "Mengumpulkan bukti pengeluaran lengkap dan mencatatnya di buku kas pembantu.",
            "Menyiapkan SPP/SPM dan laporan pertanggungjawaban bulanan tanpa koreksi berarti.",
            "Menyusun RKA unit dan memantau serapan anggaran terhadap rencana.",
            "Menganalisis efisiensi belanja dan menindaklanjuti temuan pemeriksaan.",
            "Menetapkan kebijakan pengelolaan keuangan perangkat daerah yang akuntabel.",
        ),
    ),
    Entry(
        "T.DATA",
        "Pengelolaan Data dan Informasi",
        "teknis",
        "Kemampuan mengumpulkan, memvalidasi, mengolah dan menyajikan data untuk layanan dan perencanaan.",
        (
            "Memasukkan data sesuai format dan memeriksa kesalahan ketik sebelum disimpan.",
            "Memvalidasi data dari beberapa sumber dan memperbaiki data yang tidak konsisten.",
            "Mengolah data menjadi tabel dan grafik untuk laporan bulanan unit.",
            "Merancang struktur data unit dan indikator yang dipakai pimpinan untuk keputusan.",
            "Menetapkan standar data perangkat daerah sesuai Satu Data Indonesia.",
        ),
    ),
    Entry(
        "T.TRANTIB",
        "Ketenteraman dan Ketertiban Umum",
        "teknis",
        "Kemampuan menjaga ketenteraman dan ketertiban umum serta menegakkan peraturan daerah secara humanis.",
        (
            "Melakukan patroli wilayah sesuai jadwal dan mencatat kejadian.",
            "Memberi teguran persuasif atas pelanggaran perda ringan dan melaporkannya.",
            "Mengoordinasikan penertiban bersama Satpol PP dan aparat wilayah.",
            "Memetakan kerawanan wilayah dan merencanakan pencegahan gangguan trantib.",
            "Merumuskan kebijakan trantib kecamatan atau kota bersama pemangku kepentingan.",
        ),
    ),
    Entry(
        "T.PERENC",
        "Perencanaan dan Evaluasi Program",
        "teknis",
        "Kemampuan menyusun rencana kerja, indikator kinerja dan laporan evaluasi program unit.",
        (
            "Mengumpulkan bahan rencana kerja dan laporan kegiatan dari seksi-seksi.",
            "Menyusun dokumen rencana kerja dan laporan kinerja sesuai format SAKIP.",
            "Merumuskan indikator kinerja yang terukur dan mengevaluasi capaiannya.",
            "Menyelaraskan rencana unit dengan RPJMD dan rencana strategis perangkat daerah.",
            "Menetapkan arah perencanaan pembangunan kota berbasis bukti.",
        ),
    ),
)

DICTIONARY: tuple[Entry, ...] = (*MANAGERIAL, *SOCIO_CULTURAL, *TECHNICAL)
LEVEL_TITLES = ("Dasar", "Menengah", "Mahir", "Ahli", "Pakar")

# Default managerial/socio-cultural level by (position kind, jenjang): domain.md's configurable table.
# The terampil-type fungsional jenjang (penyelia, mahir, terampil, pemula) are not in that table; we give
# them 1, as for pelaksana, since they do comparable operational work.
MANAGERIAL_DEFAULTS: tuple[tuple[str, str, int], ...] = (
    ("jpt", "utama", 5),
    ("jpt", "madya", 5),
    ("jpt", "pratama", 4),
    ("administrator", "", 3),
    ("pengawas", "", 2),
    ("pelaksana", "", 1),
    ("fungsional", "ahli_utama", 4),
    ("fungsional", "ahli_madya", 3),
    ("fungsional", "ahli_muda", 2),
    ("fungsional", "ahli_pertama", 1),
    ("fungsional", "penyelia", 1),
    ("fungsional", "mahir", 1),
    ("fungsional", "terampil", 1),
    ("fungsional", "pemula", 1),
)
