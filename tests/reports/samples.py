"""Good record bodies of every kind, as the producers (issues 14, 17) will write them."""

from __future__ import annotations

import copy


def health(**changes) -> dict:
    body = {
        "app_version": "0.1.0",
        "catalog_version": 3,
        "sync": {"last_ok": "2026-12-01T08:00:00+00:00", "last_error": None, "last_error_at": None},
        "printer": {"state": "ok", "slips_since_last": 4, "paper_left_mm": 21000},
        "disk_free_mb": 2048,
        "uptime_s": 3600,
        "cpu_temp_c": 51.5,
        "throttled": {"under_voltage": False, "throttled": False},
        "clock": {"state": "unknown"},
        "outbox": {"records": 3, "bytes": 900},
    }
    body.update(changes)
    return body


def counts(hour: str = "2026-12-01T08:00:00+07:00", **services) -> dict:
    return {
        "hour": hour,
        "mono_start": 120.5,
        "boot_id": "b1",
        "services": services or {"ktp-el-baru": {"view": 5, "slip_button": 1}},
        "no_hit": {"surat pindah": 1},
        "portal_opens": 3,
    }


def survey(**answers) -> dict:
    base = {u: 3 for u in ("persyaratan", "prosedur", "waktu", "biaya", "produk")}
    base.update({u: 4 for u in ("kompetensi", "perilaku", "sarana_prasarana", "pengaduan")})
    base.update(answers)
    return {
        "service": "ktp-el-baru",
        "when": "minggu-ini",
        "answers": base,
        "respondent": {
            "jenis_kelamin": "P",
            "usia": "25-34",
            "pendidikan": "SMA",
            "pekerjaan": None,
        },
        "saran": "Antrean di kecamatan sudah lebih cepat.",
    }


def feedback() -> dict:
    return {"service": "skck", "answer": "kurang", "note": "Fotokopi KK juga diminta."}


def complaint(ticket: str = "KML-KEMLAGI-20261201-001") -> dict:
    return {
        "ticket": ticket,
        "category": "pelayanan_kecamatan",
        "text": "Petugas tidak ada di loket pada jam layanan.",
        "contact": {"name": "Siti", "phone": "081234567890"},
        "consent": True,
    }


ALL = {
    "health": health,
    "counts": counts,
    "survey": survey,
    "feedback": feedback,
    "complaint": complaint,
}


def sample(kind: str, **kwargs) -> dict:
    return copy.deepcopy(ALL[kind](**kwargs))
