"""Write an evidence pack: a folder with index.md and index.html, a page a control (controls/), the AAR of
each drill (aar/), evidence.json, and SHA256SUMS listing every other file (`sha256sum -c` reads it).

The same evidence gives the same bytes: nothing records when the pack was made unless `generated` is
given. The folder is written beside its place and renamed into it, so a pack is never half written; an
existing folder is replaced only when it holds a pack (a SHA256SUMS) and `force` is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from engine.evidence.gather import Evidence
from engine.evidence.render import markdown, page_html


class PackError(Exception):
    """The pack cannot be written where asked; the message says why (one line)."""


def check_target(folder: str, force: bool) -> None:
    """Raise PackError unless `folder` can take a pack: absent, empty, or (with force) a previous pack."""
    path = Path(folder)
    if path.is_symlink():
        raise PackError(f"{folder} is a symbolic link; give the folder itself")
    if not path.exists():
        for parent in path.parents:
            if parent.exists() and not parent.is_dir():
                raise PackError(f"{folder}: {parent} is not a folder")
        return
    if not path.is_dir():
        raise PackError(f"{folder} exists and is not a folder")
    if not any(path.iterdir()):
        return
    if not (path / "SHA256SUMS").is_file():
        raise PackError(f"{folder} is not empty and holds no evidence pack; give an empty or new folder")
    if not force:
        raise PackError(f"{folder} holds an evidence pack; pass --force to replace it")


def write_pack(evidence: Evidence, folder: str, files: dict[str, bytes | Path]) -> list[str]:
    """Write `files` (path inside the pack -> its bytes, or a file to copy) and SHA256SUMS into `folder`
    (see check_target); returns the paths written, SHA256SUMS last. Raises PackError."""
    target = Path(folder)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
    names = sorted(files)
    sums = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        for name in names:
            path, source = staging / name, files[name]
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, Path):
                shutil.copyfile(source, path)
                with path.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
            else:
                path.write_bytes(source)
                digest = hashlib.sha256(source).hexdigest()
            sums.append(f"{digest}  {name}\n")
        (staging / "SHA256SUMS").write_bytes("".join(sums).encode())
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PackError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return [*names, "SHA256SUMS"]


def pack_files(evidence: Evidence, aars: dict[str, bytes | Path],
               generated: str | None = None) -> dict[str, bytes | Path]:
    """Every file of the pack but SHA256SUMS. `aars`: log name -> the AAR's HTML, or the cache file holding it
    (drill.aar is set here)."""
    from engine.evidence import pages

    out: dict[str, bytes | Path] = {}
    taken: set[str] = set()
    for drill in evidence.drills:
        html = aars.get(drill.name)
        if html is None:
            continue
        stem, n = Path(drill.name).stem or "drill", 1
        name = f"aar/{stem}.html"
        while name in taken:
            n += 1
            name = f"aar/{stem}-{n}.html"
        taken.add(name)
        drill.aar = name
        out[name] = html
    for ext, render in (("md", markdown), ("html", page_html)):
        out[f"index.{ext}"] = render(pages.index(evidence, ext, generated)).encode()
        for control in evidence.controls:
            out[f"controls/{control.slug}.{ext}"] = render(pages.control_page(control, evidence, ext)).encode()
    out["evidence.json"] = (json.dumps(to_json(evidence, generated), indent=2, ensure_ascii=False) + "\n").encode()
    return out


def to_json(evidence: Evidence, generated: str | None = None) -> dict[str, Any]:
    """The pack as data (docs/evidence.md): version 1."""
    out: dict[str, Any] = {
        "evidence": 1,
        "period": {"from": evidence.period.start.isoformat(), "to": evidence.period.end.isoformat()},
        "as_of": evidence.today.isoformat(),
        "controls": [{"control": c.control, "title": c.title, "catalogue": c.catalogue_title,
                      "named_by": [vars(u) for u in c.uses], "drills": c.drills, "live": c.live,
                      "page": f"controls/{c.slug}.html"} for c in evidence.controls],
        "drills": [{"log": d.name, "date": d.summary.date, "started": d.summary.started, "mode": d.summary.mode,
                    "counts": d.counts, "scenario": d.summary.scenario, "runbooks": sorted(d.summary.runbooks),
                    "ratings": d.summary.ratings, "attendance": d.summary.attendance, "aar": d.aar,
                    "areas_for_improvement": d.aoi} for d in evidence.drills],
        "items": [{"id": s.id, "path": s.path, "line": s.line, "status": s.status, "standing": s.standing,
                   "owner": s.item.owner, "due": s.item.due, "completed": s.item.completed,
                   "verified_by": vars(s.evidence) if s.evidence else None, "why": s.why} for s in evidence.items],
        "logs": [vars(c) for c in evidence.logs],
        "findings": [f.to_dict() for f in evidence.findings],
    }
    if generated:
        out["generated"] = generated
    return out
