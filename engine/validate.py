"""Run every rule over a set of files and return the findings in a stable order."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from engine.config import Config
from engine.findings import Finding, Severity
from engine.load import Document, read_document
from engine.rules import checks
from engine.rules.base import Project, Subject
from engine.schema import check_document

if TYPE_CHECKING:
    from engine.parse_cache import ParseCache

YAML_SUFFIXES = (".yaml", ".yml")
# The top-level keys that make a YAML file one of tabletop's, and the folders where a file is taken to be
# tabletop's even when its key is broken. A new kind of file joins by adding its key and folder here.
FILE_KINDS: dict[str, str] = {"runbook": "runbooks", "scenario": "scenarios", "improvements": "improvements"}
_SNIFF_BYTES = 256 * 1024  # how much of a found file is looked at to tell whether it is tabletop's


class UsageError(Exception):
    """The command was given something it cannot use (exit code 2)."""


@dataclass
class Result:
    files: list[str]
    findings: list[Finding]
    documents: list[Document] = field(default_factory=list)
    project: Project = field(default_factory=Project)
    skipped: list[str] = field(default_factory=list)  # found YAML files that are not tabletop's (not read)

    @property
    def unreadable(self) -> bool:
        return any(d.unreadable for d in self.documents)

    def broken(self, path: str, *, load_only: bool = False) -> bool:
        """Whether the file has YAML or schema errors: its model then lacks what the file says.

        load_only: only errors that stop the file loading at all (YAML, file), not the schema's.
        """
        kinds = ("yaml-", "file-") if load_only else ("schema-", "yaml-", "file-")
        return any(f.path == path and f.severity is Severity.ERROR and f.rule.startswith(kinds)
                   for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def discover(paths: list[str], config: Config) -> list[str]:
    """Files to check: files as given, and *.yaml / *.yml found under folders (sorted)."""
    out: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.endswith(YAML_SUFFIXES):
                        found.append(_display(Path(root) / name))
            out.extend(sorted(f for f in found if not _excluded(f, config)))
        elif path.exists():
            out.append(_display(path))
        else:
            raise UsageError(f"{given}: no such file or folder")
    return once(out)


def once(files: list[str]) -> list[str]:
    """`files` with each file kept once, the first spelling of it: `runbooks/a.yaml`, `./runbooks/a.yaml`, its
    absolute path and a path through a symlink are one file (compared resolved), so it is not read twice."""
    seen: set[Path] = set()
    out = []
    for name in files:
        try:
            key = Path(name).resolve()
        except (OSError, RuntimeError):  # a symlink loop: keep the name as it is
            key = Path(os.path.abspath(name))
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _display(path: Path) -> str:
    return PurePosixPath(path.as_posix()).as_posix().removeprefix("./")


def _excluded(path: str, config: Config) -> bool:
    """Whether settings exclude the path; patterns are relative to the settings file's folder."""
    if not config.exclude:
        return False
    names = [path]
    if config.source:
        try:
            names.append(Path(path).resolve().relative_to(Path(config.source).resolve().parent).as_posix())
        except ValueError:
            pass
    return any(fnmatch.fnmatch(n, p) for n in names for p in config.exclude)


def validate(files: list[str], config: Config | None = None, *, found: set[str] | None = None,
             today: date | None = None, quick: bool = False, parse_cache: ParseCache | None = None) -> Result:
    """Load, check and cross-check the files; findings sorted by file, line, column, rule.

    `found` names files that were found by searching a folder rather than named by
    the user: those that are plainly not tabletop files (other YAML in the
    repository) are left out quietly, unless they sit in a runbooks/,
    scenarios/ or improvements/ folder, where a broken top key is more likely
    than a stranger. `today` is the date improvement items are due against
    (None: no item is checked for being overdue); the caller reads the clock. With `quick`, the
    models of files that are right are engine.quick_check's records (no pydantic: sooner for a few
    small files), for callers that read only the findings; the findings are the same either way.
    `parse_cache` (engine.parse_cache): files are parsed once per content, for the drill console.
    """
    config = config or Config()
    documents, files, skipped = _read(files, config, found, parse_cache)
    project = Project(today=today, catalogues=config.catalogues)
    for doc in documents:
        if doc.kind and not doc.unreadable:
            check_document(doc, quick=quick)
            if doc.model is not None:
                project.of_kind(doc.kind).append(Subject(doc, doc.model))
    raw: list[Finding] = [f for doc in documents for f in doc.findings] + _cross_check(project)
    findings = _settle(raw, documents, config)
    return Result(files=files, findings=findings, documents=documents, project=project, skipped=sorted(skipped))


