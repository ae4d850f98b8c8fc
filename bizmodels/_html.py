"""How results show themselves in Jupyter (``_repr_html_``): one compact table renderer.

A private leaf: it imports nothing from bizmodels (the cells come already written, by
`bizmodels._format`, as the terminal table writes them). The table reads like the terminal
one: numbers right-aligned, negatives marked (the minus sign "−" and the class ``neg``),
subtotal rows bold, a caption; at most `max_rows` rows shown, then "… N more rows" naming
the call that gives them all. Every text is escaped.

The styles are inline as well as classes, so the table reads the same where a notebook
strips ``<style>`` (an untrusted notebook, GitHub's viewer).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from typing import Literal

__all__ = ["MAX_ROWS", "Lang", "table"]

Lang = Literal["en", "zh"]

MAX_ROWS = 20
"""The most rows a notebook shows before "… N more rows": a screen's worth, to scan."""

_MINUS = "−"
_TABLE = "border-collapse:collapse;font-variant-numeric:tabular-nums"
_CELL = "padding:2px 8px"
_NUM = "text-align:right;white-space:nowrap"


def _negative(text: str) -> bool:
    return text.startswith((_MINUS, "-")) and any(ch.isdigit() for ch in text)


def _more(hidden: int, lang: Lang, more: str | None) -> str:
    if lang == "zh":
        text = f"… 还有 {hidden:,} 行"
        return f"{text}（全部：{more}）" if more else text
    text = f"… {hidden:,} more rows"
    return f"{text} (all of them: {more})" if more else text


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Collection[int] = (),
    subtotals: Collection[int] = (),
    caption: str | None = None,
    lang: Lang = "en",
    max_rows: int = MAX_ROWS,
    more: str | None = None,
) -> str:
    """An HTML table of text cells, as a result's ``_repr_html_`` returns it.

    Parameters
    ----------
    headers : sequence of str
        The column labels (in the language of the result).
    rows : sequence of sequences of str
        The cells, written as the terminal table writes them (``"−1,234.50"``).
    numeric : collection of int
        The indices of the columns that hold numbers: right-aligned, and a cell starting
        with a minus is marked negative.
    subtotals : collection of int
        The indices of the rows shown bold (subtotals and ends).
    caption : str, optional
        The table's title.
    lang : {"en", "zh"}
        The language of the "… N more rows" line.
    max_rows : int
        The most rows shown; the rest are counted in a last line.
    more : str, optional
        The call that gives every row (``"to_pandas()"``), named in that last line.

    Returns
    -------
    str
        The HTML fragment.

    Examples
    --------
    >>> print(table(["step", "amount"], [["GMV", "289.00"], ["<fee>", "−1.00"]],
    ...             numeric={1}, subtotals={0}))  # doctest: +NORMALIZE_WHITESPACE
    <table class="bizmodels" style="border-collapse:collapse;font-variant-numeric:tabular-nums">
    <thead><tr><th style="padding:2px 8px;text-align:left">step</th><th class="num"
    style="padding:2px 8px;text-align:right;white-space:nowrap">amount</th></tr></thead>
    <tbody>
    <tr class="subtotal" style="font-weight:bold"><td style="padding:2px 8px">GMV</td><td
    class="num" style="padding:2px 8px;text-align:right;white-space:nowrap">289.00</td></tr>
    <tr><td style="padding:2px 8px">&lt;fee&gt;</td><td class="num neg"
    style="padding:2px 8px;text-align:right;white-space:nowrap">−1.00</td></tr>
    </tbody></table>
    """
    numeric = set(numeric)
    subtotals = set(subtotals)
    out = [f'<table class="bizmodels" style="{_TABLE}">']
    if caption:
        out.append(
            f'<caption style="text-align:left;font-weight:bold">{html.escape(caption)}</caption>'
        )
    head = []
    for j, label in enumerate(headers):
        if j in numeric:
            head.append(f'<th class="num" style="{_CELL};{_NUM}">{html.escape(label)}</th>')
        else:
            head.append(f'<th style="{_CELL};text-align:left">{html.escape(label)}</th>')
    out.append(f"<thead><tr>{''.join(head)}</tr></thead>")
    out.append("<tbody>")
    shown = rows[: max(max_rows, 0)]
    for i, row in enumerate(shown):
        cells = []
        for j, cell in enumerate(row):
            text = str(cell)
            if j in numeric:
                if _negative(text):
                    text = _MINUS + text[1:] if text.startswith("-") else text
                    cls = "num neg"
                else:
                    cls = "num"
                cells.append(f'<td class="{cls}" style="{_CELL};{_NUM}">{html.escape(text)}</td>')
            else:
                cells.append(f'<td style="{_CELL}">{html.escape(text)}</td>')
        attrs = ' class="subtotal" style="font-weight:bold"' if i in subtotals else ""
        out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    hidden = len(rows) - len(shown)
    if hidden > 0:
        out.append(
            f'<tr class="more"><td colspan="{max(len(headers), 1)}" style="{_CELL};'
            f'font-style:italic">{html.escape(_more(hidden, lang, more))}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)
