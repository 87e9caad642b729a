"""Serving the room with uvicorn inside the caller's asyncio loop (the console's).

The socket is bound before the console opens, so a port in use or an address
that cannot be bound is a one-line error, not a broken screen. uvicorn logs
nothing to the terminal (the console owns it) and installs no signal handlers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from engine.drill.session import Drill
from engine.room import conns, guard
from engine.room.app import LOG_KB_PER_MINUTE, MAX_STREAMS, Room, make_app
from engine.room.seats import Seats, load, room_file, save

LOOPBACK = "127.0.0.1"
PER_ADDRESS = 32  # connections one address may hold open: a phone's browser opens 6 at most, a laptop's tabs more
HEADER_SECONDS = 10.0  # a connection must send a request's headers within this, or it is closed
IDLE_SECONDS = 5.0  # a kept-alive connection with no new request is closed after this


@dataclass(frozen=True)
class RoomOptions:
    """The room's names and limits, from the command line (see `tabletop drill --help`).

    names: DNS names the room is reached by (--room-name), besides its address; the first goes in the links.
    per_address: connections one client address may hold open at once (--room-per-address); more are closed.
    header_seconds, idle_seconds: seconds a connection has to send a request's headers, and may stay idle
        between requests, before it is closed.
    log_kb_per_minute: kilobytes the room's writes may add to the log in any minute (--room-log-cap);
        past it a write gets a 429 page that says when to send it again.
    max_streams: live connections (server-sent events) at once."""

    names: tuple[str, ...] = ()
    per_address: int = PER_ADDRESS
    header_seconds: float = HEADER_SECONDS
    idle_seconds: float = IDLE_SECONDS
    log_kb_per_minute: int = LOG_KB_PER_MINUTE
    max_streams: int = MAX_STREAMS


def room_options(names: list[str] | None, per_address: int | None, log_kb_per_minute: int | None) -> RoomOptions:
    """The options as given on the command line (None: the default)."""
    given: dict[str, object] = {"names": tuple(names or ()), "per_address": per_address,
                                "log_kb_per_minute": log_kb_per_minute}
    return RoomOptions(**{k: v for k, v in given.items() if v is not None})  # type: ignore[arg-type]


def room_hosts(host: str, port: int, names: tuple[str, ...] = ()) -> guard.Hosts:
    """The Host headers the room answers to when bound to `host`:`port`: that address, localhost on a loopback
    one, every IP address on 0.0.0.0 or :: (an address is never rebound), and `names`."""
    ip = ipaddress.ip_address(host)
    found = {str(ip), *(name.strip().lower().rstrip(".") for name in names)}
    if ip.is_loopback:
        found.add("localhost")
    return guard.Hosts(frozenset(found), port, any_ip=ip.is_unspecified)


class RoomBindError(Exception):
    """The room's address cannot be listened on; the message says which and what to do."""


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (0: a free port). Raises RoomBindError."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        raise RoomBindError(f"--room-host {host!r}: give an IP address, such as 127.0.0.1 or 0.0.0.0") from None
    if not 0 <= port <= 65535:
        raise RoomBindError(f"--room-port {port}: give a port from 1 to 65535, or 0 for a free one")
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(256)
    except OSError as exc:
        sock.close()
        hint = "; give another --room-port, or 0 for a free one" if port else ""
        raise RoomBindError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    sock.setblocking(False)
    return sock


def is_open_to_network(host: str) -> bool:
    """True unless the room listens on a loopback address only."""
    return not ipaddress.ip_address(host).is_loopback


def exposure(host: str, port: int, names: tuple[str, ...] = ()) -> str:
    """Who can reach a room listening on `host`:`port`, in plain words (the console's notice, the Room pane)."""
    if not is_open_to_network(host):
        return (f"Open on this computer only ({host}:{port}): nobody else can reach it; --room-host 0.0.0.0 opens "
                "it to the network.")
    ip = ipaddress.ip_address(host)
    where = (f"every network this computer is on (here {link_host(host)}), a guest or public Wi-Fi included"
             if ip.is_unspecified else f"the network of {host}")
    named = f", or by the name {', '.join(names)}" if names else ""
    return (f"OPEN TO THE NETWORK on {host}:{port}: anyone on {where} can connect{named}. With the participant "
            "link they can join and write to the drill log; with the evaluator link, write observations. The room "
            "speaks plain HTTP: anyone on the same Wi-Fi can read its pages and links as they pass. Hand the links "
            "out in the room only; for a drill on an untrusted network, keep the default (127.0.0.1).")