def _read(files: list[str], config: Config, found: set[str] | None, parse_cache: ParseCache | None = None
          ) -> tuple[list[Document], list[str], list[str]]:
    """The documents read, the files they are, and the found files left out as other YAML (see validate)."""
    skipped = [f for f in files if f in found and declared_kind(f) is None] if found else []
    files = [f for f in files if f not in set(skipped)]
    documents = [read_document(f, max_bytes=config.max_file_bytes, parse_cache=parse_cache) for f in files]
    if found:
        strangers = {d.path for d in documents if d.path in found and _stranger(d)}
        skipped += [f for f in files if f in strangers]
        documents = [d for d in documents if d.path not in strangers]
        files = [d.path for d in documents]
    return documents, files, skipped


def _cross_check(project: Project) -> list[Finding]:
    """The findings of every check module over the project's models, by kind, in the order validate runs them."""
    raw: list[Finding] = []
    for module in checks("runbook") if project.runbooks else ():
        for subject in project.runbooks:
            raw.extend(module.check(subject))
    for module in checks("scenario") if project.scenarios else ():
        for subject in project.scenarios:
            raw.extend(module.check(subject, project))
    for module in checks("project") if project.runbooks or project.scenarios else ():
        raw.extend(module.check(project))
    for module in checks("improvements") if project.improvements else ():
        for subject in project.improvements:
            raw.extend(module.check(subject, project))
    return raw


def declared_kind(path: str) -> str | None:
    """The kind of tabletop file a found YAML file is, from a quick look; None for other YAML.

    A file is tabletop's when one of FILE_KINDS' keys starts a line (a top-level key), when its
    first lines carry a tabletop schema modeline, or when it sits in one of FILE_KINDS' folders
    (`runbooks/`, `scenarios/`), where a broken key is likelier than a stranger, unless its top-level
    keys are all foreign (a Kubernetes manifest in a chaos-engineering `scenarios/` folder: `apiVersion`,
    `kind`, `metadata`) or it is a top-level list. Helm templates, Kubernetes manifests, CI workflows and
    other YAML are not, and neither is anything that is not a regular file (a FIFO named *.yaml is never
    opened). Only the first 256 KB are looked at.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    folders = set(PurePosixPath(Path(path).as_posix()).parts[:-1])
    for kind in FILE_KINDS:
        if re.search(rf"^['\"]?{kind}['\"]?[ \t]*:", head, re.MULTILINE):
            return kind
        if f"schemas/{kind}.schema.json" in head[:2000]:
            return kind
    by_folder = next((kind for kind, folder in FILE_KINDS.items() if folder in folders), None)
    return None if by_folder is not None and foreign(head) else by_folder


_TOP_KEY = re.compile(r"^['\"]?([A-Za-z_][\w.-]*)['\"]?[ \t]*:(?:[ \t]|$)", re.MULTILINE)
_TOP_LIST = re.compile(r"^-(?:[ \t]|$)", re.MULTILINE)


def foreign(text: str) -> bool:
    """Whether YAML text is plainly another tool's: it has top-level keys and none of them is a key of a
    runbook, a scenario or an improvement plan, or near one (`runbok`), or it is a top-level list (an
    Ansible playbook) with none."""
    import difflib

    keys = set(_TOP_KEY.findall(text))
    ours = _tabletop_keys()
    if keys:
        return not any(key in ours or difflib.get_close_matches(key, ours, n=1, cutoff=0.8) for key in keys)
    return bool(_TOP_LIST.search(text))


@functools.cache
def _tabletop_keys() -> frozenset[str]:
    from engine.improvement.model import ImprovementPlan
    from engine.model import Runbook, Scenario

    return frozenset((field.alias or name) for model in (Runbook, Scenario, ImprovementPlan)
                     for name, field in model.model_fields.items())


def _stranger(doc: Document) -> bool:
    """Other YAML in the repository: not ours by its top key, its schema line, or its folder."""
    if doc.kind or any(f.rule != "file-unknown-kind" for f in doc.findings):
        return False
    if any(f"schemas/{kind}.schema.json" in doc.text for kind in FILE_KINDS):
        return False
    return foreign(doc.text) or not (set(FILE_KINDS.values()) & set(PurePosixPath(doc.path).parts[:-1]))


def _settle(raw: list[Finding], documents: list[Document], config: Config) -> list[Finding]:
    """Apply config and `# tabletop: ignore[...]` comments; drop repeats; sort."""
    silenced = {doc.path: doc.suppressions() for doc in documents}
    out: dict[tuple[object, ...], Finding] = {}
    for finding in raw:
        if finding.rule in config.disable:
            continue
        if finding.rule in silenced.get(finding.path, {}).get(finding.line, ()):
            continue
        if finding.rule in config.severity:
            finding = _with_severity(finding, config.severity[finding.rule])
        out.setdefault(finding.sort_key(), finding)
    return sorted(out.values(), key=Finding.sort_key)


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    from dataclasses import replace

    return replace(finding, severity=severity)
