"""Record bodies as bytes: compact JSON, deflated with a dictionary both sides share.

Shared by the kiosk (outbox, bundles) and the hub (ingest). The preset dictionary holds
the keys and words records repeat, so even a single small record compresses 2-3x; it
is part of the wire format (bundle format 1): never change it, add a new one.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

# A preset dictionary for zlib: the keys and words records repeat. Small records
# compress 2-3x better with it; both sides must use the same bytes (bundle format 1).
ZDICT = (
    b'{"answers": {"persyaratan": "prosedur": "waktu": "biaya": "produk": "kompetensi": '
    b'"perilaku": "sarana_prasarana": "pengaduan": }, "respondent": {"jenis_kelamin": '
    b'"usia": "pendidikan": "pekerjaan": "saran": null, "service": "when": "hari-ini"'
    b'"minggu-ini" "bulan-ini" "lebih-lama" "ticket": "category": "pelayanan_kecamatan"'
    b'"dukcapil" "info_kios_salah" "kios_rusak" "lainnya" "text": "contact": {"name": '
    b'"phone": "consent": true, false, "answer": "sesuai" "kurang" "note": "hour": '
    b'"mono_start": "boot_id": "services": {"view": "slip_button": "slip_site": '
    b'"feedback_sesuai": "feedback_kurang": "survey": "no_hit": "portal_opens": '
    b'"app_version": "catalog_version": "sync": {"last_ok": "last_error": '
    b'"last_error_at": "printer": {"state": "ok" "slips_since_last": "paper_left_mm": '
    b'"disk_free_mb": "uptime_s": "cpu_temp_c": "throttled": {"under_voltage": '
    b'"clock": {"state": "unknown" "outbox": {"records": "bytes": "kiosk_time": '
    b'"mono": "kind": "health" "counts" "feedback" "complaint" "id": 2026-'
)

MAX_UNPACKED = 1 << 20


def pack(body: dict[str, Any]) -> bytes:
    """A body as compact JSON, deflated with the shared dictionary."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return deflate(text.encode("utf-8"))


def unpack(data: bytes) -> Any:
    """A body back from :func:`pack` (refused beyond 1 MB inflated)."""
    return json.loads(inflate(data))


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, ZDICT)
    return compressor.compress(data) + compressor.flush()


def inflate(data: bytes, limit: int = MAX_UNPACKED) -> bytes:
    """Inflate at most ``limit`` bytes (a zip bomb is refused, not expanded)."""
    decompressor = zlib.decompressobj(-15, ZDICT)
    out = decompressor.decompress(data, limit)
    if decompressor.unconsumed_tail:
        raise ValueError(f"more than {limit} bytes once inflated")
    return out + decompressor.flush()
