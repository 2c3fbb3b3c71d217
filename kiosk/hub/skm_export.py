"""The SKM/IKM report as CSV, XLSX (openpyxl) and a printable PDF (fpdf2).

Pure: an :class:`SkmReport` in, bytes out. Profile counts from 1 to 4 are written as
"< 5" (exports.small); the PDF uses the standard Helvetica font (no font files needed),
so text goes through the posters' WinAnsi filter.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ..posters.metrics import winansi
from .console import text
from .exports import Sheet, small, to_csv, to_xlsx
from .skm_report import PROFILE_FIELDS, SkmReport

PDF_SARAN = 200  # newest first; the XLSX has them all
ROW_MM = 5  # line height of the PDF's tables


def summary_lines(report: SkmReport) -> list[str]:
    r = report.result
    f = report.filter
    lines = [
        f"Survei Kepuasan Masyarakat (PermenPANRB 14/2017) - {f.period.label}",
        f"Periode {f.period.start.isoformat()} s.d. {f.period.end.isoformat()}; "
        f"desa: {report.village_name}; layanan: {report.service_name}",
        f"Jumlah responden (n): {r.n}",
        f"IKM: {'-' if r.ikm is None else r.ikm}  Mutu: {r.mutu or '-'}  "
        f"Kinerja: {r.kinerja or '-'}",
    ]
    if r.population is None:
        lines.append("Jumlah pengguna layanan periode ini belum diisi: IKM sementara.")
    else:
        state = "IKM sementara" if r.provisional else "sampel cukup"
        lines.append(
            f"Pengguna layanan: {r.population}; sampel minimal (Krejcie-Morgan): "
            f"{r.sample_needed}; {state}."
        )
    if r.missing:
        lines.append("Unsur tanpa jawaban (tidak dihitung): " + ", ".join(r.missing))
    lines.append("IKM = rata-rata NRR sembilan unsur x 25 (bobot 1/9), dibulatkan 2 desimal.")
    return lines


def unsur_sheet(report: SkmReport) -> Sheet:
    rows: list[list[Any]] = [
        [
            label,
            key,
            answers,
            None if nrr is None else round(nrr, 3),
            None if nilai is None else round(nilai, 2),
        ]
        for label, key, answers, nrr, nilai in report.unsur_rows()
    ]
    ikm = report.result.ikm
    rows.append(["IKM", "", report.result.n, None, ikm])
    header = ["Unsur", "Kode", "Jawaban", "NRR", "Nilai (NRR x 25)"]
    return Sheet("IKM", header, rows, summary_lines(report))


def profile_sheet(report: SkmReport) -> Sheet:
    rows = [
        [text.RESPONDENT[name], value or text.NOT_STATED, small(n)]
        for name in PROFILE_FIELDS
        for value, n in report.profile.get(name, [])
    ]
    return Sheet("Profil responden", ["Data", "Isian", "Jumlah"], rows, ["< 5: 1 sampai 4"])


def saran_sheet(report: SkmReport) -> Sheet:
    rows = [[day.isoformat(), village, saran] for day, village, saran in report.saran]
    return Sheet("Saran", ["Tanggal", "Desa", "Saran"], rows)


def skm_csv(report: SkmReport) -> bytes:
    return to_csv(unsur_sheet(report))


def skm_xlsx(report: SkmReport) -> bytes:
    return to_xlsx([unsur_sheet(report), profile_sheet(report), saran_sheet(report)])


def skm_pdf(report: SkmReport) -> bytes:
    """A printable A4 report: summary, the unsur table, profile and saran."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(winansi(f"Laporan SKM {report.filter.period.label}"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(
        0,
        7,
        winansi("Laporan Survei Kepuasan Masyarakat - Kecamatan Kemlagi"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("helvetica", size=10)
    for line in summary_lines(report):
        _line(pdf, winansi(line))
    pdf.ln(3)
    sheet = unsur_sheet(report)
    _table(
        pdf,
        sheet.header,
        [[_cell(v) for v in row] for row in sheet.rows],
        widths=(80, 30, 20, 20, 30),
    )
    _section(pdf, "Profil responden")
    prof = profile_sheet(report)
    _table(pdf, prof.header, [[str(v) for v in row] for row in prof.rows], widths=(50, 90, 40))
    _section(pdf, "Saran dan masukan")
    shown = report.saran[:PDF_SARAN]
    lines = [f"{day.isoformat()} {village}: {saran}" for day, village, saran in shown]
    if len(report.saran) > PDF_SARAN:
        lines.append(f"... dan {len(report.saran) - PDF_SARAN} saran lain (lihat XLSX).")
    for line in lines or ["(tidak ada)"]:
        _line(pdf, winansi(line))
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _line(pdf: Any, line: str) -> None:
    """One paragraph; a line that fits skips fpdf2's (slow) line breaker."""
    if pdf.get_string_width(line) < pdf.epw - 1:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _section(pdf: Any, title: str) -> None:
    pdf.ln(4)
    pdf.set_font("helvetica", "B", 12)
    pdf.multi_cell(0, 7, winansi(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)


def _table(
    pdf: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> None:
    """A bordered table, header in bold. Drawn cell by cell: fpdf2's table() lays every
    cell out with its line breaker, several ms each (docs/performance.md)."""
    pdf.set_font(style="B")
    _row(pdf, header, widths)
    pdf.set_font(style="")
    for row in rows:
        _row(pdf, row, widths)


def _row(pdf: Any, values: Sequence[str], widths: Sequence[int]) -> None:
    cells = [_wrap(pdf, winansi(value), width) for value, width in zip(values, widths, strict=True)]
    height = ROW_MM * max(len(lines) for lines in cells)
    if pdf.will_page_break(height):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    for lines, width in zip(cells, widths, strict=True):
        pdf.rect(x, y, width, height)
        for i, line in enumerate(lines):
            pdf.set_xy(x, y + ROW_MM * i)
            pdf.cell(width, ROW_MM, line)
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def _wrap(pdf: Any, value: str, width: float) -> list[str]:
    """The cell's lines; a value that fits skips the line breaker."""
    if pdf.get_string_width(value) <= width - 2 * pdf.c_margin:
        return [value]
    return list(pdf.multi_cell(width, ROW_MM, value, dry_run=True, output="LINES")) or [""]
