"""Kernels for notebook runs: this interpreter's ``python3``, started by fork or as a process.

Two ways to start a kernel, both giving each notebook a new kernel process:

``spawn``
    The usual ``python -m ipykernel_launcher -f FILE``: a new interpreter that imports
    ipykernel and then whatever the notebook imports.
``fork``
    Forked from a :mod:`zygote <reanalyse.runner.zygote>` that has already imported ipykernel
    and the library, so a kernel is ready in milliseconds instead of seconds.  POSIX only.

Either way the kernel is the ``python3`` kernel of *this* interpreter (``sys.executable``),
whatever kernelspecs happen to be installed elsewhere, so a run from a virtual environment
uses that environment.  Kernels talk over IPC sockets in a private folder where the platform
has them (no TCP ports to race for), else over TCP.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from queue import Empty

from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Any, DottedObjectName, Type

__all__ = ["KERNEL_NAME", "NativeKernelSpecManager", "Zygote", "ZygoteError", "fork_kernel",
           "new_kernel_manager", "stop_kernel", "socket_dir"]

KERNEL_NAME = "python3"


class NativeKernelSpecManager(KernelSpecManager):
    """Resolves ``python3`` to ipykernel in this interpreter, ignoring installed kernelspecs."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        """The spec of ``kernel_name``; ``python3`` is always ``sys.executable -m ipykernel``."""
        if kernel_name == KERNEL_NAME:
            return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
        return super().get_kernel_spec(kernel_name)


class ZygoteError(RuntimeError):
    """The kernel fork server could not be reached or could not fork a kernel."""


class Zygote:
    """A :mod:`~reanalyse.runner.zygote` process owned by this process.

    Parameters
    ----------
    modules : sequence of str
        Modules the zygote imports before forking kernels.
    log : file, optional
        Where the zygote's own output goes (default: this process's stderr).

    The zygote starts importing at once and listens on :attr:`address`; any process that
    knows the address (the workers of a pool) can have kernels forked with
    :func:`fork_kernel`.  It stops when :meth:`close` is called or this process exits.
    """

    def __init__(self, modules=(), log=None):
        self.modules = tuple(modules)
        self.log = log
        self.address = os.path.join(socket_dir(), f"z-{uuid.uuid4().hex[:8]}.sock")
        self.restarts = 0
        self._process = self._start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "reanalyse.runner.zygote", "--owner", str(os.getpid()),
             self.address, *self.modules], stdin=subprocess.PIPE, stdout=self.log,
            stderr=self.log)

    @property
    def alive(self) -> bool:
        """Whether the zygote process is running."""
        return self._process.poll() is None

    def restart(self) -> None:
        """Start a new zygote at the same address (after this one died).

        Clients keep the address; their requests wait while the new zygote imports.
        """
        self.close()
        try:
            os.unlink(self.address)  # the dead zygote's socket
        except FileNotFoundError:
            pass
        self.restarts += 1
        self._process = self._start()

    def close(self) -> None:
        """Stop the zygote (kernels it forked belong to their clients and are not stopped)."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            try:
                self._process.stdin.write(b"stop\n")
                self._process.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def fork_kernel(address: str, connection_file: str, cwd: str, log: str | None = None,
                timeout: float = 60.0) -> int:
    """Ask the zygote at ``address`` for a kernel on ``connection_file``; the kernel's pid.

    Waits (up to ``timeout`` seconds) for a zygote that is still starting or being restarted.
    ``log`` is a file for the kernel's stdout and stderr.  The kernel exits when this process
    ends.

    Raises
    ------
    ZygoteError
        When no zygote answers, or it could not import its modules.
    """
    deadline = time.monotonic() + timeout
    request = json.dumps({"connection_file": connection_file, "cwd": cwd, "log": log,
                          "owner": os.getpid()})
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(max(0.1, deadline - time.monotonic()))
                connection.connect(address)
                connection.sendall(request.encode() + b"\n")
                reply = b""
                while not reply.endswith(b"\n"):
                    chunk = connection.recv(4096)
                    if not chunk:
                        raise ZygoteError("the kernel fork server closed the connection")
                    reply += chunk
            break
        except (FileNotFoundError, ConnectionRefusedError):
            # not listening yet, or dead and about to be restarted by its owner
            if time.monotonic() > deadline:
                raise ZygoteError(f"no kernel fork server at {address}") from None
            time.sleep(0.05)
        except OSError as error:  # a timeout, a reset
            raise ZygoteError(f"the kernel fork server did not answer: {error}") from None
    answer = json.loads(reply)
    if "error" in answer:
        raise ZygoteError("the kernel fork server could not import its modules:\n"
                          + answer["error"])
    return int(answer["pid"])


