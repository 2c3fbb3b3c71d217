"""Every word a resident reads on a slip, in one place (a Javanese krama version is planned).

Plain Bahasa Indonesia, short sentences. Placeholders in braces are filled by layout.py.
"""

KECAMATAN = "KECAMATAN {name}"
BALAI_DESA = "Balai Desa {name}"
BRING = "Yang harus dibawa:"
STEPS = "Langkah:"
WHERE = "Tempat:"
HOURS = "Jam buka:"
HOURS_OF = "Jam buka {office}:"
TIME = "Waktu: {time}"
FEE = "Biaya: {fee}"
FREE = "GRATIS"
PRODUCT = "Hasil: {product}"
IMPORTANT = "Penting: {notice}"
CHECKED = "Diperiksa {date}."
NOT_CONFIRMED = "Belum dipastikan kecamatan. Tanyakan lagi di kantor."
SCAN_KIOSK = "Buka di HP (Wi-Fi {ssid}):"
SCAN_PUBLIC = "Buka dari internet:"
TICK_HINT = "Centang [v] yang sudah siap."

INDEX_TITLE = "Daftar layanan"
INDEX_HINT = "Sebut nomornya ke petugas desa, atau buka daftar lengkap di HP:"

SURVEY = "Sudah dilayani? Isi survei kepuasan di HP: {url}"
TICKET_TITLE = "Kode pengaduan"
TICKET_HINT = "Simpan kertas ini. Jawaban kecamatan bisa dicek di HP (Wi-Fi {ssid}):"
