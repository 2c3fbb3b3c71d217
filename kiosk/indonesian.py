"""Indonesian formatting shared by every surface (site, slips, posters)."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date(value: date) -> str:
    """27 November 2026"""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_rupiah(amount: int) -> str:
    """Rp 10.000 (dots group thousands in Indonesian)."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def format_fee(amount: int | None) -> str:
    if amount is None:
        return "Belum pasti, tanyakan di kantor"
    return "Gratis" if amount == 0 else format_rupiah(amount)


def requirement_detail(copy_label: str, count: int, when: str) -> str:
    """'fotokopi, 2 lembar, jika diwakilkan' — the small print under a requirement."""
    parts = [copy_label]
    if count > 1:
        parts.append(f"{count} lembar")
    if when:
        parts.append(when)
    return ", ".join(parts)
