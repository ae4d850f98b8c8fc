"""Checks that a requested size fits in memory before anything is allocated.

Every count a caller gives (samples, members, days, cohorts, months, series length) is
turned into the bytes it will need by the code that allocates; `require_memory` refuses
it, naming the field and the estimate, when that exceeds what this machine has. The
machine's physical memory is the limit (``BIZMODELS_MEMORY_LIMIT``, in bytes, overrides
it, for tests and for shared machines).
"""

from __future__ import annotations

import os

__all__ = ["SizeError", "human_bytes", "memory_limit", "require_memory"]

_FALLBACK = 8 * 2**30  # when the platform cannot say how much memory it has


class SizeError(ValueError):
    """A requested size needs more memory (or time) than can be had; raised before any work."""


def memory_limit() -> int:
    """Bytes a single computation may plan to use: physical memory, or the override.

    Examples
    --------
    >>> memory_limit() > 0
    True
    """
    override = os.environ.get("BIZMODELS_MEMORY_LIMIT")
    if override:
        try:
            value = int(override)
        except ValueError:
            raise SizeError(
                f"BIZMODELS_MEMORY_LIMIT = {override!r}: must be a whole number of bytes"
            ) from None
        if value <= 0:
            raise SizeError(f"BIZMODELS_MEMORY_LIMIT = {override!r}: must be positive")
        return value
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):  # pragma: no cover - non-POSIX
        return _FALLBACK


def human_bytes(n: float) -> str:
    """Bytes as a person reads them: ``7.3 TB``, ``512 MB`` (decimal units).

    Examples
    --------
    >>> human_bytes(7.3e12)
    '7.3 TB'
    >>> human_bytes(999)
    '999 bytes'
    """
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.2g} {unit}" if n / size < 10 else f"{n / size:,.0f} {unit}"
    return f"{int(n)} bytes"


def require_memory(what: str, n_bytes: float) -> None:
    """Refuse a computation whose estimated memory exceeds the limit.

    Parameters
    ----------
    what : str
        The field and its value as the user gave them, e.g. ``"samples = 1000000000000"``.
    n_bytes : float
        The estimate, from the arrays the computation will allocate.

    Raises
    ------
    SizeError
        ``"samples = 1000000000000 needs about 80 TB of memory; this machine has 25 GB"``.

    Examples
    --------
    >>> require_memory("samples = 10", 80)
    >>> require_memory("samples = 10**15", 8e15)
    Traceback (most recent call last):
    ...
    bizmodels._limits.SizeError: samples = 10**15 needs about 8 PB of memory; ...
    """
    limit = memory_limit()
    if n_bytes > limit:
        raise SizeError(
            f"{what} needs about {human_bytes(n_bytes)} of memory; "
            f"this machine has {human_bytes(limit)}"
        )
