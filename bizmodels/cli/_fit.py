"""What the commands print fits a terminal 120 columns wide; ``--wide`` and xlsx output.

The default tables show the columns that matter (a comparison keeps operating profit, its
ranking key) and prose lines longer than `WIDTH` are wrapped at their words, by display
width (a Chinese character takes two columns). ``--wide`` prints every column and leaves the
lines as they are. ``--format xlsx`` writes a workbook to ``-o FILE.xlsx`` (or to ``-o -``
when standard output is not a terminal) and prints where it went.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate
from wcwidth import wcswidth

from bizmodels.cli._common import UsageError
from bizmodels.compare import COLUMNS, Comparison, cell_text
from bizmodels.compliance import Assessment

__all__ = [
    "BRIEF_COMPARISON",
    "WIDTH",
    "assessment_text",
    "comparison_text",
    "fit",
    "listing",
    "narrow_headers",
    "text_or_file",
    "width_of",
    "write_xlsx",
]

WIDTH = 120
"""The columns a default table and line fit in (a laptop's terminal, side by side)."""

BRIEF_COMPARISON = (
    "model",
    "gmv",
    "contribution_margin",
    "operating_profit",
    "operating_margin",
    "ltv_cac",
    "risk_level",
)
"""The columns ``bizmodels compare`` shows without ``--wide``; ranked by another column, that
column takes the contribution's place."""

_LEVEL_ZH = {"low": "低", "warning": "警示", "high": "高"}


def width_of(line: str) -> int:
    """Columns a line takes in a terminal (a CJK character two)."""
    width = wcswidth(line)
    return width if width >= 0 else len(line)


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` with its prose lines longer than ``width`` wrapped at words.

    A line of a table (one with a run of two spaces or a ``|`` after its indent) is left
    whole: its command chose the columns. A wrapped line continues under its first word
    (after a leading ``- ``, ``[3] `` or indent).
    """
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        if width_of(line) <= width or "  " in body or "|" in body:
            out.append(line)
        else:
            out.extend(_wrap(line, width))
    return "\n".join(out)


def _hanging(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    for marker in ("- ", "* "):
        if rest.startswith(marker):
            return " " * (indent + len(marker))
    if rest.startswith("[") and "] " in rest[:6]:
        return " " * (indent + rest.index("] ") + 2)
    return " " * indent


def _wrap(line: str, width: int) -> list[str]:
    hang = _hanging(line)
    lines: list[str] = []
    current = ""
    for word in _words(line):
        candidate = current + word
        if current and width_of(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = hang + word.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _words(line: str) -> list[str]:
    # words with their following space; a CJK character is a word of its own
    words: list[str] = []
    word = ""
    for ch in line:
        if width_of(ch) == 2:
            if word:
                words.append(word)
            words.append(ch)
            word = ""
        elif ch == " " and word.strip():
            words.append(word + ch)
            word = ""
        else:
            word += ch
    if word:
        words.append(word)
    return words


# -- the tables the commands narrow --------------------------------------------------------


def comparison_text(table: Comparison, fmt: str, lang: str, wide: bool) -> str:
    """A comparison as a table or markdown: `BRIEF_COMPARISON` (and the sort column) or all."""
    if wide or fmt not in ("table", "markdown"):
        return table.render(fmt, lang)  # type: ignore[arg-type]
    keys = set(BRIEF_COMPARISON)
    if table.sort not in keys:  # the column ranked by, in the place of the contribution
        keys = (keys - {"contribution_margin"}) | {table.sort}
    shown = [c for c in COLUMNS if c.key in keys]
    headers = ["#"] + [c.zh if lang == "zh" else c.en for c in shown]
    body = []
    for rank, row in enumerate(table.rows, start=1):
        cells = [str(rank)]
        for column in shown:
            value = row[column.key]
            if column.key == "risk_level" and lang == "zh":
                value = _LEVEL_ZH.get(value, value)
            cells.append(cell_text(value, column.kind))
        body.append(cells)
    align = ["right"] + ["left" if c.kind == "text" else "right" for c in shown]
    tablefmt = "github" if fmt == "markdown" else "simple"
    return tabulate(body, headers=headers, tablefmt=tablefmt, colalign=align, disable_numparse=True)


def assessment_text(assessment: Assessment, fmt: str, lang: str, wide: bool) -> str:
    """An assessment; in a terminal without ``--wide``, its findings in the columns that matter.

    The narrow table keeps indicator, severity, value, the deciding line and the evidence
    (wrapped); how far the value is from the line and the short citations are left to
    ``--wide`` (the legal texts are listed in full below the table either way).
    """
    text = assessment.render(fmt, lang)
    if wide or fmt != "table":
        return text
    full = assessment.to_table(lang, "simple")
    zh = lang == "zh"
    headers = (
        ("指标", "级别", "数值", "界线", "依据事实")
        if zh
        else ("indicator", "severity", "value", "line", "evidence")
    )
    columns = ("indicator", "severity", "value", "line", "evidence")
    rows = [tuple(f.cells(lang)[c] for c in columns) for f in assessment.findings]
    narrow = tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[18, 9, 14, 14, 52],
    )
    return text.replace(full, narrow, 1)


def _two_lines(header: str) -> str:
    # a header on two lines, broken at the space (or, in Chinese, the character) nearest
    # its middle, so that a column is as wide as its numbers rather than its words
    if width_of(header) <= 8:
        return header
    middle = len(header) / 2
    spaces = [i for i, ch in enumerate(header) if ch == " "]
    if spaces:
        cut = min(spaces, key=lambda i: abs(i - middle))
        return header[:cut] + "\n" + header[cut + 1 :]
    if width_of(header) >= 12 and all(width_of(ch) == 2 for ch in header):
        cut = round(middle)
        return header[:cut] + "\n" + header[cut:]
    return header


def _numeric(cell: str) -> bool:
    return bool(cell) and all(ch in "0123456789.,%−-+— " for ch in cell)


def narrow_headers(tsv: str) -> str:
    """A table given as tabulate's ``tsv`` re-drawn in ``simple`` with two-line headers.

    The cells keep their text; numeric columns are right-aligned, the others left.
    """
    lines = [line.split("\t") for line in tsv.split("\n") if line]
    headers = [_two_lines(h.strip()) for h in lines[0]]
    body = [[cell.strip() for cell in row] for row in lines[1:]]
    align = [
        "right" if all(_numeric(row[i]) for row in body if i < len(row)) else "left"
        for i in range(len(headers))
    ]
    return tabulate(body, headers=headers, tablefmt="simple", colalign=align, disable_numparse=True)


def listing(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], widths: Sequence[int | None]
) -> str:
    """A listing (models, presets) as a terminal table, long columns wrapped."""
    return tabulate(
        rows, headers=headers, tablefmt="simple", disable_numparse=True, maxcolwidths=list(widths)
    )


# -- xlsx ----------------------------------------------------------------------------------


def _is_terminal(path: str) -> bool:
    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def write_xlsx(args: argparse.Namespace, write: Callable[[Path], Any]) -> str:
    """Write a workbook with ``write(path)`` where ``-o`` says; what the command prints.

    Raises
    ------
    UsageError
        No ``-o``, a name not ending in ``.xlsx``, or a terminal to write to.
    """
    output = getattr(args, "output", None)
    if output is None:
        raise UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    if output == "-":
        if sys.stdout.isatty():
            raise UsageError(
                "-o -: will not write a workbook to a terminal; redirect it or give -o FILE.xlsx"
            )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "out.xlsx"
            _written(write, path)
            data = path.read_bytes()
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return ""
    if _is_terminal(output):
        raise UsageError(f"-o {output}: will not write a workbook to a terminal")
    if not output.lower().endswith(".xlsx"):
        raise UsageError(f"-o {output}: a workbook's name ends in .xlsx")
    return f"wrote {_written(write, Path(output))}"


def _written(write: Callable[[Path], Any], path: Path) -> Any:
    try:
        return write(path)
    except ImportError as exc:  # no openpyxl: the one line naming the extra
        raise UsageError(str(exc)) from None


def text_or_file(args: argparse.Namespace, text: str) -> str:
    """``text`` fitted to the terminal, or written to ``-o PATH`` (then what is printed)."""
    if args.format == "table" and not args.wide:
        text = fit(text)
    output = getattr(args, "output", None)
    if output is None or output == "-":
        return text
    try:
        Path(output).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"-o {output}: {exc.strerror}") from None
    return f"wrote {output}"
