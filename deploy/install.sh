#!/usr/bin/env bash
# Pelita Kiosk installer: a fresh Raspberry Pi OS Lite (Bookworm or Trixie,
# 32- or 64-bit) becomes a kiosk with hotspot, captive portal, printer and sync.
#
#   sudo deploy/install.sh --village kemlagi [options]     install or finish an install
#   deploy/install.sh --dry-run [options]                  print every change, touch nothing
#   deploy/install.sh --root DIR [options]                 lay the files into DIR (tests, images)
#   sudo deploy/install.sh --uninstall                     remove it (keeps /var/lib/kiosk, /etc/kiosk)
#   sudo deploy/install.sh --self-test                     only the final check
#
# Re-run it until it ends with all ✓: every step checks before it acts.
# Run with --help for every option. Messages are in Indonesian for the
# kecamatan technicians; comments are in English for developers.
set -euo pipefail

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$SELF_DIR/.." && pwd)

# ---------------------------------------------------------------- settings --
VILLAGE=""
SSID=""
WIFI_PASSWORD=""
WIFI_PASSWORD_SET=0
HUB_URL=""
REPORT_URL=""
ENROLL_CODE=""
TRUST_ROOT_SRC=""
COUNTRY="ID"
CHANNEL="6"
WIFI_IFACE="wlan0"
WIRED_HOTSPOT=0
PORTAL_ADDRESS="10.42.0.1"
PRINTER_TYPE=""
PRINTER_DEVICE=""
PRINTER_USB=""
PRINTER_HOST=""
PAPER_WIDTH="58"
LED_PIN="0"
BUTTONS=()
WHEELHOUSE=""
READ_ONLY_ROOT=0
DATA_LABEL="kioskdata"
WATCHDOG=1
SSH_ON_HOTSPOT=0
DRY_RUN=0
ROOT=""
ASSUME_YES=0
FORCE=0
MODE="install"
CONFIG_FLAGS=0

CONFIG_FILE=/etc/kiosk/kiosk.toml
TRUST_ROOT=/usr/share/kiosk/trust/root.json
VENV=/opt/kiosk/venv
STATE_DIR=/var/lib/kiosk
UNIT_DIR=/etc/systemd/system
AP_NAME=kiosk-ap
WATCHDOG_MARK="# Pelita Kiosk: hardware watchdog (deploy/install.sh)"
BACKUP_DIR=/var/backups/pelita-kiosk
# A fixed UUID: there is one hotspot profile per kiosk, and re-runs must
# rewrite the same profile, not add a second one.
AP_UUID=6d1f4b7e-5c3a-4e0b-9a51-7e1b0c2f3a10
UNITS=(kiosk-web.socket kiosk-web.service kiosk-printer.service kiosk-sync.service
    kiosk-sync.timer kiosk-usb-sync@.service kiosk-guard.service)
ENABLE_UNITS=(kiosk-guard.service kiosk-web.socket kiosk-web.service kiosk-printer.service
    kiosk-sync.timer)
# Only what the venv (--system-site-packages) really uses from Debian: pip fetches the
# rest as pure-Python wheels (tuf, securesystemslib>=1, urllib3>=2, python-escpos), so
# Debian's older python3-securesystemslib/python3-urllib3 would only be shadowed.
APT_PACKAGES=(network-manager dnsmasq-base nftables iw curl python3 python3-venv python3-pip
    python3-flask python3-waitress python3-segno python3-yaml python3-tomli-w
    python3-cryptography python3-serial python3-usb python3-pil python3-qrcode
    python3-six python3-appdirs)
# Raspberry Pi OS only (archive.raspberrypi.com): lgpio, and gpiozero 2.x (the lgpio
# pin factory). Plain Debian lacks python3-lgpio and has gpiozero 1.6, which pip shadows.
APT_PACKAGES_PI=(python3-lgpio python3-gpiozero)

