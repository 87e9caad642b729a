"""Anchoring a drill log's head: what makes the hash chain tamper-evident against a full rewrite.

The chain alone shows a line edited, removed or inserted, unless whoever
edits recomputes every `prev` after it. A head (the SHA-256 of a line, as
`tabletop log verify` prints it) kept somewhere else closes that gap: a log
holds that head at that line only if every line up to it is the one the head
was taken from. A seal is a head signed with an Ed25519 key, written beside the
log as `<log>.seal`, so the head can travel with the log and still be trusted
by whoever holds the public key.

The seal is JSON: {"seal": 1, "lines": N, "head": "<sha256 hex of line N>",
"signature": "<base64 Ed25519 signature of the signed text>"}, where the
signed text is `tabletop drill log head v1\\n<lines>\\n<head>\\n` in UTF-8.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from engine.drill.log import LogRead, LogStream

_HEX64 = re.compile(r"[0-9a-f]{64}")
MAX_SEAL_BYTES = 4096
MAX_KEY_BYTES = 16384


class AnchorError(Exception):
    """A head, key or seal that cannot be used; the message says which and why (one line)."""


class UnusableKey(AnchorError):
    """The key itself is unusable (not PEM, not Ed25519, private where public is wanted)."""


def line_hashes(read: LogRead) -> list[str]:
    """The SHA-256 of every good line of a log, in order (the head of line n is index n-1)."""
    with open(read.path, "rb") as handle:
        raw = handle.read(read.good_bytes)
    return [hashlib.sha256(line).hexdigest() for line in raw.split(b"\n")[:-1]]


def check_head(text: str) -> str:
    """A head as given on the command line, lower-cased; raises AnchorError if it is not 64 hex digits."""
    head = text.strip().lower()
    if not _HEX64.fullmatch(head):
        raise AnchorError(f"--head {text[:80]!r} is not a head: give the 64 hex digits `log verify` printed")
    return head


def find_head(read: LogRead, head: str) -> int | None:
    """The 1-based line whose hash is `head`, or None when no line of the log has it."""
    hashes = line_hashes(read)
    try:
        return hashes.index(head) + 1
    except ValueError:
        return None


@dataclass(frozen=True)
class Seal:
    lines: int
    head: str
    signature: bytes


def signed_text(lines: int, head: str) -> bytes:
    return f"tabletop drill log head v1\n{lines}\n{head}\n".encode()


def make_seal(read: LogRead | LogStream, private_key_pem: bytes) -> str:
    """The seal of a log's current head (`read` wholly read: a LogRead, or a LogStream iterated to its end),
    as JSON text. Raises AnchorError for a key that is not Ed25519."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(private_key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise UnusableKey(f"not an unencrypted PEM private key ({_first_line(exc)})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UnusableKey("the key is not an Ed25519 key (make one with `openssl genpkey -algorithm ed25519`)")
    lines = len(read.events) if isinstance(read, LogRead) else read.count
    signature = key.sign(signed_text(lines, read.last_hash))
    record = {"seal": 1, "lines": lines, "head": read.last_hash,
              "signature": base64.b64encode(signature).decode("ascii")}
    return json.dumps(record, indent=2) + "\n"


def read_seal(text: bytes) -> Seal:
    """A seal file's content; raises AnchorError naming what is wrong with it."""
    try:
        record: Any = json.loads(text)
    except (ValueError, RecursionError):
        raise AnchorError("the seal is not JSON") from None
    if not isinstance(record, dict) or record.get("seal") != 1:
        raise AnchorError("the seal is not a tabletop seal (no \"seal\": 1)")
    lines, head, signature = record.get("lines"), record.get("head"), record.get("signature")
    if type(lines) is not int or lines < 1:
        raise AnchorError("the seal's `lines` is not a whole number of lines")
    if not isinstance(head, str) or not _HEX64.fullmatch(head):
        raise AnchorError("the seal's `head` is not 64 hex digits")
    try:
        raw = base64.b64decode(signature, validate=True) if isinstance(signature, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 64:
        raise AnchorError("the seal's `signature` is not a base64 Ed25519 signature")
    return Seal(lines, head, raw)


def check_seal(seal: Seal, public_key_pem: bytes) -> None:
    """Raises AnchorError unless `seal` is signed by the key's holder."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(public_key_pem)
    except (ValueError, TypeError) as exc:
        raise UnusableKey(f"not a PEM public key ({_first_line(exc)})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UnusableKey("the key is not an Ed25519 public key")
    try:
        key.verify(seal.signature, signed_text(seal.lines, seal.head))
    except InvalidSignature:
        raise AnchorError("the seal's signature does not match this key: the seal was altered, "
                          "or made with another key") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]
