"""The 链动2+1 plan (seed 001), as the project's spec `specs/liandong-2plus1.md` reads it.

The plan is data: every number is a field. Amounts are yuan in the API and integer fen
inside (`LiandongPlan.fen`), so the per-order breakdown here and the network simulation
compute with the same integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import IntEnum
from functools import cached_property
from typing import ClassVar, Literal, TypedDict

import numpy as np
import numpy.typing as npt
from pydantic import field_validator, model_validator
from typing_extensions import Unpack

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._format import fen_text, yuan
from bizmodels._types import param
from bizmodels.plans.base import EventView, Plan, Tally, Upgrades
from bizmodels.plans.events import EventStream
from bizmodels.plans.limits import PlanCount, PlanRate, PlanYuan
from bizmodels.tax import payment_fee, vat_in_price
from bizmodels.waterfall import Line, Subtotal, Waterfall, to_fen

__all__ = [
    "REGIONAL",
    "LiandongPlan",
    "OrderCase",
    "OrderPayouts",
    "PlanFen",
    "Rank",
    "YuanTriple",
    "liandong_699",
]


class Rank(IntEnum):
    """A member's rank in the 链动2+1 plan; ranks never go down."""

    MEMBER = 0
    """会员体验官: joined by buying the package."""
    AGENT = 1
    """代理 / 批发商 / 合伙人: a member with ``agent_recruits`` recruits."""
    V1 = 2
    """区域经销商: regional dealer."""
    V2 = 3
    """市级经销商: city dealer."""
    V3 = 4
    """省级经销商: provincial dealer."""

    @property
    def label_zh(self) -> str:
        """Chinese name of the rank."""
        return ("会员体验官", "代理", "区域经销商", "市级经销商", "省级经销商")[self]

    @property
    def label_en(self) -> str:
        """English name of the rank."""
        return ("member", "agent", "regional dealer", "city dealer", "provincial dealer")[self]

    @classmethod
    def parse(cls, value: Rank | str | int) -> Rank:
        """Read a rank from a `Rank`, its name in any case (``"agent"``, ``"V1"``) or number."""
        if isinstance(value, Rank):
            return value
        if isinstance(value, str):
            try:
                return cls[value.strip().upper()]
            except KeyError:
                pass
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
            return cls(value)
        valid = ", ".join(r.name for r in cls)
        raise ValueError(f"unknown rank {value!r}; valid: {valid}")


REGIONAL = (Rank.V1, Rank.V2, Rank.V3)


class OrderCase(TypedDict, total=False):
    """The case of one order, as `LiandongPlan.order_payouts` takes it (every key optional)."""

    sponsor: Rank | str | None
    slid: bool
    regional_upline: Sequence[Rank | str]
    peer_on_direct: bool
    peer_on_see_point: bool


_SEED = "seed 001 (001_07a435858c0348ea.txt)"
_SPEC = "spec liandong-2plus1.md"

YuanTriple = tuple[PlanYuan, PlanYuan, PlanYuan]


def _fen(yuan: Decimal) -> int:
    return int(yuan * 100)


@dataclass(frozen=True)
class PlanFen:
    """The plan's amounts in integer fen, and its rates as exact integer ratios.

    ``floor(rate × amount)`` is ``amount * num // den``, exact for any integer amount. A
    rate has at most 10 decimal places, so ``num ≤ den ≤ 10^10``, and an amount is at most
    ``10^8`` fen: the product fits int64 in the engine (`bizmodels.plans.limits`).
    """

    package_price: int
    direct_member: int
    direct_agent: int
    see_point: int
    differential: tuple[int, int, int]
    pool_contribution: tuple[int, int, int]
    upgrade_price: tuple[int, int, int]
    peer_rate: tuple[int, int]
    freeze_rate: tuple[int, int]

    def direct(self, sponsor_rank: Rank) -> int:
        """Direct reward for a sponsor of this rank (AGENT and above get the agent amount)."""
        return self.direct_member if sponsor_rank < Rank.AGENT else self.direct_agent

    def entitlement(self, rank: Rank) -> int:
        """Cumulative differential entitlement of a rank; 0 below V1."""
        return self.differential[rank - Rank.V1] if rank >= Rank.V1 else 0

    def peer(self, amount: int) -> int:
        """Peer reward on an amount: ``floor(peer_rate × amount)``."""
        num, den = self.peer_rate
        return amount * num // den

    def frozen(self, amount: int) -> int:
        """Part of a direct or peer reward frozen in the help fund (帮扶基金).

        ``floor(freeze_rate × amount)``.
        """
        num, den = self.freeze_rate
        return amount * num // den


