"""Progress bars for long runs: a tqdm bar when asked, or in a terminal; never print otherwise.

A private leaf: it imports nothing from bizmodels, and tqdm only when a bar is drawn (tqdm
is the optional extra ``progress``: ``pip install 'bizmodels[progress]'``).

Every long run (`bizmodels.plans.simulate_growth`, `simulate_ensemble`,
`SimulationResult.member_cash_flows`, `bizmodels.risk.monte_carlo`) takes the same
``progress`` argument:

``None`` (the default)
    a bar on stderr when stderr is a terminal and tqdm is installed; nothing otherwise
    (in a pipe, a log, a test or a notebook cell, nothing is printed).
``True``
    a bar on stderr, always; without tqdm, an ImportError naming the extra.
``False``
    never a bar.
"""

from __future__ import annotations

import importlib
import sys
from types import TracebackType
from typing import Any

__all__ = ["INSTALL", "Bar", "bar", "check_progress"]

INSTALL = "pip install 'bizmodels[progress]'"


def check_progress(progress: object, field: str = "progress") -> bool | None:
    """`progress` if it is True, False or None, else a ValueError naming it.

    Examples
    --------
    >>> check_progress(None), check_progress(True)
    (None, True)
    >>> check_progress("yes")
    Traceback (most recent call last):
    ...
    ValueError: progress = 'yes': must be True, False or None (a bar only in a terminal)
    """
    if progress is None or isinstance(progress, bool):
        return progress
    raise ValueError(
        f"{field} = {progress!r}: must be True, False or None (a bar only in a terminal)"
    )


class Bar:
    """A tqdm bar, or nothing at all: `update` and `to` move it, `close` ends it.

    Use it as a context manager, so that the bar is closed when the run fails too.
    """

    def __init__(self, tqdm_bar: Any = None) -> None:
        self._bar = tqdm_bar
        self._done = 0

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn."""
        return self._bar is not None

    def update(self, n: int = 1) -> None:
        """Move the bar ``n`` steps on."""
        self._done += n
        if self._bar is not None:
            self._bar.update(n)

    def to(self, done: int) -> None:
        """Move the bar to ``done`` steps (never back)."""
        if done > self._done:
            self.update(done - self._done)

    def note(self, text: str) -> None:
        """Say what the run is doing now, after the bar."""
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=True)

    def close(self) -> None:
        """End the bar (and clear it from the screen)."""
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Bar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def bar(
    progress: bool | None, total: int, desc: str, unit: str = "it", *, scale: bool = False
) -> Bar:
    """The bar `progress` asks for: ``total`` steps of ``unit``, titled ``desc``.

    Parameters
    ----------
    progress : bool or None
        True: a bar, always; False: none; None: a bar only when stderr is a terminal and
        tqdm is installed.
    total : int
        Steps in the whole run.
    desc, unit : str
        What the run does (``"growing the network"``) and what a step is (``"day"``).
    scale : bool
        Show counts as 1.2M rather than 1,200,000 (for samples).

    Raises
    ------
    ImportError
        ``progress=True`` without tqdm, naming the extra that installs it.
    ValueError
        `progress` neither True, False nor None.

    Examples
    --------
    >>> with bar(False, 10, "counting") as b:
    ...     b.update(3)
    >>> b.shown
    False
    """
    progress = check_progress(progress)
    if progress is False:
        return Bar()
    stream = sys.stderr
    if progress is None:
        isatty = getattr(stream, "isatty", None)
        if stream is None or isatty is None or not isatty():
            return Bar()
    try:
        # by name: the core has no tqdm stubs to check against, and needs none
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:
        if progress is None:
            return Bar()  # only asked for "if possible": no bar, no noise
        raise ImportError(f"progress=True needs tqdm, which is not installed: {INSTALL}") from None
    return Bar(
        tqdm(
            total=total,
            desc=desc,
            unit=unit,
            unit_scale=scale,
            file=stream,
            leave=False,  # a finished run leaves its result on the screen, not the bar
            dynamic_ncols=True,
        )
    )
