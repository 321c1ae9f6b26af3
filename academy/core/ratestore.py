"""The in-process rate-limit store (`memory://`): limits' MemoryStorage without its timer thread.

MemoryStorage starts a thread 10 ms after an increment to drop the counts that have expired, so under load it
starts one every few requests: 16% of a kept API answer's time went to starting them (py-spy, docs/
performance.md). A count past its expiry is ignored when read anyway; here the expired ones are swept at most
once a second, by the increment that finds the last sweep old. Importing this module makes it the store of
`memory://` (limits finds a store by its scheme)."""
import time

from limits.storage import MemoryStorage

SWEEP_EVERY = 1.0  # seconds


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one MemoryStorage starts at once
        self.swept = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - MemoryStorage's own hook, by its name
        now = time.monotonic()
        if now - self.swept >= SWEEP_EVERY:
            self.swept = now
            self._MemoryStorage__expire_events()
