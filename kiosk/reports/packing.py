"""Record bodies as bytes: compact JSON, deflated with a dictionary both sides share.

Shared by the kiosk (outbox, bundles) and the hub (ingest). The preset dictionary holds
the keys and words records repeat, so even a single small record compresses 2-3x; it
is part of the wire format (bundle format 1): never change it, add a new one.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

# A preset dictionary for zlib: compact, key-sorted JSON of typical records, the most
# common (a survey) last. A survey deflates to ~60 bytes with it (~135 without).
ZDICT = (
    b'"info_kios_salah""kios_rusak""lainnya""dukcapil""sesuai""hari-ini""bulan-ini""le'
    b'bih-lama""no_paper""paper_low""offline""none""behind""ok""health""feedback""comp'
    b'laint""survey""sealed""len"{"app_version":"0.1.0","catalog_version":3,"clock":{"'
    b'state":"unknown"},"cpu_temp_c":55.1,"disk_free_mb":9000,"outbox":{"bytes":90000,'
    b'"records":500},"printer":{"paper_left_mm":20000,"slips_since_last":40,"state":"o'
    b'k"},"sync":{"last_error":"hub unreachable","last_error_at":null,"last_ok":null},'
    b'"throttled":{"throttled":false,"under_voltage":false},"uptime_s":86400}{"at":{"b'
    b'oot_id":"","kiosk_time":"2026-12-","mono":1.0},"enroll":"","kiosk":"","records":'
    b'[{"body":{},"boot_id":"","clock":"unknown","id":1,"kind":"counts","kiosk_time":"'
    b'2026-12-01T09:00:00+00:00","mono":1.0}]}{"answer":"kurang","note":null,"service"'
    b':"ktp-el-baru"}{"boot_id":"","compacted":"day","hour":"2026-12-01T08:00:00+07:00'
    b'","mono_start":0.0,"no_hit":{},"portal_opens":0,"services":{"ktp-el-baru":{"feed'
    b'back_kurang":1,"feedback_sesuai":1,"slip_button":1,"slip_site":1,"survey":1,"vie'
    b'w":1}}}{"category":"pelayanan_kecamatan","consent":true,"contact":{"name":null,"'
    b'phone":"08"},"text":"","ticket":"KML-"}{"answers":{"biaya":4,"kompetensi":3,"pen'
    b'gaduan":4,"perilaku":4,"persyaratan":3,"produk":3,"prosedur":3,"sarana_prasarana'
    b'":3,"waktu":2},"respondent":{"jenis_kelamin":"L","pekerjaan":"wiraswasta","pendi'
    b'dikan":"SMA","usia":"25-34"},"saran":null,"service":"ktp-el-baru","when":"minggu'
    b'-ini"}'
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
