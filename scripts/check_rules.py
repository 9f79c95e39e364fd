#!/usr/bin/python3
"""Checks the house rules that the compiler cannot (as Envoy's check_format.py does).

    scripts/check_rules.py [ROOT]

ROOT is the source tree (default: the one this script is in). Prints one line per breach,
FILE:LINE: rule: what, and exits 1 if there is any, 0 otherwise. The rules (docs/design.md,
"How a request flows"):

  clock    No real clock outside the clock module (src/app/system_time.hpp): time is a
           dependency, injected as domain::Clock, so that tests move it instead of waiting.
  layers   No include of an outer module from an inner one. Modules, innermost first:
           domain <- config <- storage <- notify <- service, scheduler <- delivery <- http <- app
           (service and scheduler are peers and include neither each other; delivery sends what
           notify composed and is used by app alone).
  store    src/http names no Store: handlers call services, the service layer alone holds it.
  design   A citation of the design names a heading of docs/design.md, as
           `docs/design.md, "Time"`; the numbered sections of an older design ("design §2")
           name nothing in this project.
"""

import pathlib
import re
import sys

RANKS = {
    "domain": 0,
    "config": 1,
    "storage": 2,
    "notify": 3,
    "service": 4,
    "scheduler": 4,
    "delivery": 5,
    "http": 5,
    "app": 6,
}
# Modules of one rank that may include each other (none today).
PEERS_ALLOWED = set()

CLOCK_MODULE = "src/app/system_time.hpp"
REAL_CLOCK = re.compile(
    r"\b(system_clock|steady_clock|high_resolution_clock)::now\b"
    r"|\bsleep_for\b|\bsleep_until\b|(?<![\w.>:])time\s*\(|\bgettimeofday\b|\bclock_gettime\b"
)
INCLUDE = re.compile(r'^\s*#\s*include\s*"dondoc/(\w+)/')
CITATION = re.compile(r'docs/design\.md, "([^"]+)"')
OLD_CITATION = re.compile(r"\bdesign §")
STORE_NAMES = re.compile(r"\bStore\b|\bstorage::|\bstore_?(\.|->)|dondoc/storage/")


def code_of(line):
    """The line without its // comment and string literals' contents (good enough for C++)."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    at = line.find("//")
    return line if at < 0 else line[:at]


def module_of(rel):
    parts = rel.parts
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    if parts[0] == "include" and len(parts) > 3:
        return parts[1]
    return None


def headings(root):
    design = root / "docs" / "design.md"
    if not design.exists():
        return set()
    return {
        line[3:].strip()
        for line in design.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }


def check(root):
    breaches = []
    known = headings(root)
    files = sorted(
        p
        for base in ("src", "include", "tests", "bench")
        for p in (root / base).rglob("*")
        if p.suffix in (".cpp", ".hpp", ".h", ".txt") and "corpus" not in p.parts
    )
    for path in files:
        rel = path.relative_to(root)
        module = module_of(rel)
        in_comment = False
        in_source = rel.parts[0] in ("src", "include")
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{rel}:{number}"
            if OLD_CITATION.search(raw):
                breaches.append(f"{where}: design: cites a numbered section; name a heading")
            for heading in CITATION.findall(raw):
                if heading not in known:
                    breaches.append(
                        f'{where}: design: docs/design.md has no heading "{heading}"'
                    )
            if not in_source:
                continue
            include = INCLUDE.match(raw)
            if include and module in RANKS:
                target = include.group(1)
                if target not in RANKS:
                    breaches.append(f"{where}: layers: unknown module '{target}'")
                elif target != module and (
                    RANKS[target] > RANKS[module]
                    or (RANKS[target] == RANKS[module] and (module, target) not in PEERS_ALLOWED)
                ):
                    breaches.append(
                        f"{where}: layers: {module} includes {target}, an outer module"
                    )
            # Block comments are skipped whole; a line comment is cut off.
            line = raw
            if in_comment:
                end = line.find("*/")
                if end < 0:
                    continue
                line = line[end + 2 :]
                in_comment = False
            start = line.find("/*")
            if start >= 0 and line.find("*/", start) < 0:
                in_comment = True
                line = line[:start]
            code = code_of(line)
            if str(rel) != CLOCK_MODULE and REAL_CLOCK.search(code):
                breaches.append(
                    f"{where}: clock: reads the real clock; take a domain::Clock instead"
                )
            if module == "http" and STORE_NAMES.search(code if not include else raw):
                breaches.append(f"{where}: store: http names the store; call a service instead")
    return breaches


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    breaches = check(root.resolve())
    for b in breaches:
        print(b)
    if breaches:
        print(f"check_rules: {len(breaches)} breach(es) of the house rules", file=sys.stderr)
        return 1
    print("check_rules: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