def link_host(host: str) -> str:
    """The address to put in links: the one bound, or for 0.0.0.0 / :: this machine's address on the
    network (the interface a datagram to a documentation address would leave by; nothing is sent)."""
    if host not in ("0.0.0.0", "::"):
        return f"[{host}]" if ":" in host else host
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
        return str(probe.getsockname()[0])
    except OSError:
        return LOOPBACK
    finally:
        probe.close()


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the console decides when the process ends."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _silence_uvicorn() -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "sse_starlette"):
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False


class RoomServer:
    """The room on a bound socket: `serve()` runs until `stop()`; `links` are the seats' addresses."""

    def __init__(self, drill: Drill, seats: Seats, sock: socket.socket, host: str,
                 after_record: Callable[[], None] | None = None, max_streams: int | None = None,
                 options: RoomOptions | None = None) -> None:
        options = options or RoomOptions()
        if max_streams:
            options = dataclasses.replace(options, max_streams=max_streams)
        self.options = options
        self.sock = sock
        self.host = host
        self.port = int(sock.getsockname()[1])
        self.base = f"http://{options.names[0] if options.names else link_host(host)}:{self.port}"
        self.room = Room(drill, seats, after_record=after_record, max_streams=options.max_streams,
                         hosts=room_hosts(host, self.port, options.names),
                         log_kb_per_minute=options.log_kb_per_minute)
        self.links = seats.links(self.base)
        _silence_uvicorn()
        self.addresses = conns.Addresses(options.per_address)
        # uvicorn's own limit counts every open connection, idle ones too: past it every request gets a 503. The
        # cap per address and the header deadline bound idle ones, so it is set well above the live streams.
        config = uvicorn.Config(make_app(self.room), log_config=None, access_log=False, lifespan="off",
                                timeout_graceful_shutdown=1, limit_concurrency=self.room.max_streams + 512,
                                proxy_headers=False, server_header=False, ws="none",
                                http=conns.guarded(self.addresses, options.header_seconds),
                                timeout_keep_alive=max(1, round(options.idle_seconds)))
        self.server = _QuietServer(config)

    @property
    def open_to_network(self) -> bool:
        return is_open_to_network(self.host)

    @property
    def exposure(self) -> str:
        """Who can reach this room, in plain words."""
        return exposure(self.host, self.port, self.options.names)

    async def serve(self) -> None:
        await self.server.serve(sockets=[self.sock])

    def stop(self) -> None:
        self.room.close()
        self.server.should_exit = True


@dataclass
class RoomBinding:
    """What `tabletop drill --room` prepares before the console opens: the seats and a bound socket."""

    seats: Seats
    sock: socket.socket
    host: str
    options: RoomOptions = RoomOptions()

    def save(self, log_path: str, base: str) -> Path:
        """Write `<log stem>.room.json` beside the log (owner-only). Raises RoomFileError."""
        path = room_file(log_path)
        save(path, self.seats, base, int(self.sock.getsockname()[1]))
        return path


def prepare(host: str, port: int | None, resume_log: str | None, options: RoomOptions | None = None) -> RoomBinding:
    """The seats (those saved beside `resume_log`, if any: the same links) and the socket to serve on.
    `port` None: the port saved for the drill, else a free one. Raises RoomBindError (also for an option out
    of range) or RoomFileError."""
    options = options or RoomOptions()
    problem = options_problem(options)
    if problem:
        raise RoomBindError(problem)
    seats = load(room_file(resume_log)) if resume_log else None
    if port is None:
        port = seats.port if seats and seats.port else 0
    return RoomBinding(seats or Seats.new(), bind(host, port), host, options)


_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def options_problem(options: RoomOptions) -> str | None:
    """Why the room's options cannot be used, in words naming the option, or None."""
    for name in options.names:
        if not _NAME.fullmatch(name.strip().lower().rstrip(".")) or len(name) > 253:
            return f"--room-name {name!r}: give a DNS name of this computer, such as drill.example.org"
    if not 1 <= options.per_address <= 10_000:
        return f"--room-per-address {options.per_address}: give a number from 1 to 10000"
    if not 1 <= options.log_kb_per_minute <= 1_048_576:
        return f"--room-log-cap {options.log_kb_per_minute}: give kilobytes a minute, from 1 to 1048576"
    return None
