"""Files, safely: atomic writes (a temporary file in the same folder, then
os.replace) and reads that never hang and never follow a link.

Only regular files are read or replaced: a symbolic link, a FIFO, a device,
a socket or a folder where a file is expected is an error that says what it
is (replacing a link or a device with a regular file would break what the
user set up; opening a FIFO would wait forever for a writer).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile

from osaid.errors import OsaidError

_WHAT = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
}


class NotRegular(OsaidError):
    """The path is not a regular file: what it is instead."""

    def __init__(self, path: str, what: str):
        super().__init__(f"{path} is {what}, not a regular file: osaid reads and writes only regular files")
        self.what = what


class TooLarge(OsaidError):
    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def what(mode: int) -> str:
    return _WHAT.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file. NotRegular if path is a link, a FIFO, a
    device...; TooLarge (without reading it) if it holds more than max_bytes;
    OSError if it cannot be read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
            raise NotRegular(path, "a symbolic link") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(path, what(st.st_mode))
        if max_bytes is not None and st.st_size > max_bytes:
            raise TooLarge(st.st_size)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while we read
        raise TooLarge(len(data))
    return data


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: bytes) -> None:
    """Replace path's content with data, so that readers see old or new, never half.

    The file mode of an existing file is kept; a new file gets 0666 less the
    umask, as open() would give it. Only a regular file is replaced: a link,
    a FIFO or a device there is an OsaidError. A failure (no such folder, a
    full disk) is an OsaidError naming the file, and leaves the old content.
    """
    path = os.fspath(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as e:
        raise OsaidError(f"cannot write {path}: {e.strerror}") from None
    else:
        if not stat.S_ISREG(st.st_mode):
            raise OsaidError(f"cannot write {path}: it is {what(st.st_mode)}, not a regular file, "
                             "and osaid replaces only regular files: remove it, or name another file")
        mode = st.st_mode & 0o7777
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


def write_quietly(path: str, data: bytes) -> bool:
    """Replace path's content with data atomically (its own temporary file, then os.replace),
    creating its folder; False, with nothing left behind, on any error. For caches, which
    need no fsync on a hook's path and whose failure only costs speed."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
