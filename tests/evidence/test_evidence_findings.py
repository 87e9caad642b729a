"""What `tabletop evidence` finds, in the index and in validate's formats, and `--check`: a control drilled
only in headless play, a log edited after the fact or cut off from its seal, improvement items overdue or
marked done without a later live drill verifying them, and the files of a drill changed since."""

from __future__ import annotations

import base64
import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from evidencekit import MAIL, drill, live_drill, pack, project

MAIL_RUNBOOK = "runbooks/inbound-mail-continuity.yaml"


def _control_line(root: Path, control: str) -> int:
    lines = (root / MAIL_RUNBOOK).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.strip() == f"- {control}")


def test_a_control_drilled_only_in_headless_play_is_undrilled(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    drill(root, "play-1.jsonl", datetime(2026, 3, 2, 9, 0), mode="headless")
    code, out, _ = pack(capsys, root, "-o", "audit")
    assert code == 0  # findings fail only with --check
    line = _control_line(root, "nist-800-53:CP-4")
    assert (f"{MAIL_RUNBOOK}:{line}:5: error: control `nist-800-53:CP-4` had no live drill in "
            "2025-06-02..2026-06-01 (not counted: 1 headless rehearsal) [control-undrilled]") in out
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert "| [nist-800-53:CP-4](controls/nist-800-53-cp-4.md) | Contingency plan testing | inbound-mail-continuity " \
           "| 1 | 0 | NOT exercised live |" in index
    assert f"| control-undrilled | error | {MAIL_RUNBOOK}:{line}:5 |" in index
    assert pack(capsys, root, "--check")[0] == 1
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 9, 9, 0))
    code, out, _ = pack(capsys, root, "--check")
    assert code == 0 and out == "evidence for 2025-06-02..2026-06-01: no findings\n"


def test_a_log_edited_after_the_fact_shows_as_such_and_does_not_count(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    log = live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0), rating="U")
    lines = log.read_bytes().split(b"\n")
    rated = next(i for i, line in enumerate(lines) if b'"rating":"U"' in line)
    lines[rated] = lines[rated].replace(b'"rating":"U"', b'"rating":"P"')  # a better rating, written in later
    log.write_bytes(b"\n".join(lines))
    code, out, _ = pack(capsys, root, "-o", "audit", "--check")
    assert code == 1
    assert f"exports/drills/live-1.jsonl:{rated + 2}:1: error: live-1.jsonl does not verify: line {rated + 2}" in out
    assert "[log-unverified]" in out and "[control-undrilled]" in out  # the edited drill is no evidence
    page = (root / "audit" / "controls" / "nist-800-53-cp-4.md").read_text(encoding="utf-8")
    assert "NOT exercised by a live drill in the period" in page
    assert "| live-1.jsonl | live | m365-na-outage-2026-01-22 | NO: does not verify: line" in page
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert f"| does not verify: line {rated + 2}" in index


def _seal(log: Path, lines: int, head: str) -> None:
    log.with_name(log.name + ".seal").write_text(json.dumps(
        {"seal": 1, "lines": lines, "head": head, "signature": base64.b64encode(bytes(64)).decode()}))


def test_a_seal_whose_line_no_longer_has_the_sealed_head_fails(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    log = live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    lines = log.read_bytes().split(b"\n")[:-1]
    _seal(log, len(lines), hashlib.sha256(lines[-1]).hexdigest())
    code, out, _ = pack(capsys, root, "-o", "audit", "--check")
    assert code == 0, out
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert f"sealed at line {len(lines)}; the signature is not checked (give --key, the public key)" in index
    _seal(log, len(lines), "0" * 64)  # the log was rewritten with every hash recomputed since it was sealed
    code, out, _ = pack(capsys, root, "--check")
    assert code == 1
    assert (f"live-1.jsonl: line {len(lines)} does not have the sealed head: the log was rewritten or cut "
            "short after it was sealed [log-unverified]") in out


PLAN = """\
improvements: mail
items:
  - id: probe-outside
    finding:
      log: exports/drills/live-1.jsonl
      line: {line}
      note: The external probe took 40 minutes
    action: Keep a probe mailbox outside the tenancy
    owner: Dana Okafor
    due: 2026-04-01
    status: done
    completed: 2026-03-05
    touches:
      objectives: [{mail}]
  - id: late-item
    action: Write the relay runbook
    owner: Lee Park
    due: 2026-05-01
  - id: done-unseen
    action: Move the status page off the tenancy
    owner: Lee Park
    due: 2026-05-01
    status: done
    completed: 2026-05-20
    touches:
      objectives: [admin-console-loss/know-status]
"""


def test_improvement_items_with_their_verifying_drill_and_the_ones_that_fail(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    log = live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0), rating="M",
                     improvement="The external probe took 40 minutes")
    aoi = next(n for n, line in enumerate(log.read_text().splitlines(), 1) if '"kind":"improvement"' in line)
    later = live_drill(root, "live-2.jsonl", datetime(2026, 3, 16, 9, 0), rating="S", seats=False)
    rated = next(n for n, line in enumerate(later.read_text().splitlines(), 1) if '"rating":"S"' in line)
    (root / "improvements").mkdir()
    (root / "improvements" / "mail.yaml").write_text(PLAN.format(line=aoi, mail=MAIL), encoding="utf-8")
    code, out, _ = pack(capsys, root, "-o", "audit", "--check")
    assert code == 1
    assert ("improvements/mail.yaml:15:1: warning: improvement `late-item` was due 2026-05-01, 31 days ago, and "
            "is still open [improvement-overdue]") in out
    assert "improvements/mail.yaml:19:1: error: improvement `done-unseen` is marked done, but no later live " \
           "drill verified it: done; waiting for a live drill since 2026-05-20 [improvement-unverified]" in out
    assert "probe-outside" not in out
    page = (root / "audit" / "controls" / "soc2-cc7.4.md").read_text(encoding="utf-8")
    assert (f"| probe-outside | Keep a probe mailbox outside the tenancy | Dana Okafor | 2026-04-01 | done | "
            f"live-2.jsonl line {rated} (2026-03-16): objective {MAIL} rated S | 2026-03-05 |") in page
    assert f"| live-1.jsonl | {aoi} | The external probe took 40 minutes | probe-outside |" in page


