"""Every word kecamatan staff read in the catalog editor, in plain Bahasa Indonesia.

One place for this surface (the console's own words live with the console). Problem
messages are keyed by the validator's problem code (kiosk/catalog/load.py); a few fields
get their own sentence because a general one would not say what to type.
"""

FIELD_LABELS = {
    "id": "Kode layanan",
    "name": "Nama",
    "summary": "Ringkasan",
    "category": "Kategori",
    "program": "Program",
    "served_by": "Diterbitkan oleh",
    "audience": "Untuk",
    "requirements": "Persyaratan",
    "document": "Dokumen",
    "copy": "Asli/fotokopi",
    "count": "Jumlah lembar",
    "when": "Berlaku jika",
    "note": "Catatan",
    "steps": "Langkah",
    "at": "Tempat",
    "text": "Keterangan",
    "time": "Waktu penyelesaian",
    "fee": "Biaya",
    "fee_note": "Keterangan biaya",
    "product": "Hasil (produk)",
    "legal_basis": "Dasar hukum",
    "keywords": "Kata kunci pencarian",
    "notice": "Pemberitahuan penting",
    "review": "Pemeriksaan",
    "checked": "Tanggal diperiksa",
    "confirmed": "Sudah dipastikan",
    "confirmed_by": "Dipastikan oleh",
    "source": "Sumber",
    "notes": "Catatan teknisi",
    "address": "Alamat",
    "hours": "Jam buka",
    "days": "Hari",
    "contacts": "Kontak",
    "label": "Keterangan",
    "value": "Isi",
    "placeholder": "Masih contoh",
    "main_office": "Kantor utama",
    "offices": "Kantor",
    "villages": "Desa",
    "code": "Kode Kemendagri",
}

PROBLEMS = {
    "missing": "Wajib diisi.",
    "not_text": "Wajib diisi.",
    "unknown_field": "Kolom ini tidak dikenal (salah ketik di berkas YAML?).",
    "not_mapping": "Isi berkas ini tidak berbentuk daftar kolom; minta teknisi memeriksanya.",
    "bad_id": "Kode «{value}» tidak bisa dipakai: gunakan huruf kecil, angka dan tanda -, "
    "misalnya ktp-el-baru.",
    "bad_int": "Isi dengan angka bulat, misalnya 1 atau 2 (sekarang: «{value}»).",
    "bad_fee": "Isi biaya dalam rupiah, angka saja (0 berarti gratis), atau centang "
    "«belum pasti» (sekarang: «{value}»).",
    "bad_bool": "Pilih ya atau tidak.",
    "bad_date": "Tanggal «{value}» tidak dikenal; tulis seperti 2026-12-31.",
    "not_list": "Harus berupa daftar.",
    "empty_list": "Isi paling sedikit satu.",
    "bad_choice": "Pilihan «{value}» tidak dikenal; pilih dari daftar.",
    "count_min": "Jumlah paling sedikit 1.",
    "id_filename": "Kode layanan harus sama dengan nama berkasnya.",
    "duplicate": "Kode «{value}» sudah dipakai; pilih kode lain.",
    "unknown_category": "Kategori «{value}» belum ada; pilih kategori yang ada.",
    "unknown_office": "Kantor «{value}» belum ada di daftar kantor; pilih kantor yang ada.",
    "no_services": "Belum ada layanan sama sekali.",
    "file_missing": "Berkas ini tidak ada.",
    "not_utf8": "Berkas ini bukan teks UTF-8; minta teknisi memeriksanya.",
    "yaml_syntax": "Berkas ini rusak (salah tulis YAML); minta teknisi memeriksanya.",
    "not_folder": "Folder katalog tidak ditemukan.",
}
PROBLEM_FALLBACK = "Ada yang salah di sini."  # a code this table does not know yet

# field (its last part) + code → a sentence that says exactly what to type
FIELD_PROBLEMS = {
    ("fee", "missing"): "Isi biaya (0 berarti gratis), atau centang «belum pasti».",
    ("confirmed_by", "missing"): "Tulis siapa yang memastikan (nama dan jabatan).",
    ("requirements", "empty_list"): "Tulis paling sedikit satu persyaratan.",
    ("steps", "empty_list"): "Tulis paling sedikit satu langkah.",
}

COPY_CHOICES = {"asli": "Asli", "fotokopi": "Fotokopi", "asli-dan-fotokopi": "Asli + fotokopi"}
PROGRAM_CHOICES = {"paten": "PATEN (layanan kecamatan)", "adminduk": "Adminduk (Dukcapil)"}
AUDIENCE_CHOICES = {"warga": "Warga", "pemerintah-desa": "Pemerintah desa"}

SAVED = "Tersimpan. Belum terbit: kios baru menampilkannya setelah diterbitkan."
NOT_SAVED = "Belum disimpan: perbaiki {count} kesalahan yang ditandai."
CONFLICT = (
    "Belum disimpan: berkas {name} diubah orang lain (atau langsung di berkasnya) sejak "
    "formulir ini dibuka. Isian Anda masih ada di bawah. Buka ulang halaman ini untuk melihat "
    "versi terbaru, lalu masukkan lagi perubahan Anda."
)
CONFIRMED = "Layanan ini ditandai sudah dicek. Terbitkan supaya tanda «belum dipastikan» hilang."
UNCONFIRMED = "Tanda «sudah dicek» dicabut."
CONFIRM_NEEDS = "Tulis sumber pengecekan (petugas atau peraturan) dulu."
PUBLISHED = "Katalog versi {version} sudah terbit. Kios mengambilnya saat sinkron berikutnya."
ROLLED_BACK = "Isi katalog versi {source} terbit lagi sebagai versi {version}."
WRONG_PASSPHRASE = "Kata sandi kunci salah. Tidak ada yang diterbitkan."
NEEDS_PASSPHRASE = "Ketik kata sandi kunci penerbitan."
CANNOT_PUBLISH = "Belum bisa terbit: katalog masih punya {count} kesalahan."
ONLY_ADMIN = "Hanya admin yang boleh menerbitkan katalog."
CREATED = "Layanan baru dibuat dari salinan. Ubah isinya, lalu pastikan dan terbitkan."
BAD_NEW_ID = (
    "Kode «{value}» tidak bisa dipakai: gunakan huruf kecil, angka dan tanda -, "
    "dan jangan kode yang sudah ada."
)
KEY_NOT_PROTECTED = (
    "Kunci penerbitan di komputer hub belum dilindungi kata sandi, jadi konsol tidak "
    "menerbitkan. Minta teknisi menjalankan: kiosk hub encrypt-key --hub <folder hub>."
)
NOTHING_CHANGED = "Tidak ada perubahan sejak versi {version}; tidak ada yang diterbitkan."


def when_wib(iso: str) -> str:
    """An ISO 8601 UTC time as staff read it: ``2 Desember 2026 11.45 WIB``."""
    from datetime import datetime, timedelta, timezone

    from ...indonesian import format_date

    moment = datetime.fromisoformat(iso).astimezone(timezone(timedelta(hours=7)))
    return f"{format_date(moment.date())} {moment:%H.%M} WIB"
