"""Which update ids have been handled: so an update Telegram delivers again is answered once.

Telegram delivers a webhook update again when it got no 2xx in time (a slow answer, a
dropped connection, a restart). The webhook asks the ledger before handling: `claim`
says whether this delivery should be handled (NEW), was handled already (DONE), or is
being handled right now (BUSY); `finish` records the end; `release` gives a claim up
(its handling was cut short) so that the next delivery handles it.

`MemoryLedger` serves one process. Replicas need a shared one: Redis `SET id claimed NX
EX lease`, then `SET id done EX ttl` on finish and `DEL id` on release. The claim needs a
lease, so that the claims of a replica killed mid-update expire and a redelivery is
handled instead of being refused forever.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import Enum
from typing import Protocol


class Claim(Enum):
    """What a delivery of an update should do."""

    NEW = "new"  # handle it, then finish (or release) it
    DONE = "done"  # handled already: acknowledge it
    BUSY = "busy"  # being handled now: ask Telegram to come back later


class UpdateLedger(Protocol):
    """Claims on update ids, shared by whoever serves the webhook."""

    async def claim(self, update_id: int) -> Claim:
        """Claim update_id for handling unless it is done or claimed already."""
        ...

    async def finish(self, update_id: int) -> None:
        """Record that update_id was handled."""
        ...

    async def release(self, update_id: int) -> None:
        """Give up a claim, so that the next delivery of update_id is handled."""
        ...


class MemoryLedger:
    """An UpdateLedger in this process, remembering the last `size` ids handled."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size  # Telegram gives up redelivering long before 10,000 newer updates
        self._busy: set[int] = set()
        self._done: OrderedDict[int, None] = OrderedDict()

    async def claim(self, update_id: int) -> Claim:
        """Claim update_id for handling unless it is done or claimed already."""
        if update_id in self._done:
            return Claim.DONE
        if update_id in self._busy:
            return Claim.BUSY
        self._busy.add(update_id)
        return Claim.NEW

    async def finish(self, update_id: int) -> None:
        """Record that update_id was handled, forgetting the oldest beyond `size`."""
        self._busy.discard(update_id)
        self._done[update_id] = None
        while len(self._done) > self.size:
            self._done.popitem(last=False)

    async def release(self, update_id: int) -> None:
        """Give up a claim, so that the next delivery of update_id is handled."""
        self._busy.discard(update_id)
