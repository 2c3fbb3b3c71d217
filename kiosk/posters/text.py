"""Every word a resident reads on a poster or social image, in one place.

Plain Bahasa Indonesia: short sentences, everyday words. A Javanese (krama)
version is planned; it will be a second table with the same names.
Placeholders in braces are filled by kiosk/posters/layout.py.
"""

KIOSK_LABEL = "KIOS INFORMASI LAYANAN"
TITLE = "Balai Desa {desa}"
PLACE = "Kecamatan {kecamatan}, Kabupaten {kabupaten}"
ONE_LINER = "Cek persyaratan sebelum ke kecamatan — gratis, tanpa kuota"

STEP1_HEADING = "Sambungkan Wi-Fi"
STEP1_HINT = "Arahkan kamera HP ke kode ini."
SSID_LABEL = "Nama Wi-Fi:"
PASSWORD_LABEL = "Kata sandi: {password}"
NO_PASSWORD = "Tanpa kata sandi"

STEP2_HEADING = "Buka halaman kios"
STEP2_HINT = "Pindai kode ini, atau ketik alamatnya."
ADDRESS_LABEL = "Alamat:"

NOT_OPENING_HEADING = "Halaman tidak terbuka sendiri?"
NOT_OPENING_STEPS = (
    "Matikan data seluler di HP Anda.",
    "Jika HP bilang Wi-Fi ini tanpa internet, pilih tetap tersambung.",
    "Buka Chrome atau browser lain. Ketik {address} lalu tekan Enter.",
)

PRINT_HEADING = "Butuh daftar persyaratan di kertas?"
PRINT_HINT = (
    "Tekan tombol di mesin kios, atau tombol Cetak di halaman layanan. "
    "Kertasnya keluar di kios ini. Gratis."
)

CONTACT_HEADING = "Tanya atau mengadu"
CONTACT_LINE = "{label}: {value}"
ADDRESS_LINE = "Alamat: {address}"
CONTACT_UNKNOWN = "Nomor telepon kecamatan: tanyakan di kantor desa."

# Social image (square), same steps, shorter words.
SOCIAL_STEP1 = "1. Sambungkan Wi-Fi"
SOCIAL_STEP2 = "2. Buka halaman kios"
SOCIAL_STEP3 = "Dari rumah"
SOCIAL_FOOTER = "Datang ke balai desa, sambungkan HP ke Wi-Fi kios. Tanpa kuota."
