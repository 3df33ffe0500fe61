"""Take the screenshots of the Indonesian user guide (docs/panduan/img/) from a running demo server.

Run it against a FRESH demo database, because it changes data the way a user would (it moves one employee
and imports three new ones), and the NIPs below come from the deterministic `seed_demo --scale city`:

    export MUMPUNI_DEBUG=1 MUMPUNI_SQLITE_PATH=/tmp/panduan.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo --scale city
    .venv/bin/python manage.py runserver 127.0.0.1:8321 --noreload &
    .venv/bin/python docs/panduan/tangkapan_layar.py [--base http://127.0.0.1:8321]

Each picture is printed with its size; look at every one before committing it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

PASSWORD = "semarang-hebat-2026"  # the documented demo password, not a secret
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The browser's own controls (file picker, date fields) in Indonesian too, as on a civil servant's computer;
# needs Debian's chromium-l10n, else they stay in English.
BROWSER_ENV = {"LANGUAGE": "id", "LANG": "id_ID.UTF-8"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
IMG = Path(__file__).resolve().parent / "img"

# From seed_demo --scale city (seed 3374): a pelaksana of Kecamatan Tembalang and the Lurah of Rowosari.
EMPLOYEE_NIP = "199803272023102001"
LURAH_ROWOSARI_NIP = "197109282003062002"
HEADER = "nip;nama;unit_kode;jabatan_kode;atasan_nip;email;telepon;status"
ROWS = [
    "199604122021032007;Dewi Lestari, S.E.;33.74.10.1002;33.74.10.1002-PENGADM;{lurah};"
    "dewi.lestari@semarangkota.go.id;081234567801;aktif",
    # Row 3 of the file: the birth-date segment 1993-13-30 does not exist.
    "{agus};Agus Prasetyo;33.74.10.1002;33.74.10.1002-TRANTIB;{lurah};"
    "agus.prasetyo@semarangkota.go.id;081234567802;aktif",
    "199801052023212003;Nur Aini, A.Md.;33.74.10.1002;33.74.10.1002-PETUGAS-PEL;{lurah};"
    "nur.aini@semarangkota.go.id;081234567803;aktif",
]


def csv_file(folder: Path, name: str, agus_nip: str) -> Path:
    lines = [HEADER] + [row.format(lurah=LURAH_ROWOSARI_NIP, agus=agus_nip) for row in ROWS]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Shooter:
    def __init__(self, browser: Browser, base: str) -> None:
        self.browser = browser
        self.base = base.rstrip("/")

    @contextmanager
    def session(self, username: str | None, viewport: dict[str, int] = DESKTOP) -> Iterator[Page]:
        context = self.browser.new_context(viewport=viewport, locale="id-ID")  # type: ignore[arg-type]
        page = context.new_page()
        if username:
            self.login(page, username)
        try:
            yield page
        finally:
            context.close()

    def go(self, page: Page, path: str) -> None:
        page.goto(self.base + path)
        page.wait_for_load_state("networkidle")

    def login(self, page: Page, username: str, password: str = PASSWORD) -> None:
        self.go(page, "/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click(".login-card form button[type=submit]")
        page.wait_for_load_state("networkidle")

    def shot(
        self,
        page: Page,
        name: str,
        *,
        selector: str | None = None,
        clip: dict[str, float] | None = None,
        full_page: bool = False,
    ) -> None:
        path = IMG / f"{name}.png"
        if selector:
            page.locator(selector).first.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=full_page, clip=clip)  # type: ignore[arg-type]
        print(f"{path.relative_to(IMG.parent)}  {path.stat().st_size // 1024} KB")


def take_all(s: Shooter, tmp: Path) -> None:
    # --- masuk -------------------------------------------------------------------------------------
    with s.session(None) as page:
        s.go(page, "/akun/masuk/")
        s.shot(page, "01-masuk")
        s.login(page, "nama.keliru", "salah")
        s.shot(page, "02-masuk-gagal", selector=".login-card")
        for _attempt in range(4):  # five failures in all lock the name for this device
            s.login(page, "nama.keliru", "salah")
        s.shot(page, "04-akun-terkunci", selector=".login-card")
    with s.session(None, PHONE) as page:
        s.go(page, "/akun/masuk/")
        s.shot(page, "03-masuk-ponsel")

    # --- beranda per peran --------------------------------------------------------------------------
    with s.session("admin") as page:
        s.shot(page, "10-beranda-admin")
    with s.session("camat.tembalang") as page:
        s.shot(page, "11-beranda-camat")
    with s.session("atasan") as page:
        s.shot(page, "12-beranda-atasan")
    with s.session("eksekutif") as page:
        s.shot(page, "15-beranda-eksekutif")
    with s.session("pegawai", PHONE) as page:
        s.shot(page, "13-beranda-pegawai-ponsel", full_page=True)
        page.get_by_role("link", name="Ubah kontak saya").click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "14-ubah-kontak-ponsel", full_page=True)

    # --- pegawai: cari, lihat, ubah (camat) --------------------------------------------------------
    with s.session("camat.tembalang") as page:
        s.go(page, "/pegawai/?q=sari")
        s.shot(page, "20-daftar-pegawai-cari")
        s.go(page, f"/pegawai/{EMPLOYEE_NIP}/")
        s.shot(page, "22-detail-pegawai")
        s.go(page, f"/pegawai/{EMPLOYEE_NIP}/ubah/")
        page.fill("#id_email", "alika.melinda@semarangkota")
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "23-ubah-pegawai-galat", selector=".card:has(form)")
    with s.session("camat.tembalang", PHONE) as page:
        s.go(page, "/pegawai/?q=sari")
        s.shot(page, "21-daftar-pegawai-ponsel")

    # --- pindah, tambah, unit, impor, audit (admin) ------------------------------------------------
    with s.session("admin") as page:
        s.go(page, f"/pegawai/{EMPLOYEE_NIP}/ubah/")
        with page.expect_response(lambda r: "pilihan-jabatan" in r.url):
            page.select_option("#id_unit", "33.74.10.1002")
        page.select_option("#id_position", "33.74.10.1002-PENGADM")
        page.fill("#id_supervisor_nip", LURAH_ROWOSARI_NIP)
        s.shot(page, "24-pindah-pegawai", selector=".card:has(form)")
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "25-riwayat-pegawai", selector=".card:has-text('Riwayat unit dan jabatan')")
        page.get_by_role("link", name="Buka di jejak audit").click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "51-jejak-audit-pegawai")

        s.go(page, "/pegawai/baru/")
        with page.expect_response(lambda r: "cek-nip" in r.url and "1990" in r.url):
            page.fill("#id_nip", "199005172015032004")
        page.wait_for_timeout(300)
        s.shot(page, "26-tambah-pegawai")
        with page.expect_response(lambda r: "cek-nip" in r.url and "199013" in r.url):
            page.fill("#id_nip", "199013172015032004")
        page.wait_for_timeout(300)
        s.shot(page, "27-tambah-pegawai-nip-salah", selector="div.mb-3:has(#id_nip)")

        s.go(page, "/unit/")
        s.shot(page, "30-struktur-unit")
        s.go(page, "/unit/?q=tembalang")
        s.shot(page, "31-struktur-unit-cari")
        s.go(page, "/unit/33.74.10/")
        s.shot(page, "32-detail-unit")

        s.go(page, "/impor/")
        s.shot(page, "40-impor")
        page.set_input_files("#id_file", str(csv_file(tmp, "pegawai-rowosari.csv", "199313302019021011")))
        page.click("form[action$='unggah/'] button[type=submit]")
        page.wait_for_selector("text=Berkas tidak dapat diimpor", timeout=30_000)
        s.shot(page, "41-impor-galat")

        s.go(page, "/impor/")
        page.set_input_files(
            "#id_file", str(csv_file(tmp, "pegawai-rowosari-perbaikan.csv", "199309302019021011"))
        )
        page.click("form[action$='unggah/'] button[type=submit]")
        page.wait_for_selector("text=Terapkan impor", timeout=30_000)
        s.shot(page, "42-impor-pratinjau")
        page.click("text=Terapkan impor")
        page.wait_for_selector("text=Impor selesai", timeout=60_000)
        s.shot(page, "43-impor-selesai")

        s.go(page, "/audit/")
        s.shot(page, "50-jejak-audit")

    # --- bahasa Inggris ----------------------------------------------------------------------------
    with s.session("camat.tembalang") as page:
        page.click("#language-menu")
        page.wait_for_selector("button[name=language][value=en]", state="visible")
        s.shot(page, "60-pilih-bahasa", clip={"x": 640, "y": 0, "width": 640, "height": 150})
        page.click("button[name=language][value=en]")
        page.wait_for_load_state("networkidle")
        s.shot(page, "61-bahasa-inggris")
        page.click("#language-menu")
        page.click("button[name=language][value=id]")  # leave the account in Indonesian


def take_later_chapters(s: Shooter) -> None:
    """Chapters 16–26: complaints, SKM, development, evaluation, talent, nudges, planning, impact, dashboards,
    reports. These pages are only looked at, except that one quarterly report is requested (chapter 26)."""
    with s.session(None, PHONE) as page:
        s.go(page, "/pengaduan/baru/")
        s.shot(page, "70-pengaduan-formulir-ponsel", full_page=True)
    with s.session("pengaduan") as page:
        s.go(page, "/meja-pengaduan/")
        s.shot(page, "72-meja-pengaduan")
        page.locator("main table tbody a").first.click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "73-pengaduan-detail")
        s.go(page, "/meja-pengaduan/angka/")
        s.shot(page, "74-pengaduan-angka")
    with s.session("admin") as page:
        s.go(page, "/ikm/")
        s.shot(page, "80-ikm")
        s.go(page, "/ikm/tren/")
        s.shot(page, "81-ikm-tren")
        s.go(page, "/evaluasi/hasil/")
        s.shot(page, "92-evaluasi-hasil")
        s.go(page, "/talenta/")
        s.shot(page, "93-kotak-talenta")
        s.go(page, "/perencanaan/skenario/")
        page.locator("main a[href*='/perencanaan/hasil/']").first.click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "96-skenario-hasil")
        s.go(page, "/dampak/")
        page.locator("main a[href*='/dampak/program/']").first.click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "97-dampak-program")
    with s.session("pegawai") as page:
        s.go(page, "/pengembangan/saya/")
        s.shot(page, "90-rencana-pengembangan")
        s.go(page, "/pengembangan/rekomendasi/")
        s.shot(page, "91-rekomendasi")
        s.go(page, "/talenta/pendidikan/")
        s.shot(page, "94-pendidikan-lanjut")
        s.go(page, "/pengingat/preferensi/")
        s.shot(page, "95-pengingat-preferensi")
    with s.session(None, PHONE) as page:
        s.go(page, "/transparansi/")
        s.shot(page, "98-transparansi", full_page=True)
    # --- dasbor dan laporan resmi (the report request adds one entry to the archive) --------------------
    with s.session("eksekutif") as page:
        s.go(page, "/dasbor/eksekutif/")
        s.shot(page, "100-dasbor-pimpinan")
    with s.session("admin") as page:
        s.go(page, "/dasbor/bkpp/")
        s.shot(page, "101-dasbor-bkpp")
    with s.session("camat.tembalang") as page:
        s.go(page, "/dasbor/unit/")
        s.shot(page, "102-dasbor-camat")
        page.locator("main a[href*='/dasbor/rincian/tiket/']").first.click()
        page.wait_for_load_state("networkidle")
        s.shot(page, "103-dasbor-rincian")
        s.go(page, "/laporan/minta/")
        s.shot(page, "104-laporan-minta")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector("text=Unduh PDF", timeout=60_000)
        s.shot(page, "105-laporan-selesai")
    with s.session("camat.tembalang", PHONE) as page:
        s.go(page, "/dasbor/unit/")
        s.shot(page, "106-dasbor-camat-ponsel")


def main() -> None:
    global IMG
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8321")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--later-only", action="store_true", help="only chapters 16–26 (they change no data)")
    parser.add_argument(
        "--out", type=Path, default=IMG, help="folder for the pictures (default docs/panduan/img)"
    )
    args = parser.parse_args()
    IMG = args.out
    IMG.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=CHROMIUM_ARGS, env={**os.environ, **BROWSER_ENV}
        )
        try:
            shooter = Shooter(browser, args.base)
            if not args.later_only:
                take_all(shooter, Path(tmp))
            take_later_chapters(shooter)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
