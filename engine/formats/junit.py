"""JUnit XML: a testsuite per checked file, a failing testcase per error or warning."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from engine.findings import Finding, Severity
from engine.formats import RenderContext

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (ElementTree would write them unescaped)."""
    return _ILLEGAL.sub("", text)


def _testcase(suite: ET.Element, f: Finding) -> int:
    name = xml_safe(f"{f.rule} {f.line}:{f.column}")
    case = ET.SubElement(suite, "testcase", classname=xml_safe(f.path), name=name)
    detail = f"{f.path}:{f.line}:{f.column}: {f.severity.value}: {f.message} [{f.rule}]"
    if f.hint:
        detail += f"\nhint: {f.hint}"
    if f.severity is Severity.INFO:  # informational: passes, but keeps the text
        ET.SubElement(case, "system-out").text = xml_safe(detail)
        return 0
    failure = ET.SubElement(
        case, "failure", type=xml_safe(f.rule), message=xml_safe(f"{f.severity.value}: {f.message}")
    )
    failure.text = xml_safe(detail)
    return 1


def render(findings: list[Finding], ctx: RenderContext) -> str:
    by_file: dict[str, list[Finding]] = {path: [] for path in ctx.files}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)

    root = ET.Element("testsuites", name="tabletop validate")
    total_tests = total_failures = 0
    for path, file_findings in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=xml_safe(path))
        failures = sum(_testcase(suite, f) for f in file_findings)
        if not file_findings:
            ET.SubElement(suite, "testcase", classname=xml_safe(path), name="validate")
        tests = max(len(file_findings), 1)
        suite.attrib.update(tests=str(tests), failures=str(failures), errors="0", skipped="0")
        total_tests += tests
        total_failures += failures
    root.attrib.update(tests=str(total_tests), failures=str(total_failures), errors="0")

    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
