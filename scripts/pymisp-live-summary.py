#!/usr/bin/env python3
"""Prints one line per requested PyMISP live test from pytest's JUnit XML, then a count line.

Usage: pymisp-live-summary.py <junit.xml> <dialect> <test_name>...
Exit status 0 when no requested test failed: FAIL, ERROR and MISSING (never run) count, SKIP (skipped by the suite
itself, e.g. test_versions "Tested elsewhere") does not.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def first_line(node: ET.Element) -> str:
    text = (node.get('message') or node.text or '').strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), '')
    return line if len(line) <= 160 else line[:157] + '...'


def main() -> int:
    junit, dialect, wanted = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    results: dict[str, tuple[str, str, float]] = {}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter('testcase'):
            name = case.get('name', '')
            status, detail = 'PASS', ''
            for tag, label in (('failure', 'FAIL'), ('error', 'ERROR'), ('skipped', 'SKIP')):
                node = case.find(tag)
                if node is not None:
                    status, detail = label, first_line(node)
                    break
            # setUpClass errors are reported on the first test; keep the worst status per name.
            if name not in results or results[name][0] == 'PASS':
                results[name] = (status, detail, float(case.get('time') or 0))
    counts: dict[str, int] = {}
    width = max((len(n) for n in wanted), default=0)
    for name in wanted:
        status, detail, secs = results.get(name, ('MISSING', 'not run (unknown test name or pytest crashed)', 0.0))
        counts[status] = counts.get(status, 0) + 1
        print(f'{status:<7} {name:<{width}} {secs:6.2f}s  {detail}'.rstrip())
    total = ', '.join(f'{v} {k.lower()}' for k, v in sorted(counts.items()))
    print(f'pymisp-live [{dialect}]: {counts.get("PASS", 0)}/{len(wanted)} passed ({total})')
    return 1 if any(counts.get(k) for k in ('FAIL', 'ERROR', 'MISSING')) else 0


if __name__ == '__main__':
    sys.exit(main())
