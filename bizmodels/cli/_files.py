"""Files: ``init`` writes the default scenario file, commented, as a starting point."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bizmodels.cli._common import UsageError, add_command
from bizmodels.io import default_scenario_text

__all__ = ["add_init"]


def _cmd_init(args: argparse.Namespace) -> str:
    path = Path(args.path)
    if path.exists() and not args.force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    try:
        path.write_text(default_scenario_text(), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return f"wrote {path}: edit it, then run `bizmodels compare {path}`"


def add_init(sub: Any) -> None:
    """``bizmodels init [PATH]``: write the default scenario file."""
    init = add_command(
        sub,
        "init",
        _cmd_init,
        summary="write the default scenario file, commented",
        description="Write the built-in default scenario as a starting point.",
    )
    init.add_argument("path", nargs="?", default="scenario.yaml", help="default scenario.yaml")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
