"""The room's defences: security headers, the names it answers to, a same-origin check for writes, a capped
body, rate limits.

Every page carries a Content-Security-Policy that allows only the package's own
script and style (no inline script, nothing from another host), and a
referrer policy that keeps the token-bearing address inside the room.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

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


BODY_SECONDS = 10.0  # a form's body must arrive within this once its headers have


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(ValueError):
    """The body did not arrive in BODY_SECONDS (a client trickling it to hold a connection)."""


def split_host(value: str, default_port: int = 80) -> tuple[str, int] | None:
    """A Host header (or an address's netloc) as (name in lower case, port): "Room.LAN:8080" -> ("room.lan", 8080),
    "[::1]:80" -> ("::1", 80), "room.lan" -> ("room.lan", `default_port`); None when it is not one."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = value.partition(":")
    if not name or (port and not (port.isdigit() and len(port) <= 5)):
        return None
    return name, int(port) if port else default_port


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Hosts:
    """The names the room answers to, on `port`: `names` (lower case, no port: the bound address, localhost
    for a loopback one, the names given with --room-name), and any IP address when `any_ip` (a room on
    0.0.0.0 or ::). A page reached through another name is refused, so a DNS name rebound to this
    computer (DNS rebinding) reaches nothing: a browser sends that name as the Host."""

    names: frozenset[str]
    port: int
    any_ip: bool = False

    def allows(self, host: str) -> bool:
        """Whether a request's Host header ("name" or "name:port") names this room."""
        found = split_host(host)
        if found is None or found[1] != self.port:
            return False
        return found[0] in self.names or (self.any_ip and is_ip(found[0]))


class HostGuard:
    """Refuse, with a 421 before any route runs, a request whose Host header is not one of `hosts`."""

    def __init__(self, app: ASGIApp, hosts: Hosts | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hosts is not None:
            host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
            if not self.hosts.allows(host):
                refused = PlainTextResponse("Misdirected request: this address does not name the drill room. "
                                            "Open the link the facilitator gave you.", status_code=421)
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


def same_origin(request: Request) -> bool:
    """A write must come from a page of this room: its Origin (or, lacking one, its Referer) has this
    request's scheme, and its host and port are the Host header's (the host guard has checked that name)."""
    scheme = request.url.scheme
    default_port = 443 if scheme == "https" else 80
    host = split_host(request.headers.get("host", ""), default_port)
    if host is None or request.headers.get("sec-fetch-site") not in (None, "same-origin"):
        return False
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme == scheme and split_host(parts.netloc, default_port) == host


async def read_form(request: Request, limit: int = MAX_BODY) -> dict[str, str]:
    """The fields of a urlencoded form, first value of each. Raises BodyTooLarge past `limit` bytes,
    BodyTooSlow (a ValueError) when it takes more than BODY_SECONDS to arrive, ValueError for another content
    type or text that is not UTF-8."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge()
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise ValueError("the form must be sent as application/x-www-form-urlencoded")
    body = b""
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyTooLarge()
    except TimeoutError:
        raise BodyTooSlow(f"the form did not arrive within {BODY_SECONDS:g} seconds; send it again") from None
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
