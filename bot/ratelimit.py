"""Per-user rate limits, one vocabulary for every chat platform.

A limit is written `checks/seconds` ("10/60": ten checks per user in any 60 seconds), a bare
number means per minute ("10" is "10/60"), and "0" turns the limit off. Both adapters read it
from their setting with `RateLimit.parse`, ask `RateLimiter.wait` before a check, and tell the
user `too_many(limit, wait)`.

With a `SharedState` the checks are counted in the store, so every worker serving the bot counts
the same ones; without, in this process only.

>>> limiter = RateLimiter(RateLimit.parse("2/60"))
>>> limiter.wait("slack:U123"), limiter.wait("slack:U123"), limiter.wait("slack:U123") > 0
(0.0, 0.0, True)
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from facts.shared_state import SharedState

FORMAT_HINT = (
    "checks/seconds, e.g. 10/60 (ten checks per user in any 60 seconds), 10 (per minute) or 0 (no limit)"
)

__all__ = ["FORMAT_HINT", "RateLimit", "RateLimiter", "too_many"]


@dataclass(frozen=True)
class RateLimit:
    """At most `checks` claims per user in any `seconds`; `checks == 0` means no limit."""

    checks: int
    seconds: float = 60.0

    @property
    def off(self) -> bool:
        return self.checks == 0

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """ "10/60", "10" (per minute) or "0" (off); raises ValueError saying what is wrong."""
        raw = text.strip()
        checks, slash, seconds = raw.partition("/")
        if not _whole(checks) or (slash and not _positive(seconds)):
            raise ValueError(f"{raw!r} is not a rate limit: write {FORMAT_HINT}")
        limit = cls(int(checks), float(seconds) if slash else 60.0)
        if limit.off and slash:
            raise ValueError(f"{raw!r} allows no check at all: write 0 alone to turn the limit off")
        return limit

    def __str__(self) -> str:
        return "off" if self.off else f"{self.checks}/{self.seconds:g}"

    def period(self) -> str:
        """ "minute" for 60 s, else "60 s"-style text, as in 'the last minute'."""
        return "minute" if self.seconds == 60 else f"{self.seconds:g} s"


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()  # "²".isdigit() is true, but int("²") fails


def _positive(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return 0 < value < math.inf


def too_many(limit: RateLimit, wait: float) -> str:
    """What a user over the limit is told, on every platform."""
    return (
        f"You've checked {limit.checks} claims in the last {limit.period()}. "
        f"Please wait {max(1, math.ceil(wait))} s and try again."
    )


class RateLimiter:
    """Applies one `RateLimit` per key (e.g. "slack:T1:U123"), in `state` when given."""

    def __init__(self, limit: RateLimit, state: SharedState | None = None, *,
                 clock: Callable[[], float] = time.monotonic):  # fmt: skip
        self.limit, self.state, self.clock = limit, state, clock
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """0.0 when `key` may check now (the check is counted), else the seconds to wait."""
        if self.limit.off:
            return 0.0
        if self.state is not None:
            return self.state.take(f"rate:{key}", limit=self.limit.checks, window=self.limit.seconds)
        return self._wait_here(key)

    def _wait_here(self, key: str) -> float:
        now, window = self.clock(), self.limit.seconds
        with self._lock:
            calls = self._calls[key]
            while calls and now - calls[0] >= window:
                calls.popleft()
            if len(calls) >= self.limit.checks:
                return max(0.001, window - (now - calls[0]))
            calls.append(now)
            return 0.0
