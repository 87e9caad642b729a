"""JUnit XML: a testsuite per checked file, a testcase per finding; errors fail, warnings with --strict."""

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


def _testcase(suite: ET.Element, f: Finding, strict: bool) -> tuple[int, str | None]:
    """(1 if the case fails, else 0; the finding's text for the suite's system-out when it passes)."""
    name = xml_safe(f"{f.rule} {f.line}:{f.column}")
    case = ET.SubElement(suite, "testcase", name=name, classname=xml_safe(f.path), time="0")
    detail = f"{f.path}:{f.line}:{f.column}: {f.severity.value}: {f.message} [{f.rule}]"
    if f.hint:
        detail += f"\nhint: {f.hint}"
    if f.severity is Severity.INFO or (f.severity is Severity.WARNING and not strict):
        return 0, xml_safe(detail)  # passes, as `validate` does without --strict; the text is kept
    failure = ET.SubElement(
        case, "failure", message=xml_safe(f"{f.severity.value}: {f.message}"), type=xml_safe(f.rule)
    )
    failure.text = xml_safe(detail)
    return 1, None


def render(findings: list[Finding], ctx: RenderContext) -> str:
    """Ant JUnit XML that the common JUnit XSD accepts (windyroad JUnit.xsd): a bare <testsuites>; each
    <testsuite> with package, id, name, timestamp, hostname, tests, failures, errors, time, then
    <properties>, the test cases, <system-out> and <system-err>. Errors fail; warnings fail only with
    --strict (ctx.strict), as they fail `validate`; passing findings are listed in the suite's system-out."""
    by_file: dict[str, list[Finding]] = {path: [] for path in ctx.files}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)

    root = ET.Element("testsuites")
    for number, (path, file_findings) in enumerate(by_file.items()):
        suite = ET.SubElement(root, "testsuite", name=xml_safe(path) or "(unnamed)", package="tabletop.validate",
                              id=str(number), timestamp=ctx.timestamp, hostname="localhost")
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="tabletop.version", value=xml_safe(ctx.tool_version))
        failures, passed = 0, []
        for f in file_findings:
            failed, text = _testcase(suite, f, ctx.strict)
            failures += failed
            if text is not None:
                passed.append(text)
        if not file_findings:
            ET.SubElement(suite, "testcase", name="validate", classname=xml_safe(path), time="0")
        ET.SubElement(suite, "system-out").text = "\n".join(passed)
        ET.SubElement(suite, "system-err").text = ""
        suite.attrib.update(tests=str(max(len(file_findings), 1)), failures=str(failures), errors="0",
                            skipped="0", time="0")

    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
