"""Prints an .xlsx workbook as JSON, {"sheet name": [[cell, ...], ...]}, read with openpyxl
(Debian's python3-openpyxl), independently of the library that wrote it. Numbers stay numbers,
empty cells are null, and the empty cells that end a row are left out. Run with /usr/bin/python3."""
import json
import sys

import openpyxl



def trimmed(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


book = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps({ws.title: [trimmed(row) for row in ws.iter_rows(values_only=True)]
                  for ws in book.worksheets}, ensure_ascii=False))