class LiandongPlan(Plan):
    """A 链动2+1 commission plan: its parameters and its per-order breakdown.

    Every field is a parameter of the spec (``specs/liandong-2plus1.md``); the defaults are
    the seed-001 preset `liandong_699`.

    Limits
    ------
    Every value accepted is simulated exactly; others are refused when the plan is built,
    naming the field (the derivation is in `bizmodels.plans.limits`):

    - amounts (``package_price``, the rewards, ``differential``, ``pool_contribution``,
      ``upgrade_price``): 0 to 1,000,000 yuan in whole fen, so that every total of a
      run, over the most events and members a stream can hold, stays below 8.6 × 10^17
      fen, a tenth of the int64 range;
    - rates (``peer_rate``, ``freeze_rate``): 0 to 1 with at most 10 decimal places, so
      that ``floor(rate × amount)`` is exact in int64 (``amount × 10^10 ≤ 10^18``); write
      1/3 as ``0.3333333333``;
    - counts (``slide_positions``, ``agent_recruits``, ``legs_required``,
      ``unlock_orders``): at most 2,147,483,646 (``2^31 − 2``; a threshold above the
      members or events of a run is simply never reached).

    Examples
    --------
    Where do the 699 yuan of one package go? The rewards, then the VAT and the payment fee:

    >>> plan = LiandongPlan()
    >>> [str(s.amount) for s in plan.order_waterfall().deductions]
    ['200.00', '100.00', '50.00', '30.00', '30.00', '80.42', '4.19']
    >>> plan.order_waterfall()["platform_kept"].amount, plan.order_waterfall().end
    (Decimal('289.00'), Decimal('204.39'))
    """

    key: ClassVar[str] = "liandong_699"
    name_en: ClassVar[str] = "链动2+1 plan"
    name_zh: ClassVar[str] = "链动2+1 699会员礼包"
    kinds: ClassVar[tuple[str, ...]] = ("direct", "see_point", "differential", "peer", "pool")
    ranked: ClassVar[bool] = True
    order_options: ClassVar[tuple[str, ...]] = (*OrderCase.__annotations__, "goods_cost")

    package_price: PlanYuan = param(Decimal(699), "Package price (礼包价), yuan per order.", _SEED)
    direct_member: PlanYuan = param(
        Decimal(200), "Direct reward (直推奖) to a MEMBER sponsor, yuan per order.", _SEED
    )
    direct_agent: PlanYuan = param(
        Decimal(300), "Direct reward (直推奖) to an AGENT-or-above sponsor, yuan per order.", _SEED
    )
    see_point: PlanYuan = param(
        Decimal(100), "See-point reward (见点奖) to a slid buyer's placement parent, yuan.", _SEED
    )
    differential: YuanTriple = param(
        (Decimal(20), Decimal(30), Decimal(50)),
        "Cumulative differential entitlements (极差) of V1, V2, V3, yuan per order.",
        _SEED,
    )
    peer_rate: PlanRate = param(
        Decimal("0.10"), "Peer reward (平级奖), share of a direct or see-point reward.", _SEED
    )
    pool_contribution: YuanTriple = param(
        (Decimal(10), Decimal(10), Decimal(10)),
        "Paid into the V1, V2 and V3 dividend pools (分红池) per order, yuan.",
        _SEED,
    )
    pool_share: Literal["exact", "at_least"] = param(
        "exact", "Who splits pool Vk each day: rank exactly Vk, or Vk and above.", _SPEC
    )
    slide_positions: PlanCount = param(
        2, "Sponsor positions that slide (滑落) to the upline: the '2' of 2+1.", _SEED, ge=0
    )
    agent_recruits: PlanCount = param(2, "Recruits that make a MEMBER an AGENT.", _SEED, ge=1)
    legs_required: PlanCount = param(
        3,
        "Placement children (legs) needed for V1, and qualifying legs for V2, V3.",
        _SEED,
        ge=1,
    )
    upgrade_price: YuanTriple = param(
        (Decimal(999), Decimal(1980), Decimal(5000)),
        "Identity packages (身份礼包) bought on reaching V1, V2, V3, yuan.",
        _SEED,
    )
    upgrade_pays_rewards: Literal[False] = param(
        False,
        "Whether identity packages pay rewards: never, the one reading the spec defines.",
        _SPEC,
    )
    freeze_rate: PlanRate = param(
        Decimal("0.20"),
        "Share of direct and peer rewards frozen in the help fund (帮扶基金) until qualified.",
        _SEED,
    )
    unlock_orders: PlanCount = param(
        10,
        "Orders under positions 1 and 2 (themselves excluded) that qualify a member.",
        _SEED,
        ge=0,
    )

    @field_validator("differential")
    @classmethod
    def _cumulative(cls, value: tuple[Decimal, Decimal, Decimal]) -> tuple[Decimal, ...]:
        if not value[0] <= value[1] <= value[2]:
            raise ValueError(
                f"differential entitlements are cumulative, so V1 ≤ V2 ≤ V3; got {_yuan(value)}"
            )
        return value

    @model_validator(mode="after")
    def _order_within_price(self) -> LiandongPlan:
        worst = self.max_order_payout()
        if worst > self.package_price:
            raise ValueError(
                f"package_price {self.package_price} is less than what one order can pay out: "
                f"{worst} (direct {max(self.direct_member, self.direct_agent)} + see_point "
                f"{self.see_point} + differential {self.differential[2]} + peer "
                f"{self._peer_max()} + pools {sum(self.pool_contribution)})"
            )
        return self

    # -- integers ------------------------------------------------------------------------

    @cached_property
    def fen(self) -> PlanFen:
        """The plan's amounts in integer fen (1 yuan = 100 fen) and its rates as ratios."""
        return PlanFen(
            package_price=_fen(self.package_price),
            direct_member=_fen(self.direct_member),
            direct_agent=_fen(self.direct_agent),
            see_point=_fen(self.see_point),
            differential=(
                _fen(self.differential[0]),
                _fen(self.differential[1]),
                _fen(self.differential[2]),
            ),
            pool_contribution=(
                _fen(self.pool_contribution[0]),
                _fen(self.pool_contribution[1]),
                _fen(self.pool_contribution[2]),
            ),
            upgrade_price=(
                _fen(self.upgrade_price[0]),
                _fen(self.upgrade_price[1]),
                _fen(self.upgrade_price[2]),
            ),
            peer_rate=self.peer_rate.as_integer_ratio(),
            freeze_rate=self.freeze_rate.as_integer_ratio(),
        )

    @property
    def price_fen(self) -> int:
        """The package price, integer fen."""
        return self.fen.package_price

    @property
    def short_name(self) -> str:
        """``"liandong 699"``: the kind and the package price."""
        return f"liandong {self._price_text()}"

    def order_pools(self) -> tuple[int, int, int]:
        """Fen one order pays into the V1, V2, V3 dividend pools (``pool_contribution``)."""
        return self.fen.pool_contribution

    def identity_package(self, rank: int) -> int:
        """Fen of the identity package (身份礼包) bought on reaching ``rank`` (V1 to V3)."""
        return self.fen.upgrade_price[rank - Rank.V1] if rank >= Rank.V1 else 0

    def _peer_max(self) -> Decimal:
        f = self.fen
        return Decimal(f.peer(max(f.direct_member, f.direct_agent)) + f.peer(f.see_point)) / 100

    def max_order_payout(self) -> Decimal:
        """The most one order can pay out, yuan: every reward at its largest, all recipients there.

        A repurchase by a slid member whose sponsor has since become an AGENT reaches it:
        for the preset 300 + 100 + 50 + (30 + 10) + 30 = 520.
        """
        return (
            max(self.direct_member, self.direct_agent)
            + self.see_point
            + self.differential[2]
            + self._peer_max()
            + sum(self.pool_contribution, Decimal(0))
        )

    # -- one order -----------------------------------------------------------------------

    def order_payouts(
        self,
        *,
        sponsor: Rank | str | None = Rank.MEMBER,
        slid: bool = True,
        regional_upline: Sequence[Rank | str] = REGIONAL,
        peer_on_direct: bool = True,
        peer_on_see_point: bool = True,
    ) -> OrderPayouts:
        """The rewards one order pays, in integer fen, under the spec's rules.

        Parameters
        ----------
        sponsor : Rank, str or None
            Rank of the buyer's sponsor when the order starts; None for a root buyer (no
            direct reward).
        slid : bool
            Whether the buyer was slid (滑落) to its sponsor's upline: only then is the
            see-point reward (见点奖) due.
        regional_upline : sequence of Rank or str
            Ranks of the regional dealers (V1 and above) among the buyer's placement
            ancestors, nearest first. The differential (极差) walks them; what no one is
            entitled to stays with the platform.
        peer_on_direct, peer_on_see_point : bool
            Whether the earner of the direct (or see-point) reward has an ancestor of the same
            rank or higher to take the peer reward (平级奖).

        Returns
        -------
        OrderPayouts
            Each reward paid and each kept by the platform, with the reason.
        """
        f = self.fen
        sponsor_rank = None if sponsor is None else Rank.parse(sponsor)
        upline = [Rank.parse(r) for r in regional_upline]
        direct = 0 if sponsor_rank is None else f.direct(sponsor_rank)
        see_point = f.see_point if slid else 0
        paid, split = 0, []
        for rank in upline:
            entitlement = f.entitlement(rank)
            if entitlement > paid:
                split.append((rank, entitlement - paid))
                paid = entitlement
        return OrderPayouts(
            price=f.package_price,
            direct=direct,
            sponsor=sponsor_rank,
            see_point=see_point,
            slid=slid,
            differential=tuple(split),
            differential_kept=f.differential[2] - paid,
            peer_direct=f.peer(direct) if peer_on_direct else 0,
            peer_direct_kept=0 if peer_on_direct else f.peer(direct),
            peer_see_point=f.peer(see_point) if peer_on_see_point else 0,
            peer_see_point_kept=0 if peer_on_see_point else f.peer(see_point),
            pools=f.pool_contribution,
        )

    def order_waterfall(
        self, *, goods_cost: Decimal | int | str | None = None, **case: Unpack[OrderCase]
    ) -> Waterfall:
        """Where one package's price goes: each reward, what the platform keeps, then tax.

        The default is the seed's case (seed 001: 699-100-200-50-30-30=289): a slid buyer
        whose sponsor is a MEMBER, with every recipient present. After what the platform
        keeps (and the goods, when their cost is given) come the VAT included in the price
        and the payment channel's fee, from `plan.tax` (docs/concepts/tax.md).

        Parameters
        ----------
        **case
            The case of the order: ``sponsor``, ``slid``, ``regional_upline``,
            ``peer_on_direct``, ``peer_on_see_point``, as `order_payouts` takes them.
        goods_cost : Decimal, int, str or None
            Cost of the goods in the package, yuan. When given, it is deducted from what
            the platform keeps, giving its gross profit after goods, before the tax lines.

        Returns
        -------
        Waterfall
            Package price − direct − see-point − differential − peer − pools = kept by the
            platform (then − goods = gross profit) − VAT − payment fee = what is left. A
            reward with no recipient shows as a zero step whose note says the amount stays
            with the platform.

        Notes
        -----
        The package is sold as goods (货物): a general taxpayer's goods rate, or a
        small-scale taxpayer's levy rate, on the whole price (`Tax.vat_rate`). Rewards are
        paid to individuals, who issue no VAT invoice, so they reduce no VAT. Input VAT on
        the goods is credited only at ``tax.input_vat_rate`` (0 by default: no special VAT
        invoice assumed) and only by a general taxpayer.

        Examples
        --------
        The platform's take when the sponsor is already an agent and the buyer, a third
        recruit, is not slid: 289.00 kept, less 80.42 VAT and 4.19 payment fee:

        >>> LiandongPlan().order_waterfall(sponsor="agent", slid=False).end
        Decimal('204.39')
        """
        p = self.order_payouts(**case)
        pools = " + ".join(f"V{i + 1} {fen_text(x)}" for i, x in enumerate(p.pools))
        lines: list[Line | Subtotal] = [
            Line("direct", "直推奖", "Direct reward", yuan(p.direct), *p.direct_note()),
            Line("see_point", "见点奖", "See-point reward", yuan(p.see_point), *p.see_point_note()),
            Line(
                "differential",
                "极差",
                "Differential",
                yuan(p.differential_paid),
                *p.differential_note(),
            ),
            Line(
                "peer",
                "平级奖",
                "Peer reward",
                yuan(p.peer_direct + p.peer_see_point),
                *p.peer_note(),
            ),
            Line("pools", "分红池", "Dividend pools", yuan(sum(p.pools)), pools, pools),
        ]
        unclaimed = fen_text(p.kept_unclaimed)
        lines.append(
            Subtotal(
                "platform_kept",
                "平台留存",
                "Kept by the platform",
                f"includes {unclaimed} unclaimed" if p.kept_unclaimed else "",
                f"含无人领取 {unclaimed}" if p.kept_unclaimed else "",
            )
        )
        cost = None if goods_cost is None else _goods_cost(goods_cost)
        if cost is not None:
            lines += [
                Line("goods_cost", "商品成本", "Cost of goods", cost),
                Subtotal("gross_profit", "扣除商品成本后的毛利", "Gross profit after goods"),
            ]
        lines += self._tax_lines(cost)
        end = (
            Subtotal("after_tax", "扣除增值税和手续费后剩余", "Left after VAT and fees")
            if cost is None
            else Subtotal(
                "after_tax", "扣除商品、增值税和手续费后剩余", "Left after goods, VAT and fees"
            )
        )
        return Waterfall.build(_start(self), lines, end, title="liandong order")

    def _tax_lines(self, goods_cost: Decimal | None) -> list[Line | Subtotal]:
        """The VAT included in the package price and the payment fee on it (`bizmodels.tax`).

        The VAT line is the output VAT on the price less the input VAT credited on the
        goods; both are rounded half up to the fen, so the line list reconciles exactly.
        """
        tax, price = self.tax, self.package_price
        rate = tax.vat_rate("goods")
        output = vat_in_price(price, rate)
        pct, price_text = share_text(rate), fen_text(self.price_fen)
        if tax.vat == "small_scale":
            how_en = f"{price_text} × {pct} / (1 + {pct}), small-scale levy rate"
            how_zh = f"{price_text} × {pct} / (1 + {pct})，小规模纳税人征收率"
        else:
            how_en = f"{price_text} × {pct} / (1 + {pct}), goods rate"
            how_zh = f"{price_text} × {pct} / (1 + {pct})，货物税率"
        credit = Decimal(0)
        if goods_cost is not None and tax.credits_input_vat and tax.input_vat_rate:
            in_pct = share_text(tax.input_vat_rate)
            credit = vat_in_price(goods_cost, tax.input_vat_rate)
            how_en += (
                f"; less input VAT {credit} on the goods "
                f"({to_fen(goods_cost)} × {in_pct} / (1 + {in_pct}))"
            )
            how_zh += (
                f"；减商品进项税额 {credit}（{to_fen(goods_cost)} × {in_pct} / (1 + {in_pct})）"
            )
        elif goods_cost is not None:
            if tax.credits_input_vat:
                how_en += "; no input VAT credited on the goods (no special VAT invoice assumed)"
                how_zh += "；商品进项税额未抵扣（假设无增值税专用发票）"
            else:
                how_en += "; no input VAT credit for a small-scale taxpayer"
                how_zh += "；小规模纳税人不抵扣进项税额"
        fee_rate = tax.payment_fee_rate
        return [
            Line("vat", "增值税", "VAT", output - credit, how_en, how_zh),
            Line(
                "payment_fee",
                "支付手续费",
                "Payment fee",
                payment_fee(price, fee_rate),
                f"{share_text(fee_rate)} of {price_text} paid",
                f"实付 {price_text} × {share_text(fee_rate)}",
            ),
        ]

    def compliance_profile(self) -> ComplianceProfile:
        """The plan's features for the legal indicators of `bizmodels.compliance`.

        The package is the entry fee; the direct reward is paid per recruit, and the
        agent rank is counted on recruits; the differential, peer reward and pools reach
        uplines at any placement depth; no one is paid on its own sales.

        Examples
        --------
        >>> p = liandong_699().compliance_profile()
        >>> p.entry_fee, p.recruit_reward, p.pay_levels
        (Decimal('699'), Decimal('200'), None)
        """
        price = self.package_price
        most = self.max_order_payout()
        payback = self.payback_recruits()
        back = (
            f"{payback} recruits earn the package back (payback_recruits)"
            if payback is not None
            else "no number of recruits earns the package back"
        )
        return ComplianceProfile(
            entry_fee=price,
            recruit_reward=self.direct_member,
            recruits_counted=self.agent_recruits,
            unlimited_levels=True,
            evidence={
                "entry_fee": (
                    f"a {yuan_text(price)} yuan package (礼包价, package_price) must be bought "
                    "to join, and only members earn rewards; reaching V1, V2, V3 also means "
                    "buying identity packages (身份礼包, upgrade_price = "
                    f"{_triple(self.upgrade_price)} yuan)"
                ),
                "recruit_reward": (
                    "a direct reward (直推奖, direct_member = "
                    f"{yuan_text(self.direct_member)} yuan; direct_agent = "
                    f"{yuan_text(self.direct_agent)} once the sponsor is an agent) is paid for "
                    "each recruit who buys the package, and a see-point reward (见点奖, "
                    f"see_point = {yuan_text(self.see_point)} yuan) for each recruit slid to "
                    f"an upline; recruiting agent_recruits = {self.agent_recruits} makes a "
                    f"member an AGENT, a rank counted on recruits; {back}"
                ),
                "team_pay": (
                    "rewards reach unlimited placement depth: the differential (极差, "
                    f"differential = {_triple(self.differential)} yuan) goes to the nearest "
                    "regional dealers among the buyer's placement ancestors at any depth, the "
                    f"peer reward (平级奖, peer_rate = {share_text(self.peer_rate)}) to the "
                    "nearest same-rank ancestor at any depth, the see-point to a slid buyer's "
                    f"placement parent, and pool_contribution = "
                    f"{_triple(self.pool_contribution)} yuan per order into pools split among "
                    "the V1-V3 dealers; every repurchase pays them again; freeze_rate = "
                    f"{share_text(self.freeze_rate)} of direct and peer rewards stays frozen "
                    f"until unlock_orders = {self.unlock_orders} orders are placed under "
                    "positions 1 and 2"
                ),
                "own_sales": (
                    "members are paid only on other members' packages, never on their own "
                    f"sales to consumers; one package pays out up to {yuan_text(most)} yuan "
                    f"({share_text(_share(most, price))} of its price, max_order_payout)"
                ),
            },
        )

    def payback_recruits(self, *, available_only: bool = False) -> int | None:
        """How many recruits a new member needs to earn back the package from direct rewards.

        Recruits 1 to ``agent_recruits`` pay the MEMBER direct reward; the member then
        becomes an AGENT and every later recruit pays the AGENT reward.

        Parameters
        ----------
        available_only : bool
            Count only what is available while the help fund (帮扶基金) freezes
            ``freeze_rate`` of each reward (the member is not yet qualified).

        Returns
        -------
        int or None
            The smallest number of recruits whose rewards reach the package price; None if
            no number of recruits ever does.

        Examples
        --------
        >>> plan = LiandongPlan()
        >>> plan.payback_recruits(), plan.payback_recruits(available_only=True)
        (3, 4)

        200 + 200 + 300 = 700 ≥ 699 (seed 001: 推荐3个人后就可以回本); with 20% frozen,
        160 + 160 + 240 + 240 = 800.
        """
        f = self.fen

        def reward(amount: int) -> int:
            return amount - f.frozen(amount) if available_only else amount

        first, later = reward(f.direct_member), reward(f.direct_agent)
        if f.package_price == 0:
            return 0
        early = first * self.agent_recruits
        if early >= f.package_price:
            return -(-f.package_price // first)
        if later == 0:
            return None
        return self.agent_recruits + -(-(f.package_price - early) // later)

    def order_notes(self, lang: str = "en") -> tuple[str, ...]:
        """How many recruits earn the package back, gross and while the help fund freezes.

        Examples
        --------
        >>> print(liandong_699().order_notes(lang="zh")[0])
        回本所需直推人数：3（帮扶基金冻结 20% 时按可提现计：4）
        """
        gross, net = self.payback_recruits(), self.payback_recruits(available_only=True)
        rate = f"{float(self.freeze_rate) * 100:g}%"
        if lang == "zh":
            never = "永不回本"
            zh = (
                f"回本所需直推人数：{gross if gross is not None else never}"
                f"（帮扶基金冻结 {rate} 时按可提现计：{net if net is not None else never}）"
            )
            return (zh, self._tax_note("zh"))
        en = (
            f"Recruits to earn back the package from direct rewards: "
            f"{gross if gross is not None else 'never'} "
            f"({net if net is not None else 'never'} counting only what is available while "
            f"the help fund freezes {rate})"
        )
        return (en, self._tax_note("en"))

    def _tax_note(self, lang: str) -> str:
        """What the tax lines of the order waterfall assume (`plan.tax`), in ``lang``."""
        tax = self.tax
        rate, fee = share_text(tax.vat_rate("goods")), share_text(tax.payment_fee_rate)
        if lang == "zh":
            who = (
                f"小规模纳税人，礼包按征收率 {rate}，不抵扣进项税额"
                if tax.vat == "small_scale"
                else f"一般纳税人，礼包按货物税率 {rate}；"
                + (
                    f"商品进项税额按 {share_text(tax.input_vat_rate)} 抵扣"
                    if tax.input_vat_rate
                    else "商品进项税额未抵扣（input_vat_rate 为 0：假设无增值税专用发票）"
                )
            )
            return f"增值税与手续费按 plan.tax：{who}；支付手续费 {fee}（假设：支付渠道标准费率）。"
        who = (
            f"a small-scale taxpayer, the levy rate {rate} on the package, no input VAT credit"
            if tax.vat == "small_scale"
            else f"a general taxpayer, the goods rate {rate} on the package; "
            + (
                f"input VAT on the goods credited at {share_text(tax.input_vat_rate)}"
                if tax.input_vat_rate
                else "no input VAT credited on the goods (input_vat_rate 0: no special VAT "
                "invoice assumed)"
            )
        )
        return (
            f"VAT and payment fee from plan.tax: {who}; payment fee {fee} (assumption: the "
            "payment channels' standard rate)."
        )

    # -- the engine ----------------------------------------------------------------------

    def _set_kernel_params(self, prm: npt.NDArray[np.int64], n_events: int) -> tuple[int, ...]:
        from bizmodels.plans import _kernel as k

        f = self.fen
        prm[k.P_KIND] = k.PLAN_LIANDONG
        prm[k.P_DIRECT_M] = f.direct_member
        prm[k.P_DIRECT_A] = f.direct_agent
        prm[k.P_SEE] = f.see_point
        prm[k.P_ENT : k.P_ENT + 3] = f.differential
        prm[k.P_POOL : k.P_POOL + 3] = f.pool_contribution
        prm[k.P_UPG : k.P_UPG + 3] = f.upgrade_price
        prm[k.P_PEER_NUM], prm[k.P_PEER_DEN] = f.peer_rate
        prm[k.P_FREEZE_NUM], prm[k.P_FREEZE_DEN] = f.freeze_rate
        # The capped order counts live in int32; a threshold above the number of events is
        # never reached anyway.
        prm[k.P_UNLOCK] = min(self.unlock_orders, n_events + 1)
        prm[k.P_EXACT] = self.pool_share == "exact"
        return ()

    def build_structure(
        self,
        stream: EventStream,
        tree: npt.NDArray[np.int32],
        money: npt.NDArray[np.int64],
        status: npt.NDArray[np.int64],
    ) -> Upgrades:
        """Placement with slide (滑落), positions and every rank change (`_kernel.structure`)."""
        from bizmodels.plans import _kernel as k

        n = tree.shape[0]
        # Room for the most rank changes there can be: an AGENT per agent_recruits
        # recruits, each regional rank per legs_required legs.
        cap = n // self.agent_recruits + 3 * (n // self.legs_required) + 8
        upg_t = np.empty(cap, np.int32)
        upg_x = np.empty(cap, np.int32)
        upg_r = np.empty(cap, np.int8)
        n_upg = int(
            k.structure(
                stream.kind,
                stream.member,
                stream.sponsor,
                self.slide_positions,
                self.agent_recruits,
                self.legs_required,
                tree,
                money,
                upg_t,
                upg_x,
                upg_r,
                status,
            )
        )
        if status[0] == k.OK:
            k.between_passes(tree, money)
        return upg_t, upg_x, upg_r, n_upg

    def audit(self, tally: Tally) -> dict[str, bool]:
        """Each reward held to what the orders allow.

        Orders whose buyer has a sponsor pay a direct reward; a slid buyer's pay a
        see-point reward; every order pays or leaves the whole differential and pools.
        """
        f, t = self.fen, tally
        direct, see = t.earned["direct"], t.earned["see_point"]
        low, high = sorted((f.direct_member, f.direct_agent))
        num, den = f.peer_rate
        peer = (
            t.earned["peer"] + t.breakage_by["peer_on_direct"] + t.breakage_by["peer_on_see_point"]
        )
        base = direct + see
        ever = t.frozen + t.released
        return {
            "direct rewards": t.sponsored * low <= direct <= t.sponsored * high,
            "see-point rewards": see == t.slid * f.see_point,
            "differential": t.earned["differential"] + t.breakage_by["differential"]
            == t.orders * f.differential[2],
            # one floor per direct and see-point reward, each losing less than a fen
            "peer rewards": base * num - den * (t.sponsored + t.slid) <= peer * den <= base * num,
            "help fund": 0
            <= ever * f.freeze_rate[1]
            <= (direct + t.earned["peer"]) * f.freeze_rate[0],
            "pools": t.earned["pool"] + sum(t.pools) == t.orders * sum(f.pool_contribution),
        }

    # -- explanations --------------------------------------------------------------------

    def explain_placement(self, view: EventView, member: int) -> str:
        """Where a joining member was placed: its position, and whether it slid and why."""
        s = view.sponsor(member)
        if s < 0:
            return "a root: no sponsor, no placement parent"
        k = view.position(member)
        who = f"position {k} of {view.label(s)}"
        if view.slid(member):
            return (
                f"{who}: slid (滑落) under {view.label(view.parent(member))}, the nearest "
                f"ancestor of {view.label(s)} of rank AGENT or above"
            )
        if k <= self.slide_positions:
            return (
                f"{who}: {view.label(s)} has no ancestor of rank AGENT or above, so placed "
                f"under {view.label(s)}, not slid"
            )
        return (
            f"{who}: placed under {view.label(s)} (only positions 1 to "
            f"{self.slide_positions} slide)"
        )

    def explain_order(self, view: EventView, buyer: int, is_join: bool) -> None:
        """Direct, see-point, differential and peer rewards, as the spec words the rules."""
        f = self.fen
        freeze_pct = share_text(self.freeze_rate)

        def reward(kind: str, x: int, amount: int, freezable: bool, rule: str) -> None:
            frozen = f.frozen(amount) if freezable and not view.qualified(x) else 0
            if frozen:
                rule += (
                    f"; {freeze_pct} frozen in the help fund (帮扶基金): {view.label(x)} is "
                    "not qualified yet"
                )
            view.reward(kind, x, amount, frozen, rule)

        def peer(earner: int, amount: int, what: str) -> None:
            rank = Rank(view.rank(earner))
            share = f.peer(amount)
            for q in view.ancestors(earner):
                if view.rank(q) >= rank:
                    reward(
                        "peer",
                        q,
                        share,
                        True,
                        f"nearest ancestor of {view.label(earner)} (earner of the {what} "
                        f"reward, {rank.name}) of rank {rank.name} or above: "
                        f"{share_text(self.peer_rate)} of {fen_text(amount)}",
                    )
                    return
            view.unclaimed(
                "peer",
                share,
                f"peer reward on {view.label(earner)}'s {what} reward: no ancestor of "
                f"{view.label(earner)} is of rank {rank.name} or above",
            )

        label = view.label(buyer)
        s = view.sponsor(buyer)
        if s >= 0:
            rank = Rank(view.rank(s))
            level = "MEMBER" if rank == Rank.MEMBER else "AGENT and above"
            reward(
                "direct",
                s,
                f.direct(rank),
                True,
                f"sponsor (推荐人) of {label}, of rank {rank.name}: the direct reward of {level}",
            )
        else:
            view.note(f"{label} is a root: no sponsor, no direct reward")
        slid = view.slid(buyer)
        p = view.parent(buyer)
        if slid:
            reward(
                "see_point",
                p,
                f.see_point,
                False,
                f"placement parent of {label}, who slid (滑落) from its sponsor {view.label(s)}",
            )
        else:
            view.note(f"{label} did not slide: no see-point reward")
        given = 0
        last = buyer
        for a in view.ancestors(buyer):
            a_rank = Rank(view.rank(a))
            e = f.entitlement(a_rank)
            if e > given:
                first = "nearest" if given == 0 else "next"
                reward(
                    "differential",
                    a,
                    e - given,
                    False,
                    f"{first} ancestor of {label} entitled to more than {fen_text(given)}: "
                    f"of rank {a_rank.name}, entitled to {fen_text(e)}, gets "
                    f"{fen_text(e)} − {fen_text(given)}",
                )
                given = e
                last = a
        top = f.differential[2]
        if given < top:
            reason = (
                f"no ancestor of {label} of rank V1 or above"
                if given == 0
                else f"no ancestor above {view.label(last)} entitled to more than {fen_text(given)}"
            )
            view.unclaimed("differential", top - given, reason)
        if s >= 0:
            peer(s, f.direct(Rank(view.rank(s))), "direct")
        if slid:
            peer(p, f.see_point, "see-point")


@dataclass(frozen=True)
class OrderPayouts:
    """The rewards of one order in integer fen, and what stays with the platform and why."""

    price: int
    direct: int
    sponsor: Rank | None
    see_point: int
    slid: bool
    differential: tuple[tuple[Rank, int], ...]
    differential_kept: int
    peer_direct: int
    peer_direct_kept: int
    peer_see_point: int
    peer_see_point_kept: int
    pools: tuple[int, int, int]

    @property
    def differential_paid(self) -> int:
        """Differential paid to regional dealers, fen."""
        return sum(amount for _, amount in self.differential)

    @property
    def total_paid(self) -> int:
        """Every reward paid, pools included, fen."""
        return (
            self.direct
            + self.see_point
            + self.differential_paid
            + self.peer_direct
            + self.peer_see_point
            + sum(self.pools)
        )

    @property
    def kept_unclaimed(self) -> int:
        """Rewards due that found no recipient (breakage), fen; they stay with the platform."""
        return self.differential_kept + self.peer_direct_kept + self.peer_see_point_kept

    @property
    def platform_kept(self) -> int:
        """What the platform keeps of the price, fen."""
        return self.price - self.total_paid

    def direct_note(self) -> tuple[str, str]:
        """Why the direct reward is what it is (English, Chinese)."""
        if self.sponsor is None:
            return "buyer is a root: no sponsor", "买家无推荐人（根节点）"
        return f"sponsor is {self.sponsor.name}", f"推荐人为{self.sponsor.label_zh}"

    def see_point_note(self) -> tuple[str, str]:
        """Why the see-point reward is due or not (English, Chinese)."""
        if self.slid:
            return "buyer was slid to the sponsor's upline", "买家滑落至推荐人上级"
        return "buyer not slid: no see-point", "买家未滑落，无见点奖"

    def differential_note(self) -> tuple[str, str]:
        """How the differential splits, and what no one was entitled to (English, Chinese)."""
        parts = [f"{rank.name} {fen_text(amount)}" for rank, amount in self.differential]
        en, zh = list(parts), list(parts)
        if self.differential_kept:
            kept = fen_text(self.differential_kept)
            above = "higher " if parts else ""
            en.append(f"{kept} kept by the platform: no {above}regional dealer above")
            zh.append(f"{kept} 无{'更高级' if parts else ''}经销商，归平台")
        return " + ".join(en), " + ".join(zh)

    def peer_note(self) -> tuple[str, str]:
        """The peer reward's two parts, and any that found no recipient (English, Chinese)."""
        en, zh = [], []
        for name_en, name_zh, paid, kept in (
            ("direct", "直推", self.peer_direct, self.peer_direct_kept),
            ("see-point", "见点", self.peer_see_point, self.peer_see_point_kept),
        ):
            if paid:
                en.append(f"{fen_text(paid)} on {name_en}")
                zh.append(f"{name_zh} {fen_text(paid)}")
            if kept:
                en.append(
                    f"{fen_text(kept)} on {name_en} kept by the platform: no same-rank upline"
                )
                zh.append(f"{name_zh} {fen_text(kept)} 无同级上级，归平台")
        return " + ".join(en), " + ".join(zh)


def _yuan(values: Sequence[Decimal]) -> str:
    return ", ".join(str(v) for v in values)


def _triple(values: tuple[Decimal, Decimal, Decimal]) -> str:
    return "/".join(yuan_text(v) for v in values)


def _share(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` to four places; 0 when nothing is divided."""
    if not denominator:
        return Decimal(0)
    return (numerator / denominator).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _goods_cost(goods_cost: Decimal | int | str) -> Decimal:
    try:
        cost = Decimal(str(goods_cost))
    except InvalidOperation:
        raise ValueError(f"goods_cost must be a number of yuan, got {goods_cost!r}") from None
    if not cost.is_finite() or cost < 0:
        raise ValueError(f"goods_cost must be a finite amount ≥ 0, got {goods_cost!r}")
    return cost


def _start(plan: LiandongPlan) -> Line:
    return Line("package_price", "礼包价", "Package price", plan.package_price)


def liandong_699(**overrides: object) -> LiandongPlan:
    """The 链动2+1 "699 member package" of seed 001, as the spec reads it.

    Parameters
    ----------
    **overrides
        Any `LiandongPlan` field, to vary the preset (``package_price=999``).

    Examples
    --------
    >>> liandong_699().order_waterfall()["platform_kept"].amount
    Decimal('289.00')
    """
    return LiandongPlan.model_validate(overrides)
