"""Opening a user's file: regular files only, never blocking, whatever the name points to.

Scenario files (`bizmodels.io`) and event logs (`bizmodels.plans.events`) both read through
`open_regular`, so a directory, a named pipe, a socket or a device (a link to ``/dev/zero``)
is refused by kind before a byte is read, and a FIFO can never hang the reader. The size
cap is each reader's own, applied to the bytes actually read, never to ``st_size``.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

__all__ = ["NotRegularFile", "open_regular"]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)

# O_NONBLOCK: should the name become a FIFO between the check and the open, opening it
# must not wait for a writer
_FLAGS = os.O_RDONLY
for _name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
    _FLAGS |= getattr(os, _name, 0)


class NotRegularFile(ValueError):
    """The path names something other than a regular file; ``kind`` says what."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(f"{os.fspath(path)}: {kind}, not a regular file")
        self.kind = kind


def _kind(path: str | os.PathLike[str], mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    link = f" (a link to {os.path.realpath(path)})" if Path(path).is_symlink() else ""
    return kind + link


def open_regular(path: str | os.PathLike[str]) -> io.FileIO:
    """Open a regular file for reading in binary, links followed.

    The kind is checked before opening, so that a FIFO, a socket or a device is never
    opened, and again on the open descriptor, in case the name was replaced in between.

    Raises
    ------
    NotRegularFile
        A directory, FIFO, socket or device, with what it is (``"a directory"``).
    OSError
        The file cannot be opened (missing, no permission).

    Examples
    --------
    >>> import tempfile
    >>> open_regular(tempfile.gettempdir())
    Traceback (most recent call last):
    ...
    bizmodels._files.NotRegularFile: ...: a directory, not a regular file
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, _kind(path, mode))
    fd = os.open(path, _FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, _kind(path, mode))
    except BaseException:
        os.close(fd)
        raise
    return io.FileIO(fd, "rb", closefd=True)
