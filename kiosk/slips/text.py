"""Every word a resident reads on a slip, in one place (a Javanese krama version is planned).

Plain Bahasa Indonesia, short sentences. Placeholders in braces are filled by layout.py.
"""

HEADER = "Kecamatan {kecamatan} - Balai Desa {village}"
BRING = "Yang harus dibawa:"
IMPORTANT = "Penting: {notice}"

# Original or copy, as a short mark after each document ("KTP-el (FC)").
COPY_MARK = {"asli": "asli", "fotokopi": "FC", "asli-dan-fotokopi": "asli + FC"}
COUNT = "{count} lembar"
COPY_LEGEND = "FC = fotokopi."

FEE_TIME = "Biaya: {fee}. Waktu: {time}."
FREE = "GRATIS"
WHERE = "Tempat: {office}."
HOURS = "Buka: {hours}."
HOURS_UNKNOWN = "Tanyakan jam buka di kantor desa."
NOT_CONFIRMED = "Belum dipastikan kecamatan: tanyakan lagi di kantor."
SCAN_KIOSK = "Langkah dan info lengkap di HP (Wi-Fi {ssid}):"
SCAN_PUBLIC = "Dari internet:"

INDEX_TITLE = "Daftar layanan"
INDEX_HINT = "Sebut nomornya ke petugas desa."
INDEX_MORE = "+ {count} layanan lain: lihat di HP"
INDEX_SCAN = "Daftar lengkap di HP (Wi-Fi {ssid}):"

SURVEY = "Sudah dilayani? Isi survei kepuasan di HP: {url}"
TICKET_TITLE = "Kode pengaduan"
TICKET_HINT = "Simpan kertas ini. Jawaban kecamatan bisa dicek di HP (Wi-Fi {ssid}):"