usage() {
    cat <<'EOF'
Pemakaian: sudo deploy/install.sh [pilihan]

Pengaturan kios (tanpa pilihan ini, ditanya bila ada layar/keyboard):
  --village ID            id desa, mis. kemlagi, watesprojo (wajib pada pemasangan pertama)
  --ssid NAMA             nama Wi-Fi (bawaan: "Info Desa <Desa>")
  --wifi-password SANDI   sandi WPA2, 8-63 huruf; kosong = Wi-Fi terbuka (disarankan)
  --hub-url URL           alamat hub katalog kecamatan (kosong = hanya lewat USB)
  --report-url URL        alamat laporan ke hub (bawaan: dari --hub-url http://HUB:8090/public/
                          menjadi http://HUB:8090/api/reports; kosong = laporan lewat USB)
  --enroll KODE           daftarkan kios ke kecamatan dengan kode sekali-pakai dari
                          'kiosk hub enroll DESA'; '--enroll -' = ketik kode saat ditanya
                          (tidak tersimpan di riwayat shell, disarankan)
  --trust-root FILE       root.json kunci kecamatan; tanpa ini sinkronisasi tidak aktif
  --country KODE          kode negara Wi-Fi (bawaan ID)
  --channel N             kanal 2,4 GHz: 1, 6 atau 11 (bawaan 6)
  --wifi-iface NAMA       antarmuka hotspot (bawaan wlan0)
  --wired-hotspot         hotspot lewat kabel LAN: access point/router Wi-Fi luar dicolok
                          ke --wifi-iface (mis. eth0), untuk aula dengan banyak HP
  --printer JENIS         file | usb | serial | network | folder | dummy (bawaan file)
  --printer-device PATH   file: bawaan /dev/usb/lp0; serial: bawaan /dev/serial0
  --printer-usb VID:PID   usb: mis. 0416:5011 (lihat lsusb)
  --printer-host HOST[:PORT]  network: alamat printer (port bawaan 9100)
  --paper-width 58|80     lebar kertas dalam mm (bawaan 58)
  --button PIN:LAYANAN    tombol fisik, mis. 17:ktp-el-baru (boleh diulang)
  --led-pin N             pin GPIO lampu status (bawaan 0 = tidak ada)

Pemasangan:
  --wheelhouse DIR        pasang paket Python dari folder ini (tanpa internet)
  --read-only-root        SD card hanya-baca (overlay) + partisi data LABEL=kioskdata
  --data-label LABEL      label partisi data (bawaan kioskdata)
  --no-watchdog           jangan pasang watchdog perangkat keras
  --ssh-on-hotspot        izinkan SSH dari hotspot (bawaan: ditolak)
  --yes                   jangan bertanya apa pun
  --force                 lanjut walau papan/OS tidak didukung

Mode:
  --dry-run               tampilkan semua perubahan, tidak mengubah apa pun
  --root DIR              tulis berkas ke DIR (untuk uji dan image), perintah hanya ditampilkan
  --uninstall             copot kios (data di /var/lib/kiosk dan /etc/kiosk tetap)
  --self-test             hanya jalankan uji mandiri
  --overlay-off           matikan SD hanya-baca (berlaku setelah reboot)
  -h, --help              bantuan ini
EOF
}

die() {
    echo "Error: $*" >&2
    exit 2
}

ORIG_ARGS=("$@")
# The same, with an enrollment code hidden: for the log and for messages.
SHOWN_ARGS=()
for ((i = 0; i < ${#ORIG_ARGS[@]}; i++)); do
    SHOWN_ARGS+=("${ORIG_ARGS[i]}")
    if [[ ${ORIG_ARGS[i]} == --enroll && $((i + 1)) -lt ${#ORIG_ARGS[@]} ]]; then
        SHOWN_ARGS+=("****")
        i=$((i + 1))
    fi
done

need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 perlu nilai (lihat --help)"; }

while [[ $# -gt 0 ]]; do
    case $1 in
    --village) need_value "$@"; VILLAGE=$2; CONFIG_FLAGS=1; shift ;;
    --ssid) need_value "$@"; SSID=$2; CONFIG_FLAGS=1; shift ;;
    --wifi-password) [[ $# -ge 2 ]] || die "--wifi-password perlu nilai"
        WIFI_PASSWORD=$2; WIFI_PASSWORD_SET=1; CONFIG_FLAGS=1; shift ;;
    --hub-url) need_value "$@"; HUB_URL=$2; CONFIG_FLAGS=1; shift ;;
    --report-url) need_value "$@"; REPORT_URL=$2; CONFIG_FLAGS=1; shift ;;
    --enroll) need_value "$@"; ENROLL_CODE=$2; shift ;;
    --trust-root) need_value "$@"; TRUST_ROOT_SRC=$2; shift ;;
    --country) need_value "$@"; COUNTRY=$2; shift ;;
    --channel) need_value "$@"; CHANNEL=$2; shift ;;
    --wifi-iface) need_value "$@"; WIFI_IFACE=$2; shift ;;
    --wired-hotspot) WIRED_HOTSPOT=1 ;;
    --printer) need_value "$@"; PRINTER_TYPE=$2; CONFIG_FLAGS=1; shift ;;
    --printer-device) need_value "$@"; PRINTER_DEVICE=$2; CONFIG_FLAGS=1; shift ;;
    --printer-usb) need_value "$@"; PRINTER_USB=$2; CONFIG_FLAGS=1; shift ;;
    --printer-host) need_value "$@"; PRINTER_HOST=$2; CONFIG_FLAGS=1; shift ;;
    --paper-width) need_value "$@"; PAPER_WIDTH=$2; CONFIG_FLAGS=1; shift ;;
    --button) need_value "$@"; BUTTONS+=("$2"); CONFIG_FLAGS=1; shift ;;
    --led-pin) need_value "$@"; LED_PIN=$2; CONFIG_FLAGS=1; shift ;;
    --wheelhouse) need_value "$@"; WHEELHOUSE=$2; shift ;;
    --read-only-root) READ_ONLY_ROOT=1 ;;
    --data-label) need_value "$@"; DATA_LABEL=$2; shift ;;
    --no-watchdog) WATCHDOG=0 ;;
    --ssh-on-hotspot) SSH_ON_HOTSPOT=1 ;;
    --yes | -y) ASSUME_YES=1 ;;
    --force) FORCE=1 ;;
    --dry-run) DRY_RUN=1 ;;
    --root) need_value "$@"; ROOT=$2; shift ;;
    --uninstall) MODE=uninstall ;;
    --self-test) MODE=selftest ;;
    --overlay-off) MODE=overlayoff ;;
    -h | --help) usage; exit 0 ;;
    *) die "pilihan tidak dikenal: $1 (lihat --help)" ;;
    esac
    shift
done

if [[ -n $ROOT ]]; then
    mkdir -p "$ROOT"
    ROOT=$(cd "$ROOT" && pwd)
    [[ $ROOT != / ]] || die "--root / tidak boleh; jalankan tanpa --root"
fi
# LIVE: change this machine. Otherwise commands are only printed, and files go
# into --root (or, with --dry-run alone, nowhere).
LIVE=1
[[ $DRY_RUN -eq 1 || -n $ROOT ]] && LIVE=0

# ----------------------------------------------------------------- output --
STEP=0
FAILS=0
step() {
    STEP=$((STEP + 1))
    printf '\n== %d. %s\n' "$STEP" "$*"
}
info() { printf '   %s\n' "$*"; }
plan() { printf '   [rencana] %s\n' "$*"; }
ok() { printf '   ✓ %s\n' "$*"; }
bad() {
    printf '   ✗ %s\n' "$*"
    FAILS=$((FAILS + 1))
}
warn() { printf '   ! %s\n' "$*"; }

# run CMD...: change the system (only when LIVE; otherwise print it).
run() {
    if [[ $LIVE -eq 1 ]]; then
        info "jalankan: ${*@Q}"
        "$@"
    else
        plan "jalankan: ${*@Q}"
    fi
}

# put_file PATH MODE OWNER:GROUP < content — write a file if its content differs.
put_file() {
    local path=$1 mode=$2 owner=$3 target content
    content=$(cat)
    content+=$'\n'
    target=$ROOT$path
    if [[ -f $target ]] && [[ "$(cat "$target")"$'\n' == "$content" ]]; then
        info "tetap: $path"
        [[ $LIVE -eq 1 ]] && chmod "$mode" "$target" && chown "$owner" "$target"
        return 0
    fi
    if [[ $DRY_RUN -eq 1 && -z $ROOT ]]; then
        plan "tulis $path ($mode $owner):"
        local line
        while IFS= read -r line; do
            # Do not print the Wi-Fi password into a terminal log.
            if [[ $line =~ ^(psk|wifi_password)\ ?=\ ?(.*)$ && ${BASH_REMATCH[2]} != '""' ]]; then
                line="${BASH_REMATCH[1]} = ********"
            fi
            printf '       | %s\n' "$line"
        done <<<"${content%$'\n'}"
        return 0
    fi
    mkdir -p "$(dirname "$target")"
    if [[ -f $target && $LIVE -eq 1 ]]; then
        # Backups go outside the config dirs: a copy left in dispatcher.d or
        # system-connections would be run or loaded as a second profile.
        mkdir -p "$BACKUP_DIR$(dirname "$path")"
        cp -p "$target" "$BACKUP_DIR$path"
        info "cadangan: $BACKUP_DIR$path"
    fi
    printf '%s' "$content" >"$target.tmp.$$"
    chmod "$mode" "$target.tmp.$$"
    [[ $LIVE -eq 1 ]] && chown "$owner" "$target.tmp.$$"
    mv -f "$target.tmp.$$" "$target"
    info "tulis: $path"
}

