"""Files written whole and files identified by content: the two I/O helpers every layer uses."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic", "file_digest"]


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
