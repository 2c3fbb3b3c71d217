"""Every staff-facing word the console builds in code, in Bahasa Indonesia, in one place.

Templates hold the page text; this module holds the words code picks (statuses, flags,
messages), so a translation (or a krama version) touches these two places only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")

NAV = (
    ("console.fleet", "Armada"),
    ("console.demand", "Permintaan"),
    ("console.skm", "SKM / IKM"),
    ("console.complaints", "Pengaduan"),
    ("console.truth", "Kebenaran katalog"),
)
NAV_ADMIN = (("console.settings_page", "Pengaturan"),)

ROLES = {"admin": "Admin", "petugas": "Petugas pengaduan", "pimpinan": "Pimpinan (baca saja)"}

FLEET_STATUS = {
    "online": "Menyala",
    "degraded": "Perlu dicek",
    "offline": "Mati / tidak melapor",
    "never": "Belum pernah melapor",
}
PROBLEMS = {
    "sync_failed": "Sinkronisasi terakhir gagal",
    "printer_no_paper": "Kertas printer habis",
    "printer_offline": "Printer tidak tersambung",
    "paper_low": "Kertas hampir habis",
    "disk_low": "Ruang penyimpanan hampir penuh",
    "hot": "Suhu terlalu panas",
    "under_voltage": "Daya listrik kurang (under-voltage)",
    "clock_behind": "Jam kios mundur",
    "clock_unknown": "Jam kios belum pasti",
    "backlog": "Banyak data belum terkirim",
}
PRINTER_STATE = {
    "ok": "Baik",
    "no_paper": "Kertas habis",
    "paper_low": "Kertas hampir habis",
    "offline": "Tidak tersambung",
    "none": "Tidak ada printer",
}

COMPLAINT_STATUS = {
    "diterima": "Diterima",
    "diverifikasi": "Diverifikasi",
    "diteruskan": "Diteruskan",
    "ditindaklanjuti": "Ditindaklanjuti",
    "selesai": "Selesai",
    "ditolak": "Ditolak",
    "bukan_wewenang": "Bukan wewenang",
}
COMPLAINT_CATEGORY = {
    "pelayanan_kecamatan": "Pelayanan kecamatan",
    "dukcapil": "Dukcapil (KTP, KK, akta)",
    "info_kios_salah": "Informasi di kios salah",
    "kios_rusak": "Kios rusak",
    "lainnya": "Lainnya",
}

METRICS = {
    "view": "Dilihat",
    "slip_button": "Cetak (tombol)",
    "slip_site": "Cetak (dari HP)",
    "feedback_sesuai": "Jawaban 'sesuai'",
    "feedback_kurang": "Jawaban 'kurang'",
}

RESPONDENT = {
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Usia",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
}
NOT_STATED = "Tidak diisi"
SMALL_COUNT = "< 5"

PERIOD_KIND = {
    "triwulan": "Triwulan",
    "semester": "Semester",
    "tahun": "Tahun",
    "custom": "Rentang tanggal",
}
NUMBERING = {
    "peraturan": "Urutan peraturan (U8 Penanganan pengaduan, U9 Sarana)",
    "kuesioner": "Urutan kuesioner contoh (U8 Sarana, U9 Penanganan pengaduan)",
}

SETTINGS = {
    "complaint_deadline_days": "Batas waktu menjawab pengaduan (hari kerja)",
    "contact_retention_days": "Kontak pelapor dihapus sekian hari setelah pengaduan ditutup",
    "unsur_numbering": "Penomoran unsur SKM di laporan",
    "report_interval_minutes": "Jadwal lapor kios (menit); 3 kali terlewat = mati",
}

MSG = {
    "login_failed": "Nama pengguna atau kata sandi salah.",
    "login_throttled": "Terlalu banyak percobaan gagal. Coba lagi 15 menit lagi.",
    "login_needed": "Silakan masuk dulu.",
    "logged_out": "Anda sudah keluar.",
    "forbidden": "Peran Anda tidak boleh melakukan ini.",
    "csrf": "Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "status_changed": "Status pengaduan {ticket} diubah menjadi {status}.",
    "saved": "Perubahan disimpan.",
    "bad_move": "Status tidak dapat diubah dari {old} ke {new}.",
    "published": "Status dan jawaban pengaduan diterbitkan ke kios (versi {version}).",
    "publish_failed": "Gagal menerbitkan: {error}",
    "bad_number": "Isi angka bulat 0 atau lebih.",
    "bad_date": "Tanggal tidak sah.",
}


def ago(then: datetime | None, now: datetime) -> str:
    """'3 jam lalu': how long ago, in the largest whole unit."""
    if then is None:
        return "belum pernah"
    seconds = max(int((now - then).total_seconds()), 0)
    for size, unit in ((86400, "hari"), (3600, "jam"), (60, "menit")):
        if seconds >= size:
            return f"{seconds // size} {unit} lalu"
    return "baru saja"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def when(value: datetime | None) -> str:
    """'2 Des 2026 11:05 WIB': a UTC time as the kecamatan's clock shows it."""
    if value is None:
        return "-"
    local = value.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M} WIB"


def when_iso(value: str | None) -> str:
    """A time the kiosk reported as ISO text; shown as given when it cannot be read."""
    if not value:
        return "-"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return when(parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB))


def day(value: date | None) -> str:
    if value is None:
        return "-"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
