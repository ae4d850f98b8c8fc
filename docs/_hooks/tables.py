"""MkDocs hook: right-align the table cells that hold a number.

Tables on this site come from tabulate (``github`` format, which carries no alignment) and
from hand-written Markdown; either way a column of figures reads only when its digits line
up. Each ``<td>`` or ``<th>`` whose text is a number (an amount, a percent, a ratio, ``n/a``)
gets ``class="num"``, which docs/stylesheets/extra.css right-aligns with tabular digits.
"""

from __future__ import annotations

import re
from typing import Any

# an amount such as "1,234.56", "−71,640.00", "12.5%", "4.85", "3", "n/a"; maybe inside
# <strong> or <code>; nothing else in the cell
_NUMBER = r"(?:[−\-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?%?|n/a)"
_CELL = re.compile(
    r"<(td|th)((?:\s[^>]*)?)>(\s*(?:<(?:strong|code|em|b)>)*"
    + _NUMBER
    + r"(?:</(?:strong|code|em|b)>)*\s*)</\1>"
)


def _with_num(attrs: str) -> str:
    if "class=" in attrs:
        return re.sub(r'class="([^"]*)"', r'class="\1 num"', attrs, count=1)
    return attrs + ' class="num"'


def _mark(match: re.Match[str]) -> str:
    tag, attrs, body = match.groups()
    return f"<{tag}{_with_num(attrs)}>{body}</{tag}>"


_TABLE = re.compile(r"<table>.*?</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_ANY_CELL = re.compile(r"<(td|th)(\s[^>]*)?>", re.S)


def _mark_table(match: re.Match[str]) -> str:
    """Mark the number cells, then the header of each column whose cells are all numbers."""
    table = _CELL.sub(_mark, match.group(0))
    numeric: dict[int, bool] = {}
    for row in _ROW.findall(table):
        for i, cell in enumerate(_ANY_CELL.finditer(row)):
            if cell.group(1) == "td":
                numeric[i] = numeric.get(i, True) and 'class="num' in (cell.group(2) or "")
    columns = {i for i, all_numbers in numeric.items() if all_numbers}

    def header_row(row: re.Match[str]) -> str:
        count = -1

        def header(cell: re.Match[str]) -> str:
            nonlocal count
            count += 1
            attrs = cell.group(2) or ""
            if cell.group(1) == "th" and count in columns and "num" not in attrs:
                return f"<th{_with_num(attrs)}>"
            return cell.group(0)

        return _ANY_CELL.sub(header, row.group(0)) if "<th" in row.group(0) else row.group(0)

    return _ROW.sub(header_row, table)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Mark every number cell of the page's tables, and the headers of number columns."""
    return _TABLE.sub(_mark_table, html)
