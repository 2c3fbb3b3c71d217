"""Writers for the console's downloads: CSV and XLSX (openpyxl), plus the small-count rule.

Pure: tables in (a title, header row and rows), bytes out. Counts from 1 to 4 are
written as "< 5" in anything that leaves the console (a small village × service × period
cell can point at a person); 0 stays 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SMALL = "< 5"


@dataclass(frozen=True)
class Sheet:
    title: str  # ≤ 31 characters (Excel's limit)
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    notes: Sequence[str] = ()  # lines written above the table


def small(n: int) -> int | str:
    """A count as it may leave the console."""
    return SMALL if 0 < n < 5 else n


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows(sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for note in sheet.notes:
            ws.append([note])
        ws.append(list(sheet.header))
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for index, title in enumerate(sheet.header, start=1):
            width = max([len(str(title))] + [len(str(r[index - 1])) for r in sheet.rows[:200]])
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    # Decimal and other numbers go in as numbers; everything else as text
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("ya" if value else "tidak")
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
