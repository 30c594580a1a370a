"""Atomic file writes: a temporary file in the same folder, then os.replace."""

from __future__ import annotations

import os
import tempfile

from osaid.errors import OsaidError


def write_atomic(path: str, data: bytes) -> None:
    """Replace path's content with data, so that readers see old or new, never half.

    The file mode of an existing file is kept. A failure (no such folder, a
    full disk) is an OsaidError naming the file, and leaves the old content.
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    folder, name = os.path.split(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OsaidError(f"cannot write {path}: {e.strerror} ({folder})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise OsaidError(f"cannot write {path}: {e.strerror}") from e
        raise