def test_a_runbook_changed_since_its_drill_is_a_warning_settings_can_quiet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    with (root / MAIL_RUNBOOK).open("a", encoding="utf-8") as handle:
        handle.write("# changed after the drill\n")
    code, out, _ = pack(capsys, root, "--check")
    assert code == 1
    assert ("exports/drills/live-1.jsonl:1:1: warning: live-1.jsonl: `inbound-mail-continuity` changed since the "
            "drill; its after-action report is read from the log alone [log-files-changed]") in out
    (root / "tabletop.toml").write_text('severity = { log-files-changed = "info" }\n', encoding="utf-8")
    code, out, _ = pack(capsys, root, "--check")
    assert code == 0 and "info: live-1.jsonl" in out


def test_findings_in_validate_s_machine_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    drill(root, "play-1.jsonl", datetime(2026, 3, 2, 9, 0), mode="headless")
    _, out, _ = pack(capsys, root, "--format", "json")
    found = json.loads(out)
    rules = {f["rule"] for f in (found["findings"] if isinstance(found, dict) else found)}
    assert rules == {"control-undrilled"}
    _, out, _ = pack(capsys, root, "--format", "sarif")
    sarif = json.loads(out)
    run = sarif["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"control-undrilled"}
    assert any(r["id"] == "control-undrilled" for r in run["tool"]["driver"]["rules"])
    _, out, _ = pack(capsys, root, "--format", "junit")
    assert ET.fromstring(out).iter("failure")
    _, out, _ = pack(capsys, root, "--format", "github")
    assert out.startswith("::error file=runbooks/") and "control-undrilled" in out


def test_a_log_that_holds_no_drill_is_listed_as_not_verifying(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    (root / "exports" / "drills" / "junk.jsonl").write_text("this is not a drill log\n", encoding="utf-8")
    code, out, _ = pack(capsys, root, "-o", "audit", "--check")
    assert code == 1
    junk = [line for line in out.splitlines() if line.startswith("exports/drills/junk.jsonl:")]
    assert len(junk) == 1 and junk[0].endswith("[log-unverified]"), out
    assert "| junk.jsonl | " in (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert "[control-undrilled]" not in out  # the good live drill still counts


def test_a_signed_seal_is_checked_with_the_public_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    root = project(tmp_path)
    log = live_drill(root, "live-1.jsonl", datetime(2026, 3, 2, 9, 0))
    keys = {}
    for who in ("ours", "theirs"):
        private = Ed25519PrivateKey.generate()
        (root / f"{who}.pem").write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                                                serialization.PrivateFormat.PKCS8,
                                                                serialization.NoEncryption()))
        keys[who] = root / f"{who}.pub.pem"
        keys[who].write_bytes(private.public_key().public_bytes(serialization.Encoding.PEM,
                                                                serialization.PublicFormat.SubjectPublicKeyInfo))
    from evidencekit import tabletop

    assert tabletop(capsys, "log", "seal", log, "--key", root / "ours.pem")[0] == 0
    lines = len(log.read_bytes().split(b"\n")) - 1
    code, out, _ = pack(capsys, root, "-o", "audit", "--check", "--key", keys["ours"])
    assert code == 0, out
    index = (root / "audit" / "index.md").read_text(encoding="utf-8")
    assert f"sealed at line {lines}: the head is signed by the key's holder" in index
    code, out, _ = pack(capsys, root, "--check", "--key", keys["theirs"])
    assert code == 1 and "the seal's signature does not match this key" in out and "[log-unverified]" in out
