"""What changed between two catalogs, in words staff read: one line per fact.

Every service, office, village and category is described as short lines
("Biaya: Rp 15.000"); two catalogs are compared line by line with difflib, so a diff reads
like the service page, not like YAML.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ...catalog.model import Catalog, Service
from ...indonesian import format_date, format_fee, requirement_detail


@dataclass(frozen=True)
class Change:
    """One thing (a service, an office...) that changed; ``lines`` start with '-' or '+'."""

    kind: str  # "Layanan", "Kantor", "Desa", "Kategori", "Umum"
    key: str
    title: str
    status: str  # "baru", "dihapus", "diubah"
    lines: tuple[str, ...]


def describe_service(service: Service) -> list[str]:
    """A service as lines of plain facts (what a diff compares)."""
    review = service.review
    if review.confirmed:
        state = f"sudah dipastikan oleh {review.confirmed_by}"
    else:
        state = "belum dipastikan"
    lines = [
        f"Nama: {service.name}",
        f"Ringkasan: {service.summary}",
        f"Kategori: {service.category}",
        f"Diterbitkan oleh: {service.served_by}",
        f"Untuk: {service.audience}",
    ]
    for req in service.requirements:
        detail = requirement_detail(req.copy_label, req.count, req.when)
        note = f" — {req.note}" if req.note else ""
        lines.append(f"Persyaratan: {req.document} ({detail}){note}")
    lines += [f"Langkah {n} ({s.at}): {s.text}" for n, s in enumerate(service.steps, 1)]
    lines += [
        f"Waktu: {service.time}",
        f"Biaya: {format_fee(service.fee)}",
        f"Keterangan biaya: {service.fee_note or '-'}",
        f"Hasil: {service.product}",
        *(f"Dasar hukum: {item}" for item in service.legal_basis),
        f"Kata kunci: {', '.join(service.keywords)}",
        f"Pemberitahuan penting: {service.notice or '-'}",
        f"Pemeriksaan: {format_date(review.checked)}, {state}",
        f"Sumber: {review.source}",
    ]
    return lines


def describe(catalog: Catalog) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(kind, key) → (title, lines) for everything in ``catalog``."""
    out: dict[tuple[str, str], tuple[str, list[str]]] = {
        ("Umum", ""): (
            "Kecamatan",
            [
                f"Kecamatan: {catalog.kecamatan}",
                f"Kabupaten: {catalog.kabupaten}",
                f"Kantor utama: {catalog.main_office}",
                *(f"Pengaduan: {c.label}: {c.value}" for c in catalog.complaints),
            ],
        )
    }
    for c in catalog.categories:
        out[("Kategori", c.id)] = (c.name, [f"Nama: {c.name}", f"Keterangan: {c.description}"])
    for o in catalog.offices:
        lines = [f"Nama: {o.name}", f"Alamat: {o.address or '-'}"]
        lines += [f"Jam buka: {h.days}: {h.time}" for h in o.hours]
        lines += [f"Kontak: {c.label}: {c.value}" for c in o.contacts]
        lines.append(f"Masih contoh: {'ya' if o.placeholder else 'tidak'}")
        out[("Kantor", o.id)] = (o.name, lines)
    for v in catalog.villages:
        out[("Desa", v.id)] = (v.name, [f"Nama: {v.name}", f"Kode: {v.code or '-'}"])
    for s in catalog.services:
        out[("Layanan", s.id)] = (s.name, describe_service(s))
    return out


def changed_lines(old: list[str], new: list[str]) -> tuple[str, ...]:
    """Only the lines that went ('- ...') or came ('+ ...'), in reading order."""
    return tuple(line for line in difflib.ndiff(old, new) if line[:2] in ("- ", "+ "))


def catalog_changes(old: Catalog | None, new: Catalog) -> list[Change]:
    """Everything that differs from ``old`` to ``new`` (all of ``new`` when old is None)."""
    before = describe(old) if old is not None else {}
    after = describe(new)
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        title, new_lines = after[key] if key in after else before[key]
        if key not in before:
            changes.append(Change(*key, title, "baru", tuple(f"+ {x}" for x in new_lines)))
        elif key not in after:
            lines = tuple(f"- {x}" for x in before[key][1])
            changes.append(Change(*key, title, "dihapus", lines))
        elif before[key][1] != new_lines:
            lines = changed_lines(before[key][1], new_lines)
            changes.append(Change(*key, title, "diubah", lines))
    return changes


def service_changes(old: Service | None, new: Service | None) -> tuple[str, ...]:
    """What changed in one service (for "a change to a confirmed service")."""
    return changed_lines(describe_service(old) if old else [], describe_service(new) if new else [])
