"""Processes that end with the process they serve, even when it is killed outright.

A run starts a kernel fork server and a pool of workers; each worker has kernels.  When the run
stops in an orderly way it stops them itself; when it is killed (``SIGKILL``, the out-of-memory
killer) nothing of it runs, so each of its processes watches its own owner:

- a worker and the fork server ask the kernel to signal them when their parent dies
  (Linux ``prctl(PR_SET_PDEATHSIG)``, through ctypes);
- a kernel (whose parent is the fork server, not the worker it serves) watches its worker's
  process with a Linux pidfd, or by polling, and exits when the worker has gone.

Elsewhere than on Linux :func:`die_with_parent` does nothing; kernels still watch their worker.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

__all__ = ["die_with_parent", "exit_with", "EXIT_SIGINT", "EXIT_SIGTERM"]

#: Exit statuses of a run stopped by SIGINT (Ctrl-C) and by SIGTERM: 128 + the signal number.
EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM

_PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Have the kernel send ``signum`` to this process when its parent dies (Linux only).

    Parameters
    ----------
    signum : int
        The signal to receive.
    parent : int, optional
        The pid the parent had; when the parent has already gone (the process was reparented
        before this call), ``signum`` is sent at once.

    Returns
    -------
    bool
        Whether the request was made (False where the platform has no such request).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)
    return True


def exit_with(pid: int, status: int = 1) -> None:
    """Exit this process (at once, with ``status``) when the process ``pid`` ends.

    Watches from a daemon thread: a pidfd where the platform has one, else a poll every half
    second.  A process that has already ended makes this one exit at once.
    """
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(status)
    except (AttributeError, OSError):  # no pidfd on this platform or kernel
        handle = None

    def watch():
        if handle is not None:
            import select

            select.select([handle], [], [])
        else:
            import time

            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(0.5)
        os._exit(status)

    threading.Thread(target=watch, name="reanalyse-owner-watch", daemon=True).start()
