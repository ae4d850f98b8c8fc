"""The table of what bizmodels refuses: each bad input with the message the user sees.

The entries live in the YAML files beside this one, one file per area. Each entry is::

    - what: a short description of the bad input
      python: bm.get_model("toc_membership", lifetime=-1)   # or
      cli: waterfall toc_membership --set lifetime=-1        # arguments of `bizmodels`
      files: {s.yaml: "customers: 010000\\n"}                 # optional, written first
      error: ValidationError                                 # python only
      message: |-
        the exact text the user sees

A Python entry is run with ``bm`` (bizmodels), ``np``, ``Decimal`` and ``Path`` in scope and
must raise; its message is ``str(error)`` without pydantic's "For further information" lines.
A CLI entry is run as ``bizmodels`` would run it and must exit with status 2 and one line on
standard error; its message is that line. The docs page shows the messages observed while
the site is built; `tests/test_refusals.py` checks them against the recorded ones.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Entry:
    area: str
    what: str
    python: str | None
    cli: str | None
    files: dict[str, str]
    error: str | None
    message: str


@dataclass(frozen=True)
class Observed:
    error: str | None
    message: str
    status: int | None = None


def entries() -> list[Entry]:
    """Every entry of every area file, in file then entry order."""
    found: list[Entry] = []
    for path in sorted(HERE.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            unknown = set(item) - {"what", "python", "cli", "files", "error", "message"}
            if unknown or ("python" in item) == ("cli" in item):
                raise ValueError(f"{path.name}: bad entry {item!r}")
            found.append(
                Entry(
                    area=path.stem,
                    what=item["what"],
                    python=item.get("python"),
                    cli=item.get("cli"),
                    files=dict(item.get("files") or {}),
                    error=item.get("error"),
                    message=str(item["message"]).rstrip("\n"),
                )
            )
    return found


def _clean(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("For further information")]
    return "\n".join(lines).rstrip("\n")


def observe(entry: Entry) -> Observed:
    """Run one entry in a fresh temporary directory and return what the user sees."""
    import shlex

    import bizmodels as bm
    from bizmodels.cli import main

    cwd, limit = os.getcwd(), os.environ.get("BIZMODELS_MEMORY_LIMIT")
    # one memory limit for every machine, so that "needs about …; this machine has 16 GB"
    # reads the same wherever the table is built
    os.environ["BIZMODELS_MEMORY_LIMIT"] = str(16 * 10**9)
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for name, text in entry.files.items():
                Path(name).write_text(text, encoding="utf-8")
            if entry.cli is not None:
                err, out = io.StringIO(), io.StringIO()
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                    try:
                        status = main(shlex.split(entry.cli))
                    except SystemExit as exc:  # argparse's own refusals
                        status = int(exc.code or 0)
                return Observed(None, err.getvalue().rstrip("\n"), status)
            scope: dict[str, Any] = {"bm": bm, "np": np, "Decimal": Decimal, "Path": Path}
            try:
                exec(compile(str(entry.python), "<entry>", "exec"), scope)
            except Exception as exc:  # the point: whatever the user would see
                return Observed(type(exc).__name__, _clean(str(exc)))
            return Observed(None, "(no error)")
        finally:
            os.chdir(cwd)
            if limit is None:
                del os.environ["BIZMODELS_MEMORY_LIMIT"]
            else:
                os.environ["BIZMODELS_MEMORY_LIMIT"] = limit


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def markdown() -> str:
    """The docs table: one row per entry, grouped by area, with the observed messages."""
    out: list[str] = []
    area = None
    for entry in entries():
        if entry.area != area:
            area = entry.area
            title = area.split("_", 1)[-1].replace("_", " ").capitalize()
            out += [
                "",
                f"## {title}",
                "",
                "| Bad input | Call | What the user sees |",
                "|---|---|---|",
            ]
        seen = observe(entry)
        call = f"`{entry.python}`" if entry.python else f"`bizmodels {entry.cli}`"
        if entry.files:
            call += "<br>" + "<br>".join(
                f"{name}: `{text!r}`" for name, text in entry.files.items()
            )
        shown = (f"{seen.error}: " if seen.error else f"exit {seen.status}: ") + seen.message
        out.append(f"| {_cell(entry.what)} | {_cell(call)} | {_cell(shown)} |")
    return "\n".join(out)
