"""The room's defences: security headers, a same-origin check for writes, a capped body, rate limits.

Every page carries a Content-Security-Policy that allows only the package's own
script and style (no inline script, nothing from another host), and a
referrer policy that keeps the token-bearing address inside the room.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

MAX_BODY = 16 * 1024  # bytes
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # the token is in the address: never tell another site
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BodyTooLarge(Exception):
    pass


def same_origin(request: Request) -> bool:
    """A write must come from a page of this room: its Origin (or, lacking one, its Referer) is this host."""
    host = request.headers.get("host", "")
    if request.headers.get("sec-fetch-site") not in (None, "same-origin"):
        return False
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == host


async def read_form(request: Request, limit: int = MAX_BODY) -> dict[str, str]:
    """The fields of a urlencoded form, first value of each. Raises BodyTooLarge past `limit` bytes,
    ValueError for another content type or text that is not UTF-8."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge()
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise ValueError("the form must be sent as application/x-www-form-urlencoded")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge()
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=40,
                                 errors="strict"):
        fields.setdefault(name, value)
    return fields


@dataclass
class Bucket:
    tokens: float
    stamp: float


@dataclass
class RateLimit:
    """A token bucket per key: `burst` writes at once, then `per_second`. `now` gives seconds (monotonic)."""

    burst: float
    per_second: float
    now: Callable[[], float]
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        now = self.now()
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) > 10_000:  # names are typed by people: keep the table bounded
                self.buckets.clear()
            bucket = self.buckets[key] = Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.per_second)
        bucket.stamp = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True
