"""The rules of the Ant JUnit XML schema most CI tools check against (windyroad JUnit.xsd), as a checker.

The schema file itself is not in the project; tests/formats validates against
it with lxml when ../shared/external/junit/JUnit.xsd is there, and always
against these rules, written from it: a bare <testsuites> of <testsuite>
elements; each suite with the required attributes below and the children
properties, testcase*, system-out, system-err in that order; each testcase
with name, classname and time, holding at most one skipped, error or failure
(and nothing else); failure and error with a type.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

XSD = Path(__file__).resolve().parents[2] / ".." / "shared" / "external" / "junit" / "JUnit.xsd"
SUITE_REQUIRED = {"package", "id", "name", "timestamp", "hostname", "tests", "failures", "errors", "time"}
SUITE_ALLOWED = SUITE_REQUIRED | {"skipped"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def errors(text: str) -> list[str]:
    """What the schema would refuse in a JUnit XML document; empty when it is valid."""
    root = ET.fromstring(text.encode("utf-8"))
    found: list[str] = []
    if root.tag != "testsuites":
        return [f"root is <{root.tag}>, not <testsuites>"]
    if root.attrib:
        found.append(f"<testsuites> has attributes {sorted(root.attrib)}; the schema allows none")
    for index, suite in enumerate(root):
        where = f"testsuite #{index}"
        if suite.tag != "testsuite":
            found.append(f"<testsuites> holds <{suite.tag}>")
            continue
        found += [f"{where}: no {a}" for a in sorted(SUITE_REQUIRED - set(suite.attrib))]
        found += [f"{where}: attribute {a} not allowed" for a in sorted(set(suite.attrib) - SUITE_ALLOWED)]
        if "timestamp" in suite.attrib and not _TIMESTAMP.match(suite.attrib["timestamp"]):
            found.append(f"{where}: timestamp {suite.attrib['timestamp']!r} is not YYYY-MM-DDTHH:MM:SS")
        for name in ("id", "tests", "failures", "errors", "skipped"):
            if name in suite.attrib and not _INT.match(suite.attrib[name]):
                found.append(f"{where}: {name} is not an integer")
        if "time" in suite.attrib and not _DECIMAL.match(suite.attrib["time"]):
            found.append(f"{where}: time is not a decimal")
        for name in ("name", "hostname", "package"):
            if name in suite.attrib and not suite.attrib[name].strip():
                found.append(f"{where}: {name} is empty")
        tags = [child.tag for child in suite]
        shape = "".join({"properties": "p", "testcase": "t", "system-out": "o", "system-err": "e"}.get(t, "?")
                        for t in tags)
        if not re.fullmatch(r"pt*oe", shape):
            found.append(f"{where}: children {tags}; the schema wants properties, testcase*, system-out, system-err")
        for case in suite.findall("testcase"):
            missing = {"name", "classname", "time"} - set(case.attrib)
            if missing:
                found.append(f"{where}: testcase without {sorted(missing)}")
            extra = set(case.attrib) - {"name", "classname", "time"}
            if extra:
                found.append(f"{where}: testcase attribute(s) {sorted(extra)} not allowed")
            children = [c.tag for c in case]
            if len(children) > 1 or (children and children[0] not in ("skipped", "error", "failure")):
                found.append(f"{where}: testcase holds {children}")
            for result in case:
                if result.tag in ("error", "failure") and "type" not in result.attrib:
                    found.append(f"{where}: <{result.tag}> without a type")
        for prop in suite.findall("properties/property"):
            if not prop.get("name") or prop.get("value") is None:
                found.append(f"{where}: a property without a name or a value")
    return found


def xsd_errors(text: str) -> list[str] | None:
    """Errors from the real XSD through lxml, or None when the schema file or lxml is not at hand."""
    if not XSD.is_file():
        return None
    try:
        from lxml import etree
    except ImportError:
        return None
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(text.encode("utf-8"))
    return [] if schema.validate(document) else [str(e) for e in schema.error_log]
