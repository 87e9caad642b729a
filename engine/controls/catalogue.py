"""Control catalogues: which control ids exist, each with a short title.

tabletop ships one TOML file a catalogue in engine/controls/catalogues/ (SOC 2,
NIST SP 800-53 rev. 5, ISO 22301, ISO/IEC 27001:2022 Annex A, DORA, NIS2); a
project adds its own with `catalogues = ["controls/ours.toml"]` in tabletop.toml.
A catalogue file:

    catalogue = "acme"                 # the name controls are written with: acme:BC-7
    title = "Acme control framework"
    [controls]
    "BC-7" = "Continuity plans are exercised every year"

A project file naming a catalogue tabletop ships adds controls to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SHIPPED = ("dora", "iso-22301", "iso-27001", "nis2", "nist-800-53", "soc2")
MAX_CATALOGUE_BYTES = 4 << 20
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.()-]*")


class CatalogueError(Exception):
    """A catalogue file that cannot be used; the message names the file and what to fix."""


@dataclass
class Catalogue:
    name: str  # as controls are written: `soc2` in soc2:CC7.4
    title: str
    controls: dict[str, str] = field(default_factory=dict)  # id -> short title
    sources: list[str] = field(default_factory=list)  # the files it was read from ("tabletop" for a shipped one)


def parse(text: str, where: str) -> Catalogue:
    """One catalogue from the text of its TOML file. Raises CatalogueError naming `where`."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise CatalogueError(f"{where}: not valid TOML: {exc}") from None
    unknown = set(data) - {"catalogue", "title", "controls"}
    if unknown:
        raise CatalogueError(f"{where}: unknown key {sorted(unknown)[0]!r}; a catalogue has catalogue, title "
                             "and controls")
    name, title, controls = data.get("catalogue"), data.get("title"), data.get("controls")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise CatalogueError(f"{where}: `catalogue` must be a name like \"acme\" (lowercase, digits, hyphens)")
    if not isinstance(title, str) or not title.strip():
        raise CatalogueError(f"{where}: `title` must be the catalogue's name as people read it")
    if not isinstance(controls, dict) or not controls:
        raise CatalogueError(f"{where}: `[controls]` must list the controls, each id = \"short title\"")
    for ident, short in controls.items():
        if not _IDENT.fullmatch(ident):
            raise CatalogueError(f"{where}: control id {ident!r} must be letters, digits, dots, hyphens and "
                                 "brackets, like \"CC7.4\" or \"CP-4(1)\"")
        if not isinstance(short, str) or not short.strip():
            raise CatalogueError(f"{where}: control {ident!r} needs a short title in quotes")
    return Catalogue(name, title.strip(), {k: v.strip() for k, v in controls.items()}, [where])


@cache
def shipped() -> tuple[Catalogue, ...]:
    """The catalogues tabletop ships, by name (read with read_shipped: validate of a small runbook imports no
    TOML reader; tests/controls keeps it and tomllib in agreement on every shipped file)."""
    folder = Path(__file__).parent / "catalogues"
    return tuple(read_shipped((folder / f"{name}.toml").read_text(encoding="utf-8")) for name in SHIPPED)


_LINE = re.compile(r'(?:"([^"\\]*)"|([a-z]+)) = "([^"\\]*)"')


def read_shipped(text: str) -> Catalogue:
    """A shipped catalogue: the plain subset of TOML those files keep to (comments, `key = "text"`, one
    `[controls]` table of `"id" = "title"`). Raises CatalogueError for anything else."""
    top: dict[str, str] = {}
    controls: dict[str, str] = {}
    table = top
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[controls]":
            table = controls
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise CatalogueError(f"tabletop: line {number} of a shipped catalogue is not plain `key = \"text\"`")
        table[match.group(1) or match.group(2)] = match.group(3)
    if set(top) != {"catalogue", "title"} or not controls:
        raise CatalogueError("tabletop: a shipped catalogue needs catalogue, title and [controls]")
    return Catalogue(top["catalogue"], top["title"], controls, ["tabletop"])


def read_file(path: str) -> Catalogue:
    """A project's catalogue file. Raises CatalogueError when it cannot be read or used."""
    target = Path(path)
    try:
        if not target.is_file():
            raise CatalogueError(f"{path}: no such catalogue file")
        if target.stat().st_size > MAX_CATALOGUE_BYTES:
            raise CatalogueError(f"{path}: larger than {MAX_CATALOGUE_BYTES >> 20} MiB; not read")
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read: {exc}") from None
    return parse(text, path)


def catalogues(extra: list[Catalogue] | tuple[Catalogue, ...] = ()) -> dict[str, Catalogue]:
    """The shipped catalogues with a project's own (`extra`) added, by name; a project file naming a
    shipped catalogue adds its controls to it."""
    out = {c.name: Catalogue(c.name, c.title, dict(c.controls), list(c.sources)) for c in shipped()}
    for own in extra:
        known = out.get(own.name)
        if known is None:
            out[own.name] = Catalogue(own.name, own.title, dict(own.controls), list(own.sources))
        else:
            known.controls.update(own.controls)
            known.sources += own.sources
    return out


def title_of(control: str, known: dict[str, Catalogue]) -> str | None:
    """The short title of `catalogue:id`, or None when no catalogue lists it."""
    name, _, ident = control.partition(":")
    catalogue = known.get(name)
    return catalogue.controls.get(ident) if catalogue else None
