"""Writes a CSV register (UTF-8, comma-separated) as an .xlsx workbook with openpyxl (Debian's
python3-openpyxl), as office staff keep one in Excel: texts as shared strings, dates as real dates
(numbers with a date format: dd/mm/yyyy, and Excel's own date-and-time format for the column
given with --datetime-column), whole numbers as numbers, line breaks inside cells kept.
  write_xlsx.py REGISTER.csv OUT.xlsx [--datetime-column HEADER]
  write_xlsx.py --zip-without-workbook OUT.zip   (a ZIP archive that is no workbook)
Run with /usr/bin/python3."""
import csv
import datetime
import re
import sys
import zipfile

import openpyxl

DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def main():
    if sys.argv[1] == "--zip-without-workbook":
        with zipfile.ZipFile(sys.argv[2], "w") as archive:
            archive.writestr("so-theo-doi.csv", "Nội dung nhiệm vụ,Đơn vị chủ trì\n")
        return
    source, target = sys.argv[1], sys.argv[2]
    datetime_column = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--datetime-column" else None
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi"
    with open(source, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if text == "":
                continue
            cell = sheet.cell(row=r, column=c)
            match = DATE.match(text) if r > 1 else None
            if match:
                day, month, year = (int(g) for g in match.groups())
                if header[c - 1] == datetime_column:
                    cell.value = datetime.datetime(year, month, day, 0, 0)
                    cell.number_format = "m/d/yy h:mm"  # built-in format 22
                else:
                    cell.value = datetime.date(year, month, day)
                    cell.number_format = "dd/mm/yyyy"
            elif r > 1 and text.isdigit() and not text.startswith("0"):
                cell.value = int(text)
            else:
                cell.value = text
    book.save(target)


main()
