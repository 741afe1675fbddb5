"""A fork server for IPython kernels: import once, fork a fresh kernel per notebook.

Starting an IPython kernel and importing the statistics stack into it (scipy, statsmodels,
matplotlib, reanalyse) costs a couple of seconds of CPU, paid again for every notebook when
each kernel is a new interpreter.  This process pays it once: it imports ``ipykernel`` and the
modules named on its command line, then serves requests on a Unix socket.  For each request it
forks; the child becomes an IPython kernel on the given connection file, as
``python -m ipykernel_launcher -f FILE`` would, and the parent replies with the child's pid.

Every kernel is a new process forked from a zygote in which no notebook code has ever run,
so notebooks do not share state: only the imported library modules are already in
``sys.modules`` (as after ``import`` in a fresh kernel).  Fork is only safe in a
single-threaded process, which this one is (nothing here starts threads).

Protocol: a client connects to the socket and sends one JSON line
``{"connection_file": path, "cwd": path, "log": path, "owner": pid}``; the reply is one JSON
line, ``{"pid": pid}``, or ``{"error": text}`` when the modules could not be imported.  Requests
queue on the socket while the zygote is still importing.

Lifetimes (:mod:`reanalyse.runner.lifetime`): the zygote exits when its owner (the process
that started it) writes ``stop`` on its stdin, or dies; in that case (stdin ends without
``stop``, or the parent-death signal) it removes the owner's socket folder (the folder of its
own socket), which nobody else is left to remove.  A kernel serves the client that asked for it
(``owner``), not the zygote: it exits when that process ends, and lives on if the zygote dies,
so that a notebook that kills the zygote does not take other notebooks' kernels with it.

Run as ``python -m reanalyse.runner.zygote [--owner PID] SOCKET MODULE...``.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import shutil
import signal
import socket
import sys
import traceback
from pathlib import Path

from reanalyse.runner.lifetime import die_with_parent, exit_with

#: What a kernel imports while it starts (its shell, the debugger, IPython's magics): imported
#: once here rather than in every kernel.
_KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                   "ipykernel.debugger", "IPython.core.magics", "IPython.core.history",
                   "IPython.core.completer", "matplotlib_inline.backend_inline")


class _OwnerGone(BaseException):
    """The owner died (the kernel sent the parent-death signal)."""


_serving = True


def _owner_gone(signum, frame):
    if _serving:  # once serving has ended, the clean-up runs to its end
        raise _OwnerGone()


def main(address: str, modules: list[str], owner: int | None = None) -> None:
    """Listen on ``address``, import ``modules``, then fork kernels on request until the owner
    writes ``stop`` on stdin, stdin ends, or ``owner`` dies."""
    # The kernel's cwd is not importable during start-up (as in ipykernel_launcher).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the owner decides when to stop
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    signal.signal(signal.SIGTERM, _owner_gone)
    if owner is not None:
        die_with_parent(signal.SIGTERM, owner)
    try:
        stopped = _serve(address, modules)
    except _OwnerGone:
        stopped = False
    if not stopped and owner is not None and _orphaned(owner):  # nobody is left to clean up
        shutil.rmtree(os.path.dirname(address), ignore_errors=True)
    # Nothing is left to save: skip the interpreter's slow tear-down of the imported stack.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _orphaned(owner: int, wait: float = 1.0) -> bool:
    """Whether ``owner`` has died (this process was given another parent).

    A dying process closes its files before its children are given a new parent, so the end
    of stdin can come a moment before the change of parent: wait for it a little.
    """
    import time

    deadline = time.monotonic() + wait
    while os.getppid() == owner:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _serve(address: str, modules: list[str]) -> bool:
    """Fork kernels on request; True when the owner asked to stop, False when stdin ended."""
    global _serving
    try:
        return _listen(address, modules)
    finally:
        _serving = False


def _listen(address: str, modules: list[str]) -> bool:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(64)
    # What ipykernel would choose; matplotlib reads it on import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # debugpy (imported with ipykernel's debugger) warns on stderr about frozen modules.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    failure = None
    try:
        for module in (*_KERNEL_MODULES, *modules):
            importlib.import_module(module)
    except Exception:  # noqa: BLE001 - every request is answered with the reason
        failure = traceback.format_exc()
        print(failure, file=sys.stderr, flush=True)
    else:
        _draw_once()
    from ipykernel.kernelapp import IPKernelApp

    while True:
        ready, _, _ = select.select([server, sys.stdin], [], [])
        if sys.stdin in ready:
            data = os.read(sys.stdin.fileno(), 1024)
            if b"stop" in data:
                return True  # the owner is done with it
            if not data:
                return False  # the owner has gone
        if server not in ready:
            continue
        connection, _ = server.accept()
        request = json.loads(_read_line(connection))
        if failure is not None:
            connection.sendall(json.dumps({"error": failure}).encode() + b"\n")
            connection.close()
            continue
        pid = os.fork()
        if pid == 0:
            server.close()
            connection.close()
            _become_kernel(IPKernelApp, request)  # never returns
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        connection.close()


def _draw_once() -> None:
    """Draw a small figure if matplotlib is imported: its fonts and caches are then loaded once
    here, not in every kernel's first figure."""
    if "matplotlib" not in sys.modules:
        return
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), layout="constrained")
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], label="x")
    axes.set_title("x")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png")


def _read_line(connection: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _become_kernel(app_class, request: dict) -> None:
    """In the forked child: run an IPython kernel on the requested connection file, then exit.

    Leaves by ``sys.exit`` so that the interpreter's exit handlers run as in any kernel.
    """
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # its own process group, as jupyter_client starts kernels
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        if request.get("log"):
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.close(log)
        os.chdir(request["cwd"])
        if request.get("owner"):
            exit_with(int(request["owner"]))
        # No parent poller: the kernel does not depend on the zygote once forked.
        argv = ["-f", request["connection_file"], "--IPKernelApp.parent_handle=0"]
        sys.argv = [sys.executable, *argv]
        app_class.launch_instance(argv=argv)
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - the kernel could not start: say why, exit
        traceback.print_exc()
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    _args = sys.argv[1:]
    _owner = None
    if _args[:1] == ["--owner"]:
        _owner, _args = int(_args[1]), _args[2:]
    main(_args[0], _args[1:], owner=_owner)
