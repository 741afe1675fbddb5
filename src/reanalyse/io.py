"""Files written whole and files identified by content: the two I/O helpers every layer uses."""

from __future__ import annotations

import hashlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from reanalyse.errors import InputFileError

__all__ = ["write_atomic", "file_digest", "path_kind"]


def write_atomic(path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    The data go to a temporary file in the same folder, are flushed to disk, and the file is
    renamed over ``path``.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_digest(path) -> str:
    """SHA-256 of a file's bytes, as ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def path_kind(path, *, quiet: bool = False) -> str | None:
    """``"file"``, ``"folder"``, ``"other"`` (a device, a pipe) or None when nothing is there.

    Parameters
    ----------
    path : str or Path
    quiet : bool
        Read any error of the file system (a name too long, permission denied, a loop of
        symbolic links) as None instead of raising.

    Raises
    ------
    InputFileError
        When the path cannot be looked at for another reason than its absence (and not
        ``quiet``), naming the path and the reason.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if quiet or error.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise InputFileError(path, f"cannot look at the path: {error.strerror}",
                             hint="check the path (its length, its permissions)") from None
    except ValueError:  # a NUL byte in the name
        if quiet:
            return None
        raise InputFileError(path, "the path holds a NUL character",
                             hint="check the path") from None
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"

