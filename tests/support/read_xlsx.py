"""Prints an .xlsx workbook as JSON, {"sheet name": [[cell, ...], ...]}, read with openpyxl
(Debian's python3-openpyxl), independently of the library that wrote it. Numbers stay numbers,
dates become "date:YYYY-MM-DD" (so that a date stored as text cannot pass for one), empty cells
are null, and the empty cells that end a row are left out. With --setup, prints instead each
sheet's print setup: orientation, paper size, the rows repeated on every page, the frozen cell.
Run with /usr/bin/python3."""
import datetime
import json
import sys

import openpyxl


def value(cell):
    if isinstance(cell, datetime.datetime):
        return "date:" + cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return "date:" + cell.isoformat()
    return cell


def trimmed(row):
    row = [value(cell) for cell in row]
    while row and row[-1] is None:
        row.pop()
    return row


if len(sys.argv) > 2 and sys.argv[2] == "--setup":
    book = openpyxl.load_workbook(sys.argv[1])
    print(json.dumps({ws.title: {"orientation": ws.page_setup.orientation,
                                 "paper": ws.page_setup.paperSize,
                                 "title_rows": ws.print_title_rows,
                                 "freeze": ws.freeze_panes}
                      for ws in book.worksheets}, ensure_ascii=False))
else:
    book = openpyxl.load_workbook(sys.argv[1], read_only=True)
    print(json.dumps({ws.title: [trimmed(row) for row in ws.iter_rows(values_only=True)]
                      for ws in book.worksheets}, ensure_ascii=False))
