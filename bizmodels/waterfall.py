"""The margin waterfall: from a start amount through deductions and subtotals to an end.

One type serves every breakdown in the library: a plan's order (699 − 200 − … = 289) and a
model's P&L (GMV → … → operating profit). Amounts are `Decimal` yuan rounded to the fen by
one rule, and subtotals are computed from the rounded steps, so every waterfall reconciles:
``end == start − sum(deductions)``, exactly.

Sign convention of every table form (`Waterfall.to_records`, CSV, JSON, `to_pandas`, the
tables): a deduction's amount is NEGATIVE, so that the amounts of the start and the
deductions add up to the end, to the fen; subtotals and the end are their own kinds, so
summing the rows of kind ``start`` and ``deduction`` gives the end. Only `Step.amount`
and `Waterfall.to_dict` keep a deduction positive (what it takes away).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._format import money, percent
from bizmodels._frames import Money
from bizmodels._output import render
from bizmodels._types import MONEY_CONTEXT

FEN = Decimal("0.01")
"""One fen (分), the unit every amount is rounded to."""

_SHARE = Decimal("0.000001")


def to_fen(amount: Decimal | int) -> Decimal:
    """Round an amount to the fen, half away from zero (四舍五入).

    This is the waterfall's one rounding rule: ``Decimal.quantize(FEN, ROUND_HALF_UP)``.

    Examples
    --------
    >>> to_fen(Decimal("0.125")), to_fen(Decimal("-0.125")), to_fen(3)
    (Decimal('0.13'), Decimal('-0.13'), Decimal('3.00'))
    """
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(
            f"waterfall amounts must be Decimal or int, not {type(amount).__name__} "
            f"({amount!r}); use Decimal('…') so that no binary fraction creeps in"
        )
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"waterfall amounts must be finite, got {value}")
    return _quantize(value, FEN)


def _quantize(value: Decimal, exponent: Decimal) -> Decimal:
    # a quantize needing more digits than the context holds raises InvalidOperation: give it
    # the digits it needs, so that any finite amount rounds, exactly, by the one rule
    context = MONEY_CONTEXT.copy()
    context.prec = max(context.prec, value.adjusted() - exponent.adjusted() + 2)
    return value.quantize(exponent, rounding=ROUND_HALF_UP, context=context)


class StepKind(str, Enum):
    """What a waterfall step is: the start, a deduction, a subtotal, or the end."""

    START = "start"
    DEDUCTION = "deduction"
    SUBTOTAL = "subtotal"
    END = "end"


@dataclass(frozen=True)
class Line:
    """A named amount given to `Waterfall.build`: the start or a deduction.

    Parameters
    ----------
    key : str
        Identifier, snake_case (``"direct"``).
    zh, en : str
        Chinese and English labels (``"直推奖"``, ``"Direct reward"``).
    amount : Decimal or int
        Yuan; rounded to the fen by `to_fen`. A deduction is subtracted, so a positive
        amount lowers what follows.
    note, note_zh : str
        Optional remark shown beside the step (why a reward is zero, how it splits), in
        English and Chinese; the English one stands in for a missing Chinese one.
    """

    key: str
    zh: str
    en: str
    amount: Decimal | int
    note: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class Subtotal:
    """A subtotal given to `Waterfall.build`; its amount is computed, never typed in."""

    key: str
    zh: str
    en: str
    note: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class Step:
    """One row of a waterfall.

    Attributes
    ----------
    key, label_zh, label_en : str
        Identifier and labels.
    kind : StepKind
        start, deduction, subtotal or end.
    amount : Decimal
        Yuan, to the fen. Deductions are stored positive (what they take away) and are
        negative in every table form: `Waterfall.to_records`, CSV, JSON, `to_pandas`.
    share : Decimal or None
        ``amount / start`` to six decimal places; None when the start is zero.
    note, note_zh : str
        Remark in English and Chinese, possibly empty.
    """

    key: str
    label_zh: str
    label_en: str
    kind: StepKind
    amount: Decimal
    share: Decimal | None
    note: str = ""
    note_zh: str = ""

    def label(self, lang: Literal["zh", "en"] = "en") -> str:
        """The label in ``lang``; the Chinese stays beside the English in ``"en"``."""
        if lang == "zh":
            return self.label_zh
        return f"{self.label_en} ({self.label_zh})" if self.label_zh else self.label_en

    def remark(self, lang: Literal["zh", "en"] = "en") -> str:
        """The note in ``lang`` (the English note where no Chinese one was given)."""
        return (self.note_zh or self.note) if lang == "zh" else self.note


_HEAD = {
    "zh": ("项目", "金额（元）", "占比", "说明"),
    "en": ("Item", "Amount (yuan)", "Share", "Note"),
}
Format = Literal["table", "markdown", "json", "csv"]


class Waterfall:
    """An ordered breakdown from a start amount to an end amount, exact to the fen.

    Build one with `Waterfall.build`; the constructor is not public API.

    Attributes
    ----------
    title : str
        What the waterfall shows (e.g. ``"liandong_699 order"``).
    steps : tuple of Step
        Start, deductions and subtotals in order; the last step is the end.

    Notes
    -----
    In `to_records`, CSV, JSON and `to_pandas` a deduction's amount (and share) is negative,
    as every table shows it: the rows of kind ``start`` and ``deduction`` sum to `end`, to
    the fen, and subtotals (kind ``subtotal``) and the end (kind ``end``) are left out of
    that sum by their kind. `Step.amount` and `to_dict` keep deductions positive.

    Examples
    --------
    What is left of a 100-yuan order after a 30-yuan commission and 12.5 of goods?

    >>> wf = Waterfall.build(
    ...     Line("price", "售价", "Price", 100),
    ...     [Line("commission", "佣金", "Commission", 30),
    ...      Line("goods", "商品成本", "Goods", Decimal("12.5"))],
    ...     Subtotal("margin", "毛利", "Margin"),
    ... )
    >>> wf.end
    Decimal('57.50')
    >>> [r["amount"] for r in wf.to_records()]
    [Decimal('100.00'), Decimal('-30.00'), Decimal('-12.50'), Decimal('57.50')]
    """

    __slots__ = ("_by_key", "steps", "title")

    def __init__(self, title: str, steps: Sequence[Step]) -> None:
        self.title = title
        self.steps: tuple[Step, ...] = tuple(steps)
        self._by_key = {step.key: step for step in self.steps}

    @classmethod
    def build(
        cls,
        start: Line,
        items: Sequence[Line | Subtotal],
        end: Subtotal,
        *,
        title: str = "",
    ) -> Waterfall:
        """Round the start and every deduction to the fen and compute the subtotals.

        Parameters
        ----------
        start : Line
            The amount the waterfall starts from (GMV, an order's price).
        items : sequence of Line or Subtotal
            Deductions (`Line`) and intermediate subtotals (`Subtotal`), in order.
        end : Subtotal
            The final subtotal.
        title : str
            Caption used by `to_table`.

        Raises
        ------
        TypeError
            An amount that is a float (binary fractions have no place in money).
        ValueError
            A non-finite amount, or a key used twice.
        """
        begin = to_fen(start.amount)
        money = MONEY_CONTEXT.copy()

        def share(amount: Decimal) -> Decimal | None:
            return None if begin == 0 else _quantize(money.divide(amount, begin), _SHARE)

        steps = [
            Step(
                start.key,
                start.zh,
                start.en,
                StepKind.START,
                begin,
                share(begin),
                start.note,
                start.note_zh,
            )
        ]
        running = begin
        for item in items:
            if isinstance(item, Subtotal):
                steps.append(
                    Step(
                        item.key,
                        item.zh,
                        item.en,
                        StepKind.SUBTOTAL,
                        running,
                        share(running),
                        item.note,
                        item.note_zh,
                    )
                )
            else:
                try:
                    amount = to_fen(item.amount)
                except (TypeError, ValueError) as exc:
                    raise type(exc)(f"waterfall step {item.key!r}: {exc}") from None
                # fen amounts subtract exactly given the digits: as many as the larger needs
                exact = MONEY_CONTEXT.copy()
                exact.prec = max(exact.prec, running.adjusted() + 4, amount.adjusted() + 4)
                running = exact.subtract(running, amount)
                steps.append(
                    Step(
                        item.key,
                        item.zh,
                        item.en,
                        StepKind.DEDUCTION,
                        amount,
                        share(amount),
                        item.note,
                        item.note_zh,
                    )
                )
        steps.append(
            Step(
                end.key,
                end.zh,
                end.en,
                StepKind.END,
                running,
                share(running),
                end.note,
                end.note_zh,
            )
        )
        keys = [step.key for step in steps]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"waterfall keys must be unique; repeated: {duplicates}")
        return cls(title, steps)

    # -- reading ---------------------------------------------------------------------------

    @property
    def start(self) -> Decimal:
        """The start amount, yuan."""
        return self.steps[0].amount

    @property
    def end(self) -> Decimal:
        """The end amount, yuan: start − deductions, exactly."""
        return self.steps[-1].amount

    @property
    def deductions(self) -> tuple[Step, ...]:
        """The deduction steps, in order."""
        return tuple(s for s in self.steps if s.kind is StepKind.DEDUCTION)

    def __getitem__(self, key: str) -> Step:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a step; steps: {', '.join(self._by_key)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Waterfall):
            return NotImplemented
        return self.steps == other.steps

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Waterfall {self.title!r}: {self.start} → {self.end}, {len(self)} steps>"

    def __str__(self) -> str:
        return self.to_table()

    # -- output ----------------------------------------------------------------------------

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per step: key, kind, labels, amount (`Decimal`), share, notes.

        A deduction's amount and share are negative (see the class's Notes): the amounts of
        the start and the deductions add up to the end.
        """
        return [
            {
                "key": s.key,
                "kind": s.kind.value,
                "label_zh": s.label_zh,
                "label_en": s.label_en,
                "amount": _signed_amount(s),
                "share": None if s.share is None else _signed_share(s),
                "note": s.note,
                "note_zh": s.note_zh,
            }
            for s in self.steps
        ]

    def to_pandas(self, money: Money = "yuan") -> Any:
        """The steps as a pandas DataFrame, one row per step, in order.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of ``amount``: float64 yuan (the default), int64 fen (the column is then
            ``amount_fen``), or exact Decimal yuan (object dtype).

        Returns
        -------
        pandas.DataFrame
            Columns ``key``, ``kind`` (categorical: start, deduction, subtotal, end),
            ``label_zh``, ``label_en``, ``amount`` (deductions negative: the rows of kind
            start and deduction sum to the end), ``share`` (the amount over the start,
            float64; missing when the start is zero), ``note``, ``note_zh``.

        Raises
        ------
        ImportError
            pandas is not installed (``pip install 'bizmodels[pandas]'``).

        Examples
        --------
        >>> df = Waterfall.build(Line("price", "售价", "Price", 100),
        ...     [Line("fee", "佣金", "Fee", 30)], Subtotal("margin", "毛利", "Margin")
        ... ).to_pandas()
        >>> df["amount"].tolist()
        [100.0, -30.0, 70.0]
        >>> float(df.loc[df["kind"].isin(["start", "deduction"]), "amount"].sum())
        70.0
        """
        money = _frames.check_money(money)
        records = self.to_records()
        return _frames.frame(
            {
                "key": [r["key"] for r in records],
                "kind": _frames.categorical(
                    [r["kind"] for r in records], [k.value for k in StepKind], ordered=False
                ),
                "label_zh": [r["label_zh"] for r in records],
                "label_en": [r["label_en"] for r in records],
                _frames.money_name("amount", money): _frames.yuan_column(
                    [r["amount"] for r in records], money
                ),
                "share": _frames.yuan_column([r["share"] for r in records], "yuan"),
                "note": [r["note"] for r in records],
                "note_zh": [r["note_zh"] for r in records],
            }
        )

    def _display(self, lang: Literal["zh", "en"]) -> tuple[list[str], list[list[str]]]:
        # the headers and rows every display shows (terminal table and HTML alike)
        if lang not in _HEAD:
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        item, amount, share, note = _HEAD[lang]
        with_notes = any(s.note for s in self.steps)
        rows = []
        for s in self.steps:
            row = [s.label(lang), _signed(s), _percent(s.share)]
            if with_notes:
                row.append(s.remark(lang))
            rows.append(row)
        return [item, amount, share] + ([note] if with_notes else []), rows

    def to_html(self, lang: Literal["zh", "en"] = "en", max_rows: int = _html.MAX_ROWS) -> str:
        """An HTML table that reads like `to_table`: subtotals and the end bold.

        Parameters
        ----------
        lang : {"en", "zh"}
            Language of the labels and headers.
        max_rows : int
            The most steps shown before "… N more rows".
        """
        headers, rows = self._display(lang)
        return _html.table(
            headers,
            rows,
            numeric={1, 2},
            subtotals={
                i for i, s in enumerate(self.steps) if s.kind in (StepKind.SUBTOTAL, StepKind.END)
            },
            caption=self.title or None,
            lang=lang,
            max_rows=max_rows,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self) -> dict[str, Decimal]:
        """Step key → amount (`Decimal` yuan), in order."""
        return {s.key: s.amount for s in self.steps}

    def to_table(self, fmt: str = "simple", lang: Literal["zh", "en"] = "en") -> str:
        """Render through tabulate.

        Parameters
        ----------
        fmt : str
            Any tabulate format (``"simple"``, ``"github"``, ``"pipe"``, ``"grid"``, …).
        lang : {"en", "zh"}
            Language of the labels and headers.

        Notes
        -----
        Deductions are shown with a minus sign, shares as percentages of the start.
        """
        headers, rows = self._display(lang)
        return tabulate(
            rows,
            headers=headers,
            tablefmt=fmt,
            colalign=("left", "right", "right", "left")[: len(headers)],
            disable_numparse=True,
        )

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook whose subtotals and end are live formulas (`bizmodels.excel`)."""
        from bizmodels.excel import write_waterfall

        return write_waterfall(self, path)

    def render(self, fmt: Format = "table", lang: Literal["zh", "en"] = "en") -> str:
        """Render as a terminal table, a markdown table, JSON or CSV (what the CLI prints).

        JSON and CSV carry every field of `to_records`; JSON writes amounts as numbers.
        """
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: {"title": self.title, "steps": rows},
        )

    def plot(self, lang: Literal["zh", "en"] = "en", ax: Any = None) -> Any:
        """A bridge chart (needs the ``plot`` extra): see `bizmodels.plotting.waterfall_chart`.

        Returns a new matplotlib ``Figure`` (it shows inline in Jupyter) or, given ``ax``,
        draws there; pyplot and the backend are never touched.
        """
        from bizmodels.plotting import waterfall_chart

        return waterfall_chart(self, lang=lang, ax=ax)


def _signed_amount(step: Step) -> Decimal:
    amount = -step.amount if step.kind is StepKind.DEDUCTION else step.amount
    return amount if amount != 0 else abs(amount)  # no -0.00


def _signed_share(step: Step) -> Decimal:
    assert step.share is not None
    share = -step.share if step.kind is StepKind.DEDUCTION else step.share
    return share if share != 0 else abs(share)


def _signed(step: Step) -> str:
    amount = -step.amount if step.kind is StepKind.DEDUCTION else step.amount
    return money(amount if amount != 0 else abs(amount))  # no "−0.00"


def _percent(share: Decimal | None) -> str:
    return "" if share is None else percent(share, places=2)


__all__ = ["FEN", "Line", "Step", "StepKind", "Subtotal", "Waterfall", "to_fen"]
