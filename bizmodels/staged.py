"""A staged plan: one model first, another from a chosen month (to C first, then to B).

Seed 000 (000_446469964f142a4d.txt) advises a brand with no dealer network of its own:
"如果需要从零开始招商,建议先启动to c; 验证产品与市场匹配,成交路径、项目本身可行性后再启动to b
招商市场" — start to C, validate product-market fit, the path to purchase and the project,
then launch to-B recruitment. `StagedPlan` is that plan: the first model's customers are
won before the switch month and keep buying over their lives; the second model starts at
the switch month, its customers, overheads and lags all counted from there. Its waterfall
is the two lifetime waterfalls added line by line; its cash flows are the two schedules,
the second shifted by the switch month, so they too add up to the waterfall, to the fen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bizmodels.cashflow import MAX_SPAN, CashFlows, CashLine, MemoLine
from bizmodels.engine import PnLLine
from bizmodels.models._base import BusinessModel
from bizmodels.models._derive import waterfall_of
from bizmodels.waterfall import Waterfall

__all__ = ["StagedPlan"]

_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StagedPlan:
    """One model, then another from ``switch_month`` (seed 000: 先启动to c … 再启动to b).

    Attributes
    ----------
    first, then : BusinessModel
        The model run from month 0 (to C) and the one launched at the switch (to B).
    switch_month : int
        The month the second model starts, 1 to 1,200.

    Raises
    ------
    ValueError
        A model that is not a `BusinessModel`, or a switch month that is not a whole number
        from 1 to 1,200, naming the value.

    Examples
    --------
    Six months of direct sales with a membership, then dealer recruitment:

    >>> import bizmodels as bm
    >>> plan = bm.StagedPlan(bm.get_model("toc_membership"), bm.get_model("tob_recruitment"), 6)
    >>> flows = plan.cash_flows(first_acquisition=[1] * 6)
    >>> flows.totals() == {k: v for k, v in plan.waterfall().to_dict().items()
    ...                    if k in flows.totals()}
    True
    """

    first: BusinessModel
    then: BusinessModel
    switch_month: int

    def __post_init__(self) -> None:
        for name in ("first", "then"):
            value = getattr(self, name)
            if not isinstance(value, BusinessModel):
                raise ValueError(
                    f"StagedPlan: {name} must be a business model (bizmodels.get_model), got "
                    f"{type(value).__name__}"
                )
        k = self.switch_month
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_SPAN:
            raise ValueError(
                f"StagedPlan: switch_month must be a whole number of months from 1 to "
                f"{MAX_SPAN:,}, got {k!r}"
            )

    @property
    def title(self) -> str:
        """``"toc_membership, then tob_recruitment from month 6"``."""
        return f"{self.first.key}, then {self.then.key} from month {self.switch_month}"

    def pnl_lines(self) -> list[PnLLine]:
        """The two models' P&L lines, each rounded to the fen, added line by line.

        A line only one model has keeps its place among the lines of its section; a line
        both have (GMV, cost of goods, acquisition, every subtotal) is their sum.
        """
        return _merged(_rounded(self.first), _rounded(self.then))

    def waterfall(self) -> Waterfall:
        """The staged plan's lifetime P&L: both models' waterfalls added line by line."""
        return waterfall_of(self.pnl_lines(), f"{self.title}: lifetime P&L")

    def cash_flows(
        self,
        *,
        first_acquisition: Sequence[Any] = (1,),
        then_acquisition: Sequence[Any] = (1,),
        **schedule: Any,
    ) -> CashFlows:
        """Monthly cash flows: the first model's from month 0, the second's from the switch.

        Parameters
        ----------
        first_acquisition : sequence of numbers
            When the first model's customers are won, as weights per month from month 0; at
            most ``switch_month`` months (they are all won before the switch).
        then_acquisition : sequence of numbers
            When the second model's customers are won, per month from the switch month.
        **schedule
            The other arguments of `bizmodels.BusinessModel.cash_flows` (lags, set-up,
            indices), for both models alike; ``months`` is not taken (each model's horizon
            holds all its months, so the lines add up to `waterfall`).

        Raises
        ------
        ValueError
            A first acquisition longer than the switch month, ``months`` given, or any
            argument `bizmodels.BusinessModel.cash_flows` refuses.
        """
        if len(first_acquisition) > self.switch_month:
            raise ValueError(
                f"StagedPlan: first_acquisition has {len(first_acquisition)} months; the "
                f"first model's customers are won before the switch at month "
                f"{self.switch_month}, so at most {self.switch_month}"
            )
        if "months" in schedule:
            raise ValueError(
                "StagedPlan: months is not taken: each model's cash flows run over their "
                "own horizon, so that the lines add up to the staged waterfall"
            )
        first = self.first.cash_flows(acquisition=first_acquisition, **schedule)
        then = self.then.cash_flows(acquisition=then_acquisition, **schedule)
        return _combined(self.title, first, then, self.switch_month)


def _merged(first: Sequence[PnLLine], then: Sequence[PnLLine]) -> list[PnLLine]:
    # both lists follow the engine's order. A line only the second model has goes just
    # before the next line the two share (so a commission stays among the channel lines);
    # a line both have is their sum
    theirs = {line.key: line for line in then}
    mine = {line.key for line in first}
    before: dict[str, list[PnLLine]] = {}
    pending: list[PnLLine] = []
    for line in then:
        if line.key in mine:
            before[line.key], pending = pending, []
        else:
            pending.append(line)
    out: list[PnLLine] = []
    for line in first:
        out.extend(before.get(line.key, []))
        other = theirs.get(line.key)
        out.append(line if other is None else line._replace(value=line.value + other.value))
    return out


def _rounded(model: BusinessModel) -> list[PnLLine]:
    # each model's lines as its waterfall rounds them: the staged lines are then sums of
    # whole fen, as its cash flows are, and the two agree to the fen
    amounts = model.waterfall().to_dict()
    return [line._replace(value=amounts[line.key]) for line in model.pnl_lines()]


def _combined(title: str, first: CashFlows, then: CashFlows, shift: int) -> CashFlows:
    months = max(first.months, then.months + shift)

    def padded(amounts: Sequence[Decimal], offset: int) -> list[Decimal]:
        cells = [_ZERO] * months
        for m, value in enumerate(amounts):
            cells[m + offset] += value
        return cells

    lines: dict[str, tuple[CashLine, list[Decimal]]] = {}
    for flows, offset in ((first, 0), (then, shift)):
        for line in flows.lines:
            cells = padded(line.amounts, offset)
            if line.key in lines:
                kept, so_far = lines[line.key]
                lines[line.key] = (kept, [a + b for a, b in zip(so_far, cells, strict=True)])
            else:
                lines[line.key] = (line, cells)
    memo: dict[str, tuple[MemoLine, list[Decimal]]] = {}
    for flows, offset in ((first, 0), (then, shift)):
        for item in flows.memo:
            # a memo figure is a level at each month's end (stock held): it stays at its
            # last level once its model's schedule has ended
            cells = padded(item.amounts, offset)
            end = offset + len(item.amounts)
            if item.amounts:
                cells[end:] = [item.amounts[-1]] * (months - end)
            if item.key in memo:
                kept_memo, so_far = memo[item.key]
                memo[item.key] = (kept_memo, [a + b for a, b in zip(so_far, cells, strict=True)])
            else:
                memo[item.key] = (item, cells)
    return CashFlows(
        title,
        tuple(
            CashLine(line.key, line.zh, line.en, line.sign, tuple(cells))
            for line, cells in lines.values()
        ),
        months,
        tuple(MemoLine(m.key, m.zh, m.en, tuple(cells)) for m, cells in memo.values()),
    )