class _ForkedProcess:
    """A ``Popen``-like handle on a kernel that the zygote forked (so not our child).

    Its exit status belongs to the zygote, which reaps it; this handle only knows whether the
    process still exists.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class _ForkProvisioner(LocalProvisioner):
    """Starts the kernel by asking a zygote to fork instead of running a command."""

    #: The zygote's address.
    zygote = Any()

    async def launch_kernel(self, cmd, **kwargs):
        cwd = kwargs.get("cwd") or os.getcwd()
        pid = fork_kernel(self.zygote, self.parent.connection_file, str(cwd),
                          log=self.parent.kernel_log)
        self.process = _ForkedProcess(pid)
        self.pid = self.pgid = pid  # the child calls setsid(): it leads its own group
        self.cwd = cwd
        return self.connection_info

    async def wait(self):
        # LocalProvisioner polls every 0.1 s; a killed kernel is gone within milliseconds.
        if self.process:
            while self.process.poll() is None:
                await asyncio.sleep(0.01)
            self.process = None
        return 0


class _KernelClient(AsyncKernelClient):
    """jupyter_client's async client, without a fixed 0.2 s pause in :meth:`wait_for_ready`.

    jupyter_client ends ``wait_for_ready`` by draining IOPub until it has been silent for
    0.2 s, so every kernel start costs at least that; here IOPub is known to be connected once
    a message has arrived on it, and what is left is drained without waiting.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass  # IOPub not subscribed yet: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.005)
            except Empty:
                return


class _KernelManager(AsyncKernelManager):
    """An async kernel manager that can start its kernel through a zygote."""

    #: The address of a zygote to fork the kernel from (None: spawn a process).
    zygote = Any(None)
    #: A file name for the kernel's stdout and stderr.
    kernel_log = Any(None)
    client_class = DottedObjectName("reanalyse.runner.jupyter._KernelClient")
    client_factory = Type(klass=_KernelClient)

    async def start_kernel(self, **kw):
        if self.zygote is not None and self.provisioner is None:
            self.kernel_id = self.kernel_id or str(uuid.uuid4())
            self.provisioner = _ForkProvisioner(kernel_id=self.kernel_id,
                                                kernel_spec=self.kernel_spec, parent=self,
                                                zygote=self.zygote)
            await super().start_kernel(**kw)
            return
        if self.kernel_log is None:
            await super().start_kernel(**kw)
            return
        with open(self.kernel_log, "ab") as log:  # the kernel keeps its own copy
            await super().start_kernel(**{"stdout": log, "stderr": log, **kw})


_SOCKET_DIR = None


def socket_dir() -> str:
    """A short private folder for connection files and IPC sockets (paths must stay short).

    Named ``rea-<pid>-...``; it is removed at exit, and a run that was killed (SIGKILL skips
    the removal) leaves its folder to the next run, which removes the folders of processes
    that are gone before making its own.
    """
    global _SOCKET_DIR
    if _SOCKET_DIR is None or not os.path.isdir(_SOCKET_DIR):
        remove_stale_socket_dirs()
        _SOCKET_DIR = tempfile.mkdtemp(prefix=f"rea-{os.getpid()}-")
        atexit.register(shutil.rmtree, _SOCKET_DIR, ignore_errors=True)
    return _SOCKET_DIR


_SOCKET_DIR_NAME = re.compile(r"rea-(\d+)-[A-Za-z0-9_]+")


def remove_stale_socket_dirs(root: str | None = None) -> list[str]:
    """Remove the socket folders (:func:`socket_dir`) of this user's processes that are gone;
    return their paths."""
    removed = []
    try:
        entries = list(os.scandir(root or tempfile.gettempdir()))
    except OSError:
        return removed
    for entry in entries:
        match = _SOCKET_DIR_NAME.fullmatch(entry.name)
        try:
            if not match or not entry.is_dir(follow_symlinks=False) \
                    or entry.stat(follow_symlinks=False).st_uid != os.getuid() \
                    or _alive(int(match[1])):
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def new_kernel_manager(zygote: str | None = None) -> AsyncKernelManager:
    """A kernel manager (not started) for this interpreter's ``python3`` kernel.

    With ``zygote`` (a zygote's address) the kernel will be forked by it; without, launched
    as a process.  The kernel's stdout and stderr go to the file ``km.kernel_log``.
    """
    stem = os.path.join(socket_dir(), f"k-{uuid.uuid4().hex[:12]}")
    options = {"kernel_name": KERNEL_NAME, "kernel_spec_manager": NativeKernelSpecManager(),
               "connection_file": stem + ".json", "zygote": zygote,
               "kernel_log": stem + ".log"}
    if os.name == "posix":
        options.update(transport="ipc", ip=stem + "-ipc")
    return _KernelManager(**options)


async def stop_kernel(km: AsyncKernelManager) -> None:
    """Stop the kernel of a finished notebook at once and free its sockets and files.

    Nothing is left in the kernel worth a graceful shutdown (jupyter_client's interrupts the
    kernel, asks it to stop and polls for up to a second): its process group is killed.
    """
    if km.has_kernel:
        await km.provisioner.kill()
        await km.provisioner.wait()
    await km.cleanup_resources()