# copy_file SRC PATH MODE — install a file shipped in this repository.
copy_file() {
    put_file "$2" "$3" root:root <"$1"
}

# make_dir PATH MODE OWNER:GROUP
make_dir() {
    local path=$1 mode=$2 owner=$3
    if [[ $DRY_RUN -eq 1 && -z $ROOT ]]; then
        if [[ -d $path ]]; then info "tetap: $path/"; else plan "buat folder $path/ ($mode $owner)"; fi
        return 0
    fi
    mkdir -p "$ROOT$path"
    chmod "$mode" "$ROOT$path"
    [[ $LIVE -eq 1 ]] && chown "$owner" "$ROOT$path"
    info "folder: $path/"
}

remove_path() {
    local path=$1
    [[ -e $ROOT$path || -L $ROOT$path ]] || return 0
    if [[ $LIVE -eq 1 || -n $ROOT ]]; then
        # ROOT is empty on a live system and an absolute folder (never /) with --root.
        rm -rf -- "$ROOT$path"
        info "hapus: $path"
    else
        plan "hapus $path"
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

interactive() { [[ $ASSUME_YES -eq 0 && -t 0 && -t 1 ]]; }

ask() { # ask VAR "question" default
    local answer
    read -r -p "   $2 [$3]: " answer
    printf -v "$1" '%s' "${answer:-$3}"
}

# ------------------------------------------------------------- preflight --
preflight() {
    step "Pemeriksaan papan dan sistem"
    local model="" codename="" os_id="" arch="" mem_mb=0 problems=0
    [[ -r /proc/device-tree/model ]] && model=$(tr -d '\0' </proc/device-tree/model)
    if [[ -r /etc/os-release ]]; then
        # shellcheck disable=SC1091
        codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
        # shellcheck disable=SC1091
        os_id=$(. /etc/os-release && echo "${ID:-}")
    fi
    have dpkg && arch=$(dpkg --print-architecture)
    mem_mb=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null || echo 0)

    if [[ $model == *"Raspberry Pi"* ]]; then
        ok "papan: $model"
        case $model in
        *"Zero W"* | *"Model B Rev"* | *"Model A"* | *"Pi 2"*)
            warn "papan lama: Wi-Fi/RAM terbatas, yang diuji: Zero 2 W, 3B+, 4, 5" ;;
        esac
    else
        bad "papan: bukan Raspberry Pi (${model:-tidak diketahui}); kios hanya untuk Raspberry Pi"
        problems=1
    fi
    case $codename in
    bookworm | trixie) ok "sistem: ${os_id:-?} $codename" ;;
    *)
        bad "sistem: '${codename:-?}' tidak didukung; pakai Raspberry Pi OS Lite Bookworm atau Trixie"
        problems=1 ;;
    esac
    case $arch in
    arm64 | armhf) ok "arsitektur: $arch" ;;
    *)
        bad "arsitektur: '${arch:-?}' bukan arm64/armhf"
        problems=1 ;;
    esac
    if ((mem_mb >= 400)); then
        ok "memori: ${mem_mb} MB"
    else
        bad "memori: ${mem_mb} MB; perlu paling sedikit 512 MB"
        problems=1
    fi
    if [[ -d /sys/class/net/$WIFI_IFACE ]]; then
        ok "Wi-Fi: $WIFI_IFACE ada"
    else
        bad "Wi-Fi: antarmuka $WIFI_IFACE tidak ada"
        problems=1
    fi
    if have systemctl && systemctl is-active --quiet NetworkManager 2>/dev/null; then
        ok "NetworkManager berjalan"
    else
        bad "NetworkManager tidak berjalan (Raspberry Pi OS Bookworm/Trixie memakainya)"
        problems=1
    fi
    if [[ $MODE == install && $LIVE -eq 1 && $EUID -ne 0 ]]; then
        die "jalankan sebagai root: sudo $0 ${SHOWN_ARGS[*]}"
    fi
    if ((problems)); then
        if [[ $LIVE -eq 0 ]]; then
            warn "tidak didukung di sini; lanjut karena hanya rencana (--dry-run/--root)"
        elif [[ $FORCE -eq 1 ]]; then
            warn "tidak didukung; lanjut karena --force"
        else
            echo
            echo "Pemasangan dihentikan: mesin ini tidak didukung (lihat ✗ di atas)."
            echo "Pakai --force hanya bila Anda tahu akibatnya."
            exit 1
        fi
    fi
    FAILS=0
}

# --------------------------------------------------------------- settings --
# The settings file belongs to the app: `kiosk config get/set/write` read, check and
# write it through the one schema (kiosk/config.py); the installer keeps no copy of
# it. The kiosk command is the venv's on this machine, else one on PATH or the
# checkout's own .venv (scripts/setup) for --root runs in tests and image builds.
kiosk_cli() {
    if [[ -z $ROOT && -x $VENV/bin/kiosk ]]; then
        "$VENV/bin/kiosk" "$@"
    elif have kiosk; then
        kiosk "$@"
    elif [[ -x $SRC_DIR/.venv/bin/kiosk ]]; then
        "$SRC_DIR/.venv/bin/kiosk" "$@"
    else
        return 127
    fi
}

have_kiosk_cli() { kiosk_cli --version >/dev/null 2>&1; }

config_get() { kiosk_cli config get --config "$ROOT$CONFIG_FILE" "$1"; }

