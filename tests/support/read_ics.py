"""Prints the events of an iCalendar file as JSON, parsed with Debian's python3-icalendar,
independently of dondoc: [{"uid", "start", "end", "sequence", "summary", "description", "url"}].
Fails (exit 1) on a file that does not parse. Run with /usr/bin/python3."""
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())
events = []
for e in calendar.walk("VEVENT"):
    events.append({
        "uid": str(e["UID"]),
        "start": e.decoded("DTSTART").isoformat(),
        "end": e.decoded("DTEND").isoformat(),
        "sequence": int(e["SEQUENCE"]),
        "summary": str(e["SUMMARY"]),
        "description": str(e["DESCRIPTION"]),
        "url": str(e["URL"]),
    })
print(json.dumps({"name": str(calendar.get("X-WR-CALNAME")), "events": events},
                 ensure_ascii=False))
