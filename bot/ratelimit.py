"""Per-user rate limiting shared by the chat adapters: a sliding window of recent checks."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """Allows `limit` calls per `window` seconds per key.

    >>> limiter = RateLimiter(limit=10, window=60.0)
    >>> limiter.allow("slack:U123")
    True
    """

    limit: int = 10
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _calls: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str) -> bool:
        """Record a call for `key` and say whether it is within the limit."""
        now = self.clock()
        with self._lock:
            calls = self._calls[key]
            while calls and now - calls[0] >= self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return False
            calls.append(now)
            return True

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may call again (0 when it may now)."""
        with self._lock:
            calls = self._calls.get(key)
            if not calls or len(calls) < self.limit:
                return 0.0
            return max(0.0, self.window - (self.clock() - calls[0]))