read_existing_config() {
    # Re-runs without settings flags keep the hall's file as it is.
    [[ -f $ROOT$CONFIG_FILE ]] || return 1
    if ! have_kiosk_cli || ! config_get village >/dev/null; then
        die "$CONFIG_FILE tidak bisa dibaca (rusak, atau perintah kiosk belum ada); tulis ulang dengan --village dst."
    fi
    VILLAGE=$(config_get village)
    SSID=$(config_get ssid)
    SSID=${SSID//\{desa\}/$(default_village_name)}
    WIFI_PASSWORD=$(config_get wifi_password)
    HUB_URL=$(config_get hub_url)
    REPORT_URL=$(config_get report_url)
    PRINTER_TYPE=$(config_get printer.type)
    if [[ $PRINTER_TYPE == usb ]]; then
        PRINTER_USB=$(printf '%04x:%04x' "$(config_get printer.vendor)" "$(config_get printer.product)")
    fi
    return 0
}

# config_assignments: the settings this install writes, NUL-separated NAME=VALUE.
config_assignments() {
    local a=(village="$VILLAGE" host=0.0.0.0 port=80 portal_address="$PORTAL_ADDRESS"
        state_dir="$STATE_DIR" ssid="$SSID" wifi_password="$WIFI_PASSWORD" hub_url="$HUB_URL"
        report_url="$REPORT_URL"
        paper_width="$PAPER_WIDTH" led_pin="$LED_PIN" printer.type="$PRINTER_TYPE")
    if [[ -n $TRUST_ROOT_SRC || -f $ROOT$TRUST_ROOT ]]; then a+=(trust_root="$TRUST_ROOT"); fi
    if [[ -n $PRINTER_DEVICE ]]; then a+=(printer.device="$PRINTER_DEVICE"); fi
    if [[ -n $PRINTER_HOST ]]; then a+=(printer.host="$PRINTER_HOST"); fi
    if [[ $PRINTER_TYPE == usb ]]; then
        a+=(printer.vendor="0x${PRINTER_USB%%:*}" printer.product="0x${PRINTER_USB##*:}")
    fi
    local b buttons=""
    for b in "${BUTTONS[@]}"; do
        buttons+="${buttons:+, }{\"pin\": ${b%%:*}, \"service\": \"${b#*:}\"}"
    done
    if [[ -n $buttons ]]; then a+=("buttons=[$buttons]"); fi
    printf '%s\0' "${a[@]}"
}

# render_config: the settings file as `kiosk config write` makes it (exit 2 if rejected).
render_config() {
    local settings=() content
    mapfile -d '' settings < <(config_assignments)
    content=$(kiosk_cli config write --output - "${settings[@]}" 2>&1) ||
        die "pengaturan ditolak: ${content##*Error: }"
    printf '%s\n' "$content"
}

settle_settings() {
    step "Pengaturan kios"
    local keep=0
    if [[ $CONFIG_FLAGS -eq 0 ]] && read_existing_config; then
        keep=1
        ok "memakai $CONFIG_FILE yang sudah ada (desa: $VILLAGE)"
    fi
    if [[ $keep -eq 0 ]] && interactive; then
        [[ -n $VILLAGE ]] || ask VILLAGE "Id desa (mis. kemlagi)" ""
        [[ -n $SSID ]] || ask SSID "Nama Wi-Fi" "Info Desa $(default_village_name)"
        if [[ $WIFI_PASSWORD_SET -eq 0 ]]; then
            ask WIFI_PASSWORD "Sandi Wi-Fi (kosong = terbuka, disarankan)" ""
        fi
        [[ -n $HUB_URL ]] || ask HUB_URL "Alamat hub kecamatan (kosong = hanya USB)" ""
    fi
    if [[ -z $VILLAGE ]]; then
        if [[ $LIVE -eq 1 ]]; then
            die "id desa belum ada: pakai --village ID (mis. --village kemlagi)"
        fi
        VILLAGE=kemlagi
        warn "tanpa --village; rencana ini memakai contoh 'kemlagi'"
    fi
    [[ -n $SSID ]] || SSID="Info Desa $(default_village_name)"
    # The hub app serves the catalog at /public/ and takes reports at /api/reports.
    if [[ $keep -eq 0 && -z $REPORT_URL && $HUB_URL =~ ^(https?://[^/]+)/public/?$ ]]; then
        REPORT_URL="${BASH_REMATCH[1]}/api/reports"
    fi
    settle_enroll_code
    # Only the installer's own flags are checked here; the settings are checked by the
    # schema when the file is rendered (now if the kiosk command is here already).
    [[ $CHANNEL =~ ^(1|6|11)$ ]] || die "kanal $CHANNEL: pakai 1, 6 atau 11"
    [[ $COUNTRY =~ ^[A-Z]{2}$ ]] || die "kode negara '$COUNTRY' tidak sah (mis. ID)"
    PRINTER_TYPE=${PRINTER_TYPE:-file}
    case $PRINTER_TYPE in
    usb) [[ $PRINTER_USB =~ ^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$ ]] ||
        die "--printer usb perlu --printer-usb VID:PID (mis. 0416:5011, lihat lsusb)" ;;
    network) [[ -n $PRINTER_HOST ]] || die "--printer network perlu --printer-host ALAMAT" ;;
    esac
    local b
    for b in "${BUTTONS[@]}"; do
        [[ $b =~ ^[0-9]+:[a-z0-9][a-z0-9-]*$ ]] ||
            die "--button '$b' tidak sah: PIN:LAYANAN, mis. 17:ktp-el-baru"
    done
    if [[ -n $TRUST_ROOT_SRC && ! -f $TRUST_ROOT_SRC ]]; then
        die "--trust-root $TRUST_ROOT_SRC tidak ada"
    fi
    KEEP_CONFIG=$keep
    if [[ $keep -eq 0 ]] && have_kiosk_cli; then
        render_config >/dev/null
    elif [[ $keep -eq 0 && -n $ROOT ]]; then
        die "--root perlu perintah kiosk: jalankan dulu scripts/setup (membuat $SRC_DIR/.venv)"
    fi
    info "desa: $VILLAGE · Wi-Fi: \"$SSID\" ($([[ -n $WIFI_PASSWORD ]] && echo WPA2 || echo terbuka))" \
        "· kanal $CHANNEL · negara $COUNTRY · printer: $PRINTER_TYPE"
}

# settle_enroll_code: '--enroll -' asks for the code (not echoed, so in no history and
# no log); a code that cannot be one stops the install before anything is changed.
settle_enroll_code() {
    if [[ $ENROLL_CODE == - ]]; then
        if [[ -t 0 ]]; then
            read -rs -p "   Kode pendaftaran dari kecamatan (mis. 7KQ2-M9XD-4TPA): " ENROLL_CODE
            echo
        else
            read -r ENROLL_CODE || true
        fi
    fi
    [[ -n $ENROLL_CODE ]] || return 0
    local clean=${ENROLL_CODE//[- ]/}
    [[ ${clean^^} =~ ^[0-9A-Z]{12}$ ]] ||
        die "kode pendaftaran tidak sah: 12 huruf/angka seperti 7KQ2-M9XD-4TPA (dari 'kiosk hub enroll')"
}

default_village_name() {
    local v=${VILLAGE:-desa}
    v=${v//-/ }
    echo "${v^}"
}

keyfile_str() { # GKeyFile escaping: backslash first
    local s=${1//\\/\\\\}
    printf '%s' "$s"
}

render_ap_profile() {
    cat <<EOF
# Pelita Kiosk hotspot, written by deploy/install.sh. NetworkManager's shared
# mode: 10.42.0.1/24, DHCP and DNS by NM's own dnsmasq (see
# /etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf).
[connection]
id=$AP_NAME
uuid=$AP_UUID
type=$([[ $WIRED_HOTSPOT -eq 1 ]] && echo ethernet || echo wifi)
interface-name=$WIFI_IFACE
autoconnect=true
autoconnect-priority=100
# Keep retrying forever after a failed activation (e.g. firmware hiccup).
autoconnect-retries=0
EOF
    if [[ $WIRED_HOTSPOT -eq 1 ]]; then
        # An external access point bridges the phones onto this cable: no radio here.
        echo "# Wired: the Wi-Fi comes from the access point on this cable."
    else
        cat <<EOF

[wifi]
mode=ap
ssid=$(keyfile_str "$SSID")
band=bg
channel=$CHANNEL
# 2 = power saving off; Broadcom power save drops AP clients.
powersave=2
EOF
    fi
    if [[ -n $WIFI_PASSWORD && $WIRED_HOTSPOT -eq 0 ]]; then
        cat <<EOF

[wifi-security]
key-mgmt=wpa-psk
proto=rsn
pairwise=ccmp
group=ccmp
# 1 = PMF off: brcmfmac in AP mode fails the handshake with PMF.
pmf=1
psk=$(keyfile_str "$WIFI_PASSWORD")
EOF
    fi
    cat <<EOF

[ipv4]
method=shared
address1=$PORTAL_ADDRESS/24

[ipv6]
# No IPv6 on the hotspot: phones must not route around the captive DNS.
method=disabled
EOF
}

render_udev_printer() {
    echo "# Pelita Kiosk printer access for the kiosk user (group lp)."
    echo "# /dev/usb/lp* (printer type \"file\") is group lp already; python-escpos"
    echo "# over libusb (type \"usb\") needs the raw USB device too."
    if [[ $PRINTER_TYPE == usb ]]; then
        local vid=${PRINTER_USB%%:*} pid=${PRINTER_USB##*:}
        printf 'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="%s", ATTR{idProduct}=="%s", GROUP="lp", MODE="0660", SYMLINK+="kiosk-printer"\n' \
            "${vid,,}" "${pid,,}"
    fi
    echo 'SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*", GROUP="lp", MODE="0660"'
}

render_printer_dropin() {
    case $PRINTER_TYPE in
    serial)
        cat <<'EOF'
# Written by deploy/install.sh: this kiosk prints over a serial port.
[Service]
DeviceAllow=char-ttyUSB rw
DeviceAllow=char-ttyACM rw
DeviceAllow=char-ttyAMA rw
DeviceAllow=char-ttyS rw
EOF
        ;;
    network)
        cat <<'EOF'
# Written by deploy/install.sh: this kiosk prints to a network printer.
[Service]
PrivateNetwork=no
RestrictAddressFamilies=AF_INET AF_INET6
IPAddressDeny=any
IPAddressAllow=localhost link-local multicast 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16
EOF
        ;;
    *) return 1 ;;
    esac
}

render_guard() {
    local ssh_line="# SSH from the hotspot is refused (install.sh --ssh-on-hotspot allows it)."
    [[ $SSH_ON_HOTSPOT -eq 1 ]] && ssh_line="tcp dport 22 accept"
    sed -e "s/\"wlan0\"/\"$WIFI_IFACE\"/g" -e "s|# @SSH@|$ssh_line|" "$SRC_DIR/deploy/nft/kiosk-guard.nft"
}

# -------------------------------------------------------------- the steps --
install_packages() {
    step "Paket sistem (apt)"
    local missing=() p
    if [[ -n $ROOT ]]; then
        # A --root tree is not this machine: plan the full list.
        run apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" "${APT_PACKAGES_PI[@]}"
        return 0
    fi
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if have apt-cache && apt-cache policy python3-lgpio 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        for p in "${APT_PACKAGES_PI[@]}"; do
            dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
        done
    else
        warn "python3-lgpio tidak ada di apt (bukan Raspberry Pi OS?): gpiozero dipasang lewat pip"
    fi
    if ((${#missing[@]} == 0)); then
        ok "semua paket sudah terpasang"
        return 0
    fi
    # dnsmasq (the service) would take port 53 from NetworkManager's dnsmasq.
    if dpkg-query -W -f='${Status}' dnsmasq 2>/dev/null | grep -q "ok installed"; then
        warn "paket 'dnsmasq' terpasang: layanannya bentrok dengan hotspot, dimatikan"
        run systemctl disable --now dnsmasq.service
    fi
    run env DEBIAN_FRONTEND=noninteractive apt-get update -q
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

create_user() {
    step "Pengguna kiosk dan grup"
    local g
    for g in gpio lp dialout; do
        if getent group "$g" >/dev/null 2>&1 && [[ -z $ROOT ]]; then
            info "tetap: grup $g"
        else
            run groupadd --system -f "$g"
        fi
    done
    if id kiosk >/dev/null 2>&1 && [[ -z $ROOT ]]; then
        info "tetap: pengguna kiosk"
    else
        run useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "Pelita Kiosk" kiosk
    fi
    if [[ -z $ROOT ]] && id -nG kiosk 2>/dev/null | tr ' ' '\n' | grep -qx gpio &&
        id -nG kiosk | tr ' ' '\n' | grep -qx lp && id -nG kiosk | tr ' ' '\n' | grep -qx dialout; then
        info "tetap: kiosk di grup gpio, lp, dialout"
    else
        run usermod --append --groups gpio,lp,dialout kiosk
    fi
}

data_partition() {
    step "Partisi data untuk $STATE_DIR"
    local fstab_line="LABEL=$DATA_LABEL $STATE_DIR ext4 defaults,noatime,commit=5 0 2"
    if grep -qs "[[:space:]]${STATE_DIR}[[:space:]]" "$ROOT/etc/fstab"; then
        info "tetap: $STATE_DIR sudah ada di /etc/fstab"
    elif [[ $LIVE -eq 1 ]] && ! blkid -L "$DATA_LABEL" >/dev/null 2>&1; then
        bad "tidak ada partisi berlabel $DATA_LABEL; SD hanya-baca tidak dipasang (data akan hilang)"
        info "buat dulu partisi ext4 berlabel $DATA_LABEL (lihat docs/teknisi/README.md, bagian 'SD hanya-baca')"
        READ_ONLY_ROOT=0
        return 0
    elif [[ $DRY_RUN -eq 1 && -z $ROOT ]]; then
        plan "tambah ke /etc/fstab: $fstab_line"
    else
        mkdir -p "$ROOT/etc"
        echo "$fstab_line" >>"$ROOT/etc/fstab"
        info "tambah ke /etc/fstab: $fstab_line"
    fi
    make_dir "$STATE_DIR" 0750 kiosk:kiosk
    if [[ $LIVE -eq 1 ]] && ! findmnt "$STATE_DIR" >/dev/null 2>&1; then
        run mount "$STATE_DIR"
    fi
}

state_dirs() {
    step "Folder data"
    make_dir /etc/kiosk 0755 root:root
    make_dir "$STATE_DIR" 0750 kiosk:kiosk
    local d
    for d in catalog tuf spool status; do
        make_dir "$STATE_DIR/$d" 0750 kiosk:kiosk
    done
}

install_app() {
    step "Aplikasi kiosk (venv di /opt/kiosk)"
    if [[ -x $VENV/bin/python ]] && [[ -z $ROOT ]]; then
        info "tetap: $VENV"
    else
        run python3 -m venv --system-site-packages "$VENV"
    fi
    # --only-binary: never compile on the Pi (pure-Python wheels only); the
    # venv sees the apt packages, so pip fetches only what Debian lacks.
    local pip=("$VENV/bin/pip" install --disable-pip-version-check --only-binary=:all:)
    if [[ -n $WHEELHOUSE ]]; then
        pip+=(--no-index --find-links "$WHEELHOUSE")
    fi
    run "${pip[@]}" "$SRC_DIR"
    if [[ -d $SRC_DIR/docs/teknisi ]]; then
        local f
        for f in "$SRC_DIR"/docs/teknisi/*.md; do
            # shellcheck disable=SC2094  # reads the repo copy, writes under /usr/share
            put_file "/usr/share/doc/pelita-kiosk/teknisi/$(basename "$f")" 0644 root:root <"$f"
        done
    fi
}

write_config() {
    step "Berkas pengaturan dan kunci kepercayaan"
    if [[ -n $TRUST_ROOT_SRC ]]; then
        put_file "$TRUST_ROOT" 0644 root:root <"$TRUST_ROOT_SRC"
    elif [[ -f $ROOT$TRUST_ROOT ]]; then
        info "tetap: $TRUST_ROOT"
    else
        warn "tanpa --trust-root: sinkronisasi katalog belum aktif (kios memakai katalog bawaan)"
    fi
    if [[ $KEEP_CONFIG -eq 1 ]]; then
        info "tetap: $CONFIG_FILE (pakai pilihan --village dst. untuk menulis ulang)"
    elif have_kiosk_cli; then
        local content
        content=$(render_config)
        put_file "$CONFIG_FILE" 0640 root:kiosk <<<"$content"
    else
        # A dry run before the app is installed: show what will be written.
        local settings=()
        mapfile -d '' settings < <(config_assignments)
        plan "kiosk config write --config $CONFIG_FILE ${settings[*]/#wifi_password=?*/wifi_password=********}"
    fi
}

install_units() {
    step "Layanan systemd"
    local u
    for u in "${UNITS[@]}"; do
        copy_file "$SRC_DIR/systemd/$u" "$UNIT_DIR/$u" 0644
    done
    local dropin=$UNIT_DIR/kiosk-printer.service.d/10-printer-type.conf
    local content
    if content=$(render_printer_dropin); then
        put_file "$dropin" 0644 root:root <<<"$content"
    else
        remove_path "$dropin"
    fi
    run systemctl daemon-reload
    enable_units "${ENABLE_UNITS[@]}"
}

# enable_units UNIT... — systemctl enable live; in --root, the same symlinks.
enable_units() {
    local u target wants
    for u in "$@"; do
        if [[ -n $ROOT ]]; then
            target=$(sed -n 's/^WantedBy=//p' "$SRC_DIR/systemd/$u" | head -n1)
            wants=$UNIT_DIR/$target.wants
            mkdir -p "$ROOT$wants"
            ln -sfn "$UNIT_DIR/$u" "$ROOT$wants/$u"
            info "aktifkan: $u ($target)"
        elif [[ $LIVE -eq 1 ]] && systemctl is-enabled --quiet "$u" 2>/dev/null; then
            info "tetap: $u aktif saat boot"
        else
            run systemctl enable "$u"
        fi
    done
}

install_network() {
    step "Hotspot Wi-Fi (NetworkManager), DNS portal, firewall"
    local current=""
    if [[ $WIRED_HOTSPOT -eq 1 ]]; then
        current=$COUNTRY  # no radio here: the access point on the cable has its own
    elif have raspi-config && [[ $LIVE -eq 1 ]]; then
        current=$(raspi-config nonint get_wifi_country 2>/dev/null || true)
    fi
    if [[ $current == "$COUNTRY" ]]; then
        info "tetap: negara Wi-Fi $COUNTRY"
    elif have raspi-config || [[ $LIVE -eq 0 ]]; then
        run raspi-config nonint do_wifi_country "$COUNTRY"
    else
        run iw reg set "$COUNTRY"
    fi
    make_dir /etc/NetworkManager/dnsmasq-shared.d 0755 root:root
    local dns
    dns=$(sed -e "s#/10\.42\.0\.1\$#/$PORTAL_ADDRESS#" "$SRC_DIR/deploy/dnsmasq-shared.d/kiosk-captive.conf")
    put_file /etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf 0644 root:root <<<"$dns"
    render_ap_profile | put_file "/etc/NetworkManager/system-connections/$AP_NAME.nmconnection" 0600 root:root
    copy_file "$SRC_DIR/deploy/nm-dispatcher/90-kiosk-sync" /etc/NetworkManager/dispatcher.d/90-kiosk-sync 0755
    render_guard | put_file /etc/kiosk/kiosk-guard.nft 0644 root:root
    render_udev_printer | put_file /etc/udev/rules.d/60-kiosk-printer.rules 0644 root:root
    copy_file "$SRC_DIR/deploy/udev/90-kiosk-usb-sync.rules" /etc/udev/rules.d/90-kiosk-usb-sync.rules 0644
    if run udevadm control --reload; then
        run udevadm trigger --action=add --subsystem-match=usb --subsystem-match=usbmisc
    else
        warn "udev tidak berjalan di sini: aturan printer/USB berlaku setelah reboot"
    fi
}

start_services() {
    step "Menyalakan layanan dan hotspot"
    # Failures here are reported by the self-test below, with what to try.
    run systemctl restart kiosk-guard.service || warn "firewall hotspot gagal dimuat"
    run systemctl restart kiosk-web.socket || warn "kiosk-web.socket gagal"
    run systemctl restart kiosk-web.service kiosk-printer.service || warn "layanan kios gagal"
    run systemctl start kiosk-sync.timer || warn "jadwal sinkronisasi gagal"
    if [[ -f $ROOT$TRUST_ROOT ]]; then
        # The first sync now (the timer waits 5 min after boot); without an uplink it
        # ends at once and says so in the self-test.
        run systemctl start kiosk-sync.service || warn "sinkronisasi pertama gagal"
    fi
    if [[ $LIVE -eq 1 ]] && [[ -n $(ip route show default dev "$WIFI_IFACE" 2>/dev/null) ]]; then
        warn "$WIFI_IFACE sekarang tersambung ke Wi-Fi lain; hotspot akan memutusnya (SSH lewat Wi-Fi putus)"
    fi
    run nmcli connection reload
    # down+up so NM's dnsmasq re-reads dnsmasq-shared.d
    if [[ $LIVE -eq 1 ]]; then
        nmcli connection down "$AP_NAME" >/dev/null 2>&1 || true
    else
        plan "jalankan: nmcli connection down $AP_NAME"
    fi
    run nmcli connection up "$AP_NAME" || warn "hotspot belum mau menyala"
}

# enroll_kiosk: give the hub's one-time code to the kiosk (as the kiosk user, on stdin:
# never in a command line, a log or a file others can read). After the first sync the
# kiosk knows the hub's key and sends the code at once; if the hub cannot be reached
# the kiosk keeps the code and sends it with the next hourly sync.
enroll_kiosk() {
    step "Pendaftaran kios ke kecamatan"
    if [[ -z $ENROLL_CODE ]]; then
        info "dilewati (tanpa --enroll); nanti: sudo -u kiosk $VENV/bin/kiosk enroll --config $CONFIG_FILE -"
        return 0
    fi
    if [[ $LIVE -eq 0 ]]; then
        plan "kiosk enroll (sebagai pengguna kiosk; kode **** lewat stdin)"
        return 0
    fi
    local out code=0
    out=$(printf '%s\n' "$ENROLL_CODE" |
        runuser -u kiosk -- "$VENV/bin/kiosk" enroll --config "$CONFIG_FILE" - 2>&1) || code=$?
    printf '%s\n' "$out" | sed 's/^/   /'
    if [[ $code -ne 0 ]]; then
        bad "pendaftaran ditolak (lihat pesan di atas): minta kode baru di kecamatan" \
            "(kiosk hub enroll $VILLAGE), lalu jalankan lagi dengan --enroll KODE-BARU"
    elif grep -qE '^enrolled:|nothing to do' <<<"$out"; then
        ok "kios terdaftar di kecamatan"
    elif grep -q 'report key has not arrived' <<<"$out"; then
        warn "kode disimpan; dikirim setelah sinkronisasi katalog pertama berhasil (perlu --trust-root dan --hub-url)"
    elif grep -q 'import the stick' <<<"$out"; then
        warn "kode ikut laporan di folder hub/flashdisk; terdaftar setelah kecamatan menjalankan 'kiosk hub import'"
    else
        warn "hub belum bisa dihubungi: kode disimpan di kios dan dikirim otomatis pada sinkronisasi berikutnya (tiap jam)"
    fi
}

install_watchdog() {
    step "Watchdog perangkat keras"
    if [[ $WATCHDOG -eq 0 ]]; then
        remove_path /etc/systemd/system.conf.d/kiosk-watchdog.conf
        info "dilewati (--no-watchdog)"
        return 0
    fi
    copy_file "$SRC_DIR/deploy/conf/kiosk-watchdog.conf" /etc/systemd/system.conf.d/kiosk-watchdog.conf 0644
    if [[ $LIVE -eq 1 && ! -e /dev/watchdog0 && ! -e /dev/watchdog ]]; then
        local cfg
        cfg=$(boot_config)
        if [[ -z $cfg ]]; then
            warn "tidak ada config.txt (bukan Raspberry Pi?): watchdog perangkat keras dilewati"
        elif ! grep -qs '^dtparam=watchdog=on' "$cfg"; then
            # Marked, so that --uninstall removes exactly this line.
            run sh -c "printf '%s\n' '$WATCHDOG_MARK' 'dtparam=watchdog=on' >> '$cfg'"
        fi
    fi
    info "berlaku setelah reboot"
}

# The Raspberry Pi's firmware config (Bookworm: /boot/firmware), or nothing.
boot_config() {
    local cfg
    for cfg in /boot/firmware/config.txt /boot/config.txt; do
        if [[ -f $ROOT$cfg ]]; then
            echo "$cfg"
            return 0
        fi
    done
}

cmdline_file() {
    if [[ -f $ROOT/boot/firmware/cmdline.txt || ! -f $ROOT/boot/cmdline.txt ]]; then
        echo /boot/firmware/cmdline.txt
    else
        echo /boot/cmdline.txt
    fi
}

install_overlay() {
    step "SD hanya-baca (overlay) — dipasang terakhir"
    local cmdline
    cmdline=$(cmdline_file)
    copy_file "$SRC_DIR/deploy/conf/kiosk-journald.conf" /etc/systemd/journald.conf.d/kiosk-volatile.conf 0644
    if [[ -d $ROOT/etc/cloud ]]; then
        put_file /etc/cloud/cloud-init.disabled 0644 root:root <<<"# disabled by Pelita Kiosk (read-only root)"
    fi
    if [[ $LIVE -eq 1 ]] && systemctl is-enabled --quiet dphys-swapfile 2>/dev/null; then
        run systemctl disable --now dphys-swapfile
    fi
    if grep -qs 'overlayroot=tmpfs:recurse=0' "$ROOT$cmdline"; then
        info "tetap: overlayroot=tmpfs:recurse=0 di $cmdline"
        return 0
    fi
    # raspi-config installs overlayroot and rebuilds the initramfs; it writes
    # overlayroot=tmpfs, which would put the data partition in RAM too, so we
    # then rewrite the token to recurse=0.
    run raspi-config nonint enable_overlayfs
    if [[ $LIVE -eq 1 ]]; then
        sed -i -E 's/(^| )overlayroot=[^ ]*/ /g; s/^ +//; s/ +$//; s/$/ overlayroot=tmpfs:recurse=0/' "$cmdline"
        info "tulis: $cmdline (overlayroot=tmpfs:recurse=0)"
    else
        plan "ubah $cmdline: overlayroot=tmpfs:recurse=0"
    fi
}

# ------------------------------------------------------------- self-test --
# The self-test is `kiosk doctor` (the same checks a technician runs later). Services
# take a moment after a restart, so a failing doctor is asked again a few times.
self_test() {
    step "Uji mandiri (kiosk doctor)"
    FAILS=0
    if [[ $LIVE -eq 0 ]]; then
        plan "uji: hotspot, DNS portal, firewall, portal, katalog, printer, sinkronisasi (kiosk doctor)"
        return 0
    fi
    if [[ ! -x $VENV/bin/kiosk ]]; then
        bad "perintah kiosk tidak ada di $VENV: langkah 'Aplikasi kiosk' gagal, jalankan lagi"
        return 0
    fi
    local out="" code=0 try
    for try in 1 2 3 4 5; do
        code=0
        out=$("$VENV/bin/kiosk" doctor --config "$CONFIG_FILE" 2>&1) || code=$?
        [[ $code -eq 0 ]] && break
        [[ $try -lt 5 ]] && sleep 2
    done
    printf '%s\n' "$out" | sed 's/^/   /'
    FAILS=$(grep -c '^✗' <<<"$out" || true)
    if [[ $code -ne 0 && $FAILS -eq 0 ]]; then
        bad "kiosk doctor gagal (kode $code), lihat pesan di atas"
    fi
}

# ------------------------------------------------------------- uninstall --
uninstall() {
    step "Mencopot Pelita Kiosk"
    if [[ $LIVE -eq 1 && $EUID -ne 0 ]]; then die "jalankan sebagai root: sudo $0 --uninstall"; fi
    # overlayroot (raspi-config's read-only SD) mounts / from "overlayroot" over /media/root-ro.
    if [[ $LIVE -eq 1 ]] && findmnt -n -o SOURCE,OPTIONS / 2>/dev/null | grep -q -e '^overlayroot' -e 'root-ro'; then
        die "SD sedang hanya-baca: jalankan dulu sudo $0 --overlay-off, reboot, lalu ulangi"
    fi
    local u
    for u in "${ENABLE_UNITS[@]}"; do
        run systemctl disable --now "$u" || true
    done
    run nmcli connection delete "$AP_NAME" || true
    for u in "${UNITS[@]}"; do
        remove_path "$UNIT_DIR/$u"
    done
    for u in "${ENABLE_UNITS[@]}"; do
        remove_path "$UNIT_DIR/sockets.target.wants/$u"
        remove_path "$UNIT_DIR/multi-user.target.wants/$u"
        remove_path "$UNIT_DIR/timers.target.wants/$u"
        remove_path "$UNIT_DIR/sysinit.target.wants/$u"
    done
    remove_path "$UNIT_DIR/kiosk-printer.service.d"
    remove_path "/etc/NetworkManager/system-connections/$AP_NAME.nmconnection"
    remove_path /etc/NetworkManager/dnsmasq-shared.d/kiosk-captive.conf
    remove_path /etc/NetworkManager/dispatcher.d/90-kiosk-sync
    remove_path /etc/udev/rules.d/60-kiosk-printer.rules
    remove_path /etc/udev/rules.d/90-kiosk-usb-sync.rules
    remove_path /etc/kiosk/kiosk-guard.nft
    remove_path /etc/systemd/system.conf.d/kiosk-watchdog.conf
    remove_path /etc/systemd/journald.conf.d/kiosk-volatile.conf
    local cfg
    cfg=$(boot_config)
    if [[ -n $cfg ]] && grep -qxF "$WATCHDOG_MARK" "$ROOT$cfg"; then
        if [[ $LIVE -eq 1 || -n $ROOT ]]; then
            sed -i "/^${WATCHDOG_MARK//\//\\/}\$/{N;/\ndtparam=watchdog=on\$/d}" "$ROOT$cfg"
            info "hapus dari $cfg: dtparam=watchdog=on"
        else
            plan "hapus dari $cfg: dtparam=watchdog=on"
        fi
    fi
    remove_path /usr/share/doc/pelita-kiosk
    remove_path /opt/kiosk
    run systemctl daemon-reload || true
    run udevadm control --reload || true
    info "tetap disimpan: /etc/kiosk/kiosk.toml, $TRUST_ROOT, $STATE_DIR, pengguna kiosk"
    info "hapus sendiri bila perlu: sudo rm -r /etc/kiosk $STATE_DIR /usr/share/kiosk; sudo userdel kiosk"
}

overlay_off() {
    step "Mematikan SD hanya-baca"
    local cmdline
    cmdline=$(cmdline_file)
    if ! grep -qs 'overlayroot=' "$ROOT$cmdline"; then
        info "tetap: overlay tidak aktif di $cmdline"
        return 0
    fi
    # raspi-config's disable_overlayfs does not match overlayroot=tmpfs:recurse=0,
    # so remove the whole token ourselves.
    if [[ $LIVE -eq 1 ]]; then
        sed -i -E 's/(^| )overlayroot=[^ ]*//g' "$cmdline"
        info "tulis: $cmdline (overlayroot dihapus); reboot agar berlaku"
    else
        plan "hapus overlayroot=... dari $cmdline"
    fi
}

# ------------------------------------------------------------------ main --
main() {
    if [[ $DRY_RUN -eq 1 ]]; then
        echo "Pelita Kiosk: RENCANA SAJA (--dry-run). Tidak ada yang diubah${ROOT:+ di luar $ROOT}."
    elif [[ -n $ROOT ]]; then
        echo "Pelita Kiosk: berkas ditulis ke $ROOT; perintah sistem hanya ditampilkan."
    fi
    case $MODE in
    uninstall) uninstall; return 0 ;;
    overlayoff) overlay_off; return 0 ;;
    selftest)
        self_test
        echo
        if ((FAILS > 0)); then
            echo "Belum beres: $FAILS pemeriksaan ✗ (lihat saran pada tiap baris ✗)."
            return 1
        fi
        echo "Semua pemeriksaan ✓."
        return 0
        ;;
    esac
    if [[ $LIVE -eq 1 ]]; then
        mkdir -p "$STATE_DIR"
        exec > >(tee -a "$STATE_DIR/install.log") 2>&1
        echo "--- $(date -Is 2>/dev/null || date) install.sh ${SHOWN_ARGS[*]}"
    fi
    preflight
    settle_settings
    install_packages
    create_user
    if [[ $READ_ONLY_ROOT -eq 1 ]]; then data_partition; fi
    state_dirs
    install_app
    write_config
    install_network
    install_units
    install_watchdog
    start_services
    local before=$FAILS
    enroll_kiosk
    local enroll_fails=$((FAILS - before))
    self_test
    local tested_fails=$((FAILS + enroll_fails))
    if [[ $READ_ONLY_ROOT -eq 1 ]]; then install_overlay; fi
    echo
    if [[ $LIVE -eq 0 ]]; then
        echo "Rencana selesai. Jalankan tanpa --dry-run (sebagai root) untuk memasang."
    elif ((tested_fails > 0)); then
        echo "Belum beres: $tested_fails pemeriksaan ✗. Perbaiki lalu jalankan lagi perintah yang sama."
        return 1
    else
        echo "Selesai: kios siap. Nyalakan ulang sekali (sudo reboot) lalu coba dari HP."
    fi
}

main
