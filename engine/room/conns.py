"""The room's connections: a cap per client address, and a deadline for each request's headers.

Without them, 300 connections that never sent a request (no token needed) held
every place uvicorn has, and everyone got a 503 for as long as they stayed
open. Now one address holds at most `per_address` connections (more are told
so and closed at once), and a connection that has not sent a whole request's
headers `header_seconds` after it opened, or after its last response, is
closed. A request whose headers have arrived (a live stream, say) is not timed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
            b"Retry-After: 10\r\nContent-Length: %d\r\n\r\n%s")
TOO_MANY_TEXT = (b"Too many connections from your address: close some of the room's tabs on this device, "
                 b"then reload.")


class Addresses:
    """How many connections each client address holds open, and whether one more may open (`take`)."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self.open: dict[str, int] = {}

    def take(self, address: str) -> bool:
        held = self.open.get(address, 0)
        if held >= self.per_address:
            return False
        self.open[address] = held + 1
        return True

    def give(self, address: str) -> None:
        held = self.open.get(address, 0) - 1
        if held > 0:
            self.open[address] = held
        else:
            self.open.pop(address, None)


def guarded(addresses: Addresses, header_seconds: float) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol with the per-address cap of `addresses` and the header deadline."""

    class Guarded(H11Protocol):
        address = ""
        counted = False
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:  # transport: asyncio.Transport
            super().connection_made(transport)
            self.address = self.client[0] if self.client else ""
            self.counted = addresses.take(self.address)
            if not self.counted:
                transport.write(TOO_MANY % (len(TOO_MANY_TEXT), TOO_MANY_TEXT))
                transport.close()
                return
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self.deadline = self.loop.call_later(header_seconds, self._too_slow)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _too_slow(self) -> None:
            self.deadline = None
            if not self.transport.is_closing():
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not None and not self.cycle.response_complete:  # a whole request's headers came
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.cycle.response_complete:  # none pipelined behind it
                self._arm()  # the next request's headers are timed from here

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self.counted:
                self.counted = False
                addresses.give(self.address)
            super().connection_lost(exc)

    return Guarded
