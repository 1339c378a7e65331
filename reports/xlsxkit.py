"""Writing workbooks with openpyxl in write-only mode (rows stream to disk, so an export of
a whole province does not hold every cell in memory): one sheet per table, Thai headers
in bold on a tinted row, the header frozen and filterable, columns sized to their header.

Text is always written as text: a value people typed (a participant's name, a training's
title) that starts like a formula (= + - @, a tab or a carriage return) is stored as a
string cell marked with Excel's quote prefix, so it never runs, not even after an edit."""
from __future__ import annotations

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(name="Sarabun", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="ECE8DE")
BODY_FONT = Font(name="Sarabun")
WRAP = Alignment(vertical="top", wrap_text=True)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Sheet:
    """A sheet to fill: ``headers`` is ``[(title, width_in_characters)]``; ``rows`` any
    iterable of sequences (a generator is fine); ``formats`` an optional number format
    per column (e.g. "0.0%")."""

    def __init__(self, title, headers, rows, formats=None):
        self.title = title[:31]
        self.headers = headers
        self.rows = rows
        self.formats = formats or [None] * len(headers)


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text, whatever it starts with."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would store a leading "=" as a formula
    cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


def write_workbook(sheets, progress=None, every: int = 5000) -> bytes:
    """The workbook as .xlsx bytes. ``progress(rows_written)`` is called every ``every`` rows."""
    wb = Workbook(write_only=True)
    written = 0
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for i, (_, width) in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header = []
        for title, _ in sheet.headers:
            cell = WriteOnlyCell(ws, value=title)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            header.append(cell)
        ws.append(header)
        last_row = 1
        for row in sheet.rows:
            out = []
            for value, fmt in zip(row, sheet.formats, strict=True):
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    out.append(text_cell(ws, value))
                elif fmt:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
            last_row += 1
            written += 1
            if progress and written % every == 0:
                progress(written)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{last_row}"
    with tempfile.TemporaryFile() as tmp:
        wb.save(tmp)
        tmp.seek(0)
        data = tmp.read()
    if progress:
        progress(written)
    return data

