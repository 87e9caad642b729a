"""An anchored head catches what the chain alone cannot: a full rewrite with every hash recomputed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from drillkit import SHIPPED, TEAM, tabletop

from engine.drill.log import read_log


@pytest.fixture
def played(tmp_path: Path, capsys: Any) -> tuple[Path, str]:
    log = tmp_path / "drill.jsonl"
    code, out, _ = tabletop(capsys, "play", SHIPPED, "--team", TEAM, "--log", log)
    assert code == 0
    head = read_log(str(log)).last_hash
    assert f"log head: {head} " in out  # play prints the head to keep
    return log, head


def _rewrite(log: Path, text: str = "nothing went wrong") -> None:
    """What a forger does: change a note, recompute every `prev` after it. The chain verifies."""
    prev, out = "0" * 64, []
    for line in log.read_bytes().split(b"\n")[:-1]:
        record = json.loads(line)
        if record["type"] == "note":
            record["data"]["text"] = text
        record["prev"] = prev
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    log.write_bytes(b"\n".join(out) + b"\n")


def _keys(folder: Path) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private, public = folder / "facilitator.pem", folder / "facilitator.pub"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def test_verify_head_catches_a_full_rewrite_the_chain_alone_does_not(played, capsys: Any) -> None:  # type: ignore[no-untyped-def]
    log, head = played
    code, out, _ = tabletop(capsys, "log", "verify", log, "--head", head)
    assert code == 0 and f"anchored: line {len(read_log(str(log)).events)} has the head given" in out
    _rewrite(log)
    code, out, _ = tabletop(capsys, "log", "verify", log)
    assert code == 0 and "chain intact" in out  # the nature of a plain hash chain
    code, _, err = tabletop(capsys, "log", "verify", log, "--head", head)
    assert code == 1 and f"no line of the log has the head {head}: the log was rewritten" in err


def test_an_older_head_still_anchors_a_log_that_grew_since(played, capsys: Any) -> None:  # type: ignore[no-untyped-def]
    log, _ = played
    read = read_log(str(log))
    earlier = hashlib.sha256(log.read_bytes().split(b"\n")[4]).hexdigest()
    code, out, _ = tabletop(capsys, "log", "verify", log, "--head", earlier.upper())
    assert code == 0 and "anchored: line 5 has" in out, out
    assert len(read.events) > 5


@pytest.mark.parametrize("head", ["abc", "g" * 64, "", "\x1b]52;c;aGk=\x07" * 5])
def test_a_malformed_head_is_a_usage_error(played, capsys: Any, head: str) -> None:  # type: ignore[no-untyped-def]
    log, _ = played
    code, _, err = tabletop(capsys, "log", "verify", log, "--head", head)
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err


def test_a_seal_verifies_and_catches_a_rewrite_and_a_forged_seal(played, tmp_path: Path, capsys: Any) -> None:  # type: ignore[no-untyped-def]
    log, head = played
    private, public = _keys(tmp_path)
    code, out, _ = tabletop(capsys, "log", "seal", log, "--key", private)
    assert code == 0 and head in out
    seal = json.loads(Path(f"{log}.seal").read_text())
    assert seal["head"] == head and seal["lines"] == len(read_log(str(log)).events)
    code, out, _ = tabletop(capsys, "log", "verify", log, "--key", public)
    assert code == 0 and "sealed: line" in out
    _, other = _keys(tmp_path / "..")
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", other)
    assert code == 1 and "does not match this key" in err
    original = log.read_bytes()
    _rewrite(log)
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", public)
    assert code == 1 and "does not have the sealed head" in err
    log.write_bytes(original)
    forged = dict(seal, head="0" * 64)  # a forger who rewrote the log cannot re-sign its new head
    Path(f"{log}.seal").write_text(json.dumps(forged))
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", public)
    assert code == 1 and "does not match this key" in err


@pytest.mark.parametrize("seal", [b"", b"[]", b"{\"seal\": 1}", b"{\"seal\": 1, \"lines\": 1, \"head\": \"x\"}",
                                  b"[" * 100_000, b"\xff\xfe"])
def test_a_broken_seal_is_one_line(played, tmp_path: Path, capsys: Any, seal: bytes) -> None:  # type: ignore[no-untyped-def]
    log, _ = played
    _, public = _keys(tmp_path)
    Path(f"{log}.seal").write_bytes(seal)
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", public)
    assert code in (1, 2) and err.count("\n") == 1, err


def test_the_wrong_kind_of_key_is_a_usage_error(played, tmp_path: Path, capsys: Any) -> None:  # type: ignore[no-untyped-def]
    log, _ = played
    private, public = _keys(tmp_path)
    code, _, err = tabletop(capsys, "log", "seal", log, "--key", public)
    assert code == 2 and "private key" in err
    tabletop(capsys, "log", "seal", log, "--key", private)
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", private)
    assert code == 2 and "public key" in err
    code, _, err = tabletop(capsys, "log", "verify", log, "--key", tmp_path)
    assert code == 2 and err.count("\n") == 1
