"""完全 to B 招商: the brand recruits dealers, who buy an entry package and then restock."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import field_validator, model_validator
from typing_extensions import override

from bizmodels import engine
from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Rate, Yuan, param
from bizmodels.cashflow import Timing
from bizmodels.channel_stock import SELL_THROUGH_SOURCE, DealerStock
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check
from bizmodels.plans import LiandongPlan

_REPLACED_BY_PLAN = ("package_price", "recruit_three_share", "referral_rate")

_PACKAGE = (
    "assumption: borrowed from seed 001's 链动2+1 plan (001_07a435858c0348ea.txt: "
    "购买一个699礼包); seed 000 names no price for this model's entry package"
)


class TobRecruitment(DealerStock, BusinessModel):
    """完全 to B 招商: the brand sells to dealers only, through entry packages and restocking.

    Seed 000 (000_446469964f142a4d.txt, model 4) describes a brand that does not sell to end
    customers but recruits dealers directly, like direct selling, 微商 and 云集 social
    commerce. It fits a brand that already has a mature distributor team, or a product that
    needs demonstration, trial or education to sell (or sells poorly from a detail page
    alone), and it starts the market fast. Its warning: the "推三返一" schemes of mini-program
    developers and the 微商 price differentials (拿货差价) carry a risk of being judged pyramid
    selling (涉传风险).

    Segments: dealers (``market.customers × dealer_share``) buy one entry package (报单产品)
    each, then restock at the wholesale price ``market.price × (1 − price_differential)``.
    Channel lines: the 推三返一 refunds (recruit three, get one's own package price back) and
    a referral reward (直推奖) on every package sold, net of refunds. With a ``plan``, the
    package is the plan's (its price replaces ``package_price``) and the two lines are
    replaced by the plan's per-order payouts in its default case (direct, see-point,
    differential, peer, pools), paid on entry packages net of refunds. Restock orders pay no
    plan reward: the plan pays on packages, and one package's payouts (410 yuan for the
    seed-001 preset) exceed the price of a restock order.

    Stock held by dealers: the brand books the dealers' purchases (entry packages and
    restocking) as its sales; end consumers buy ``sell_through`` of them from the dealers,
    and the rest stays with the dealers (囤货). `channel_stock` gives that stock in yuan at
    the price the dealers paid, `channel_stock_waterfall` the split, and the cash flows'
    memo lines the months (`bizmodels.channel_stock.DealerStock`).
    """

    key = "tob_recruitment"
    name_zh = "完全 to B 招商"
    name_en = "Dealer recruitment (fully to B)"
    dealer_segments: ClassVar[tuple[str, ...]] = ("entry_packages", "restock")

    acquisition_cost: Yuan = param(
        Decimal(100),
        "Cost of recruiting one dealer (招商成本: briefings, samples), yuan, beyond the "
        "rewards dealers earn for recruiting.",
        "assumption",
    )
    dealer_share: Rate = param(
        Decimal("0.08"),
        "Share of the market's customers recruited as dealers (经销商), 0 to 1.",
        "assumption",
    )
    package_price: Yuan = param(
        Decimal(699),
        "Price of the entry package (报单产品) that makes a buyer a dealer, yuan; a plan's "
        "package price replaces it.",
        _PACKAGE,
    )
    package_cost: Yuan = param(
        Decimal(210), "Cost of the goods in one entry package (商品成本), yuan.", "assumption"
    )
    price_differential: Rate = param(
        Decimal("0.30"),
        "Dealer margin (拿货价差): wholesale price = list price × (1 − this), 0 to 1.",
        "assumption",
    )
    restock_rate: Rate = param(
        Decimal("0.50"),
        "Share of dealers who restock one order at the wholesale price in a period (补货率).",
        "assumption",
    )
    recruit_three_share: Rate = param(
        Decimal("0.10"),
        "Share of dealers who recruit three and get their package price refunded (推三返一).",
        "assumption",
    )
    referral_rate: Rate = param(
        Decimal("0.10"),
        "Referral reward per entry package (直推奖), share of the package price.",
        "assumption",
    )
    sell_through: Rate = param(
        Decimal("0.70"),
        "Sell-through rate (动销率): share of what dealers buy from the brand (entry packages "
        "and restocking) that end consumers buy from them; the rest is stock held by the "
        "channel (渠道库存, 囤货), 0 to 1.",
        SELL_THROUGH_SOURCE,
    )
    plan: LiandongPlan | None = param(
        None,
        "A commission plan (链动2+1) whose package and per-order payouts replace the entry "
        "package price, the 推三返一 refunds and the referral reward: a plan, its name "
        "(liandong_699) or its fields; None for none.",
        "assumption",
    )

    @field_validator("plan", mode="before")
    @classmethod
    def _plan_by_name(cls, value: Any) -> Any:
        # a scenario file or --set names the plan; its registry builds it
        if isinstance(value, str):
            from bizmodels.plans import PLANS, get_plan

            if value not in PLANS:
                raise ValueError(f"unknown plan {value!r}; valid: {', '.join(PLANS)}")
            return get_plan(value)
        return value

    @model_validator(mode="after")
    def _plan_replaces(self) -> TobRecruitment:
        if self.plan is not None:
            unused = sorted(self.model_fields_set & set(_REPLACED_BY_PLAN))
            if unused:
                raise ValueError(
                    f"{', '.join(unused)} do not apply with a plan: the plan's package price "
                    "and payouts replace them"
                )
        return self

    def _dealers(self) -> Any:
        return self.market.customers * self.dealer_share

    def _entry_price(self) -> Any:
        if self.plan is None:
            return self.package_price
        return engine.like(self.plan.package_price, self.package_price)

    @override
    def segments(self) -> list[Segment]:
        dealers = self._dealers()
        return [
            self.entry_packages(dealers, price=self._entry_price(), cost=self.package_cost),
            self.segment(
                "restock",
                "经销商补货",
                "Dealer restocking",
                customers=dealers,
                conversion=self.restock_rate,
                unit_price=self.market.price * (1 - self.price_differential),
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        if self.plan is None:
            return [
                Cost(
                    "recruit_three_refunds",
                    "推三返一",
                    "Recruit-three-refund-one",
                    self._dealers() * self.recruit_three_share * self.package_price,
                    follows="entry_packages",
                ),
                Commission(
                    "referral_rewards",
                    "直推奖",
                    "Referral rewards",
                    rate=self.referral_rate,
                    on="entry_packages",
                    follows="entry_packages",
                ),
            ]
        packages = results["entry_packages"]
        return [
            Cost(
                step.key,
                step.label_zh,
                step.label_en,
                packages.net_orders * engine.like(step.amount, packages.net_orders),
                note=f"per package: {step.note}" if step.note else "",
                note_zh=f"每个礼包：{step.note_zh or step.note}" if step.note else "",
                follows="entry_packages",
            )
            # the plan's own tax lines are the P&L's VAT and payment fee, charged once below
            for step in self.plan.order_waterfall().deductions
            if step.key not in ("vat", "payment_fee")
        ]

    @override
    def cash_timing(self, commission_lag: int, release_lag: int) -> dict[str, Timing]:
        timing = super().cash_timing(commission_lag, release_lag)
        if self.plan is not None:
            # the help fund (帮扶基金) freezes part of direct and peer rewards until release
            frozen = self.plan.freeze_rate
            for key in ("direct", "peer"):
                timing[key] = ((1 - frozen, commission_lag), (frozen, commission_lag + release_lag))
        return timing

    @override
    def checks(self) -> list[Check]:
        m = self.market
        return [
            *super().checks(),
            Check(
                ("package_cost", "package_price" if self.plan is None else "plan.package_price"),
                "entry package goods cost above its price",
                self.package_cost <= self._entry_price(),
            ),
            Check(
                ("market.unit_cost", "market.price", "price_differential"),
                "wholesale price below unit cost",
                m.unit_cost <= m.price * (1 - self.price_differential),
            ),
            Check(
                ("recruit_three_share",),
                "more than a third of dealers recruit three: each needs three recruits among "
                "the dealers",
                self.recruit_three_share * 3 <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: the entry package, the 推三返一 and the 直推奖.

        With a ``plan``, the plan's rewards replace the refunds and the referral reward, and
        `bizmodels.compliance.assess` adds the plan's own findings.

        Examples
        --------
        >>> p = TobRecruitment().compliance_profile()
        >>> p.entry_fee, p.recruit_reward, p.recruits_counted
        (Decimal('699'), Decimal('69.90'), 3)
        """
        resale = (
            f"no reward is paid on restocking: a dealer earns only the price differential "
            f"(拿货价差, price_differential = {share_text(self.price_differential)}) on its "
            "own resales"
        )
        stock = (
            f"the entry package is goods a buyer must buy to become a dealer ({{price}} yuan); "
            f"restocking after it is the dealer's choice, at its own risk (restock_rate = "
            f"{share_text(self.restock_rate)} a period, sell_through = "
            f"{share_text(self.sell_through)} of what dealers buy reaches consumers)"
        )
        if self.plan is not None:
            return ComplianceProfile(
                entry_fee=self.plan.package_price,
                resale_stock="required",
                evidence={
                    "resale_stock": stock.format(price=yuan_text(self.plan.package_price)),
                    "entry_fee": (
                        f"a buyer becomes a dealer by buying the plan's package "
                        f"(plan.package_price = {yuan_text(self.plan.package_price)} yuan)"
                    ),
                    "recruit_reward": (
                        "the plan's rewards replace the 推三返一 refunds and the referral reward"
                    ),
                    "team_pay": resale + "; the plan pays on packages",
                },
            )
        refunds = self.recruit_three_share > 0
        reward = self.referral_rate * self.package_price
        parts = []
        if reward:
            parts.append(
                f"the sponsor gets the referral reward (直推奖, referral_rate = "
                f"{share_text(self.referral_rate)} of the package: {yuan_text(reward)} yuan) "
                "for each dealer it recruits"
            )
        if refunds:
            parts.append(
                f"a dealer who recruits three gets its own {yuan_text(self.package_price)} "
                f"yuan back (推三返一, recruit_three_share = "
                f"{share_text(self.recruit_three_share)} of dealers)"
            )
        return ComplianceProfile(
            entry_fee=self.package_price,
            resale_stock="required",
            recruit_reward=reward,
            recruits_counted=3 if refunds else 0,
            evidence={
                "entry_fee": (
                    f"a buyer becomes a dealer, with the right to the rewards, by buying the "
                    f"entry package (报单产品, package_price = {yuan_text(self.package_price)} "
                    "yuan)"
                ),
                "resale_stock": stock.format(price=yuan_text(self.package_price)),
                "recruit_reward": "; ".join(parts) or "no reward for recruiting",
                "team_pay": resale,
            },
        )


__all__ = ["TobRecruitment"]
