"""Child processes that never outlive the process that started them.

A worker (the import's index-term process, the benchmark's measuring processes) calls
`die_with_parent(parent_pid)` first thing; a subprocess gets it as `preexec_fn=kill_with_parent`.
On Linux the kernel sends the child SIGKILL when its parent dies, even by `kill -9`
(prctl PR_SET_PDEATHSIG); elsewhere a daemon thread notices the parent is gone within a second.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


__all__ = ["die_with_parent", "kill_with_parent"]


def die_with_parent(parent: int) -> None:
    """End this process when `parent` (the pid that started it) ends."""
    if not _kernel_kills_us():
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)


def kill_with_parent() -> None:
    """For `subprocess.Popen(preexec_fn=...)`: runs in the child before exec; the setting survives
    exec. A no-op where the kernel cannot do it."""
    _kernel_kills_us()


def _kernel_kills_us() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
