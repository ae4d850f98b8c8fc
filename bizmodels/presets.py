"""Presets: configured models for the variants the other seeds describe.

Each preset is a model (one of the ten, or a small variant class on the same engine) with
the figures its seed gives, every other default labelled an assumption, its source seed and
a one-line summary. `resolve` builds a model or a preset by slug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel, get_model
from bizmodels.models.baiguoyuan_like import BaiguoyuanLike
from bizmodels.models.c_to_b_chain import CToBChain
from bizmodels.models.community_ecommerce import CommunityEcommerce
from bizmodels.models.company_run_weishang import CompanyRunWeishang
from bizmodels.models.content_ecommerce import ContentEcommerce
from bizmodels.models.coupon_rebate import CouponRebate
from bizmodels.models.influencer_weishang import InfluencerWeishang
from bizmodels.models.marketplace_shop import MarketplaceShop
from bizmodels.models.new_retail import NewRetail
from bizmodels.models.price_ladder import PriceLadder
from bizmodels.models.sales_channel_build import SalesChannelBuild
from bizmodels.models.self_media_weishang import SelfMediaWeishang
from bizmodels.models.three_level_distribution import ThreeLevelDistribution
from bizmodels.models.tiered_agency_referral import TieredAgency
from bizmodels.models.toc_leaders_streamers import TocLeadersStreamers
from bizmodels.tax import Tax

SEEDS = {
    "000": "000_446469964f142a4d.txt",
    "001": "001_07a435858c0348ea.txt",
    "002": "002_f13a0cfa10d43761.txt",
    "003": "003_e213b8fe3b9defb8.txt",
    "004": "004_fa64250602f99480.txt",
}
"""Seed number → the file it is cited by."""


@dataclass(frozen=True)
class Preset:
    """A configured model and where it comes from.

    Attributes
    ----------
    slug : str
        The preset's name (``"three_level_distribution"``).
    name_zh, name_en : str
        Its Chinese and English names.
    seed : str
        The seed number it comes from (``"002"``); `SEEDS` gives the file.
    summary : str
        One line on what it is.
    build : callable
        Returns the configured model (with field overrides applied on top).
    """

    slug: str
    name_zh: str
    name_en: str
    seed: str
    summary: str
    build: Callable[..., BusinessModel]

    @property
    def model(self) -> BusinessModel:
        """The configured model, with its defaults."""
        return self.build()

    @property
    def source(self) -> str:
        """The seed cited by its file name."""
        return f"seed {self.seed} ({SEEDS[self.seed]})"


PRESETS: dict[str, Preset] = {}
"""Preset slug → `Preset`, grouped by seed (002, 003, 004, 001)."""


def _preset(
    slug: str,
    name_zh: str,
    name_en: str,
    seed: str,
    summary: str,
    cls: type[BusinessModel],
    **fields: Any,
) -> None:
    if slug in PRESETS or slug in MODELS:
        raise ValueError(f"preset slug {slug!r} is taken")

    def build(**overrides: Any) -> BusinessModel:
        return cls(**{**fields, **overrides})

    PRESETS[slug] = Preset(slug, name_zh, name_en, seed, summary, build)


def resolve(slug: str, market: Market | None = None, **overrides: Any) -> BusinessModel:
    """A model or a preset by slug, with field overrides, on ``market`` if given.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models and presets.
    pydantic.ValidationError
        A bad field or value, naming the model and field.

    Examples
    --------
    >>> resolve("toc_membership").key
    'toc_membership'
    """
    if market is not None:
        overrides = {**overrides, "market": market}
    if slug in PRESETS:
        return PRESETS[slug].build(**overrides)
    if slug in MODELS:
        return get_model(slug, **overrides)
    valid = ", ".join([*MODELS, *PRESETS])
    raise KeyError(f"unknown model or preset {slug!r}; valid: {valid}")


def name_of(slug: str) -> tuple[str, str]:
    """Chinese and English names of a model or preset slug."""
    if slug in PRESETS:
        return PRESETS[slug].name_zh, PRESETS[slug].name_en
    cls = MODELS[slug]
    return cls.name_zh, cls.name_en


# -- seed 002: three-level distribution, coupon rebates, new retail ------------------------

_preset(
    "three_level_distribution",
    "三级分销",
    "Three-level distribution",
    "002",
    "Two-level distribution plus a level-3 commission, the model seed 002 credits for "
    "soiree小黑裙 going from zero to 上億 revenue in a year; rates are assumptions.",
    ThreeLevelDistribution,
    level3_share=Decimal("0.25"),
    level3_rate=Decimal("0.03"),
)
_preset(
    "coupon_rebate",
    "导购返佣",
    "Coupon rebate (CPS)",
    "002",
    "Users buy on Taobao/Pinduoduo with the brand's coupons; the brand holds no stock, "
    "earns the platform's commission (its GMV here) and passes part back to sharers.",
    CouponRebate,
    platform_commission_rate=Decimal("0.20"),
    rebate_rate=Decimal("0.50"),
)
_preset(
    "new_retail",
    "新零售",
    "New retail (store plus app)",
    "002",
    "A 盒马-like store plus app: the app widens the customer range from 2 km to 10 km "
    "(seed 002), each app order paying an instant delivery.",
    NewRetail,
    store_radius_km=Decimal(2),
    app_radius_km=Decimal(10),
)
_preset(
    "content_ecommerce",
    "内容电商",
    "Content e-commerce",
    "002",
    "Content wins the followers, as on 小红书 (seed 002): the brand's own and commissioned "
    "posts, KOLs paid on their followers' sales, red packets for user posts liked by 10+.",
    ContentEcommerce,
)
_preset(
    "community_ecommerce",
    "社群电商",
    "Community e-commerce",
    "002",
    "The brand's own groups are the channel (seed 002): paid operators, alternate accounts "
    "(小号) to start the herd, red packets, rewarded core fans; nobody paid on sales.",
    CommunityEcommerce,
)

# -- seed 003: kinds of 微商 --------------------------------------------------------------

_preset(
    "community_weishang",
    "社群微商",
    "Community 微商",
    "003",
    "A community led by an opinion leader, values first and products second (seed 003): "
    "group leaders only, no streamers, and members who stay (自然粘性起來) repurchasing.",
    TocLeadersStreamers,
    leader_reach=Decimal("0.30"),
    streamer_reach=Decimal(0),
    slots=Decimal(0),
    retained_share=Decimal("0.50"),
)
_preset(
    "company_run_weishang",
    "直营微商",
    "Company-run 微商",
    "003",
    "Salaried customer-service staff add fans and sell for a commission (seed 003: "
    "給底薪,給提成,加粉); the company keeps the profit and the channel.",
    CompanyRunWeishang,
    staff=Decimal(4),
    fans_per_staff=Decimal(1000),
    base_salary=Decimal(4000),
    commission_rate=Decimal("0.05"),
)
_preset(
    "tiered_agency_referral",
    "层级代理 + 推荐返利",
    "Tiered agency with referral rebates",
    "003",
    "Seed 003's 雙創模式微商: tiered agents buy stock at a discount, plus same-level referral "
    "rebates at least 3 levels deep; the seed warns 不建議做.",
    TieredAgency,
    tier_discount=Decimal("0.30"),
    rebate_rate=Decimal("0.05"),
    rebate_levels=Decimal(3),
)
_preset(
    "influencer_weishang",
    "网红微商",
    "Influencer 微商",
    "003",
    "An influencer's fans buy while the fame lasts (seed 003: 每个网红都有生命周期): the reach "
    "decays 30% a period, the fee runs on; the brand keeps a tenth of the fans.",
    InfluencerWeishang,
)
_preset(
    "self_media_weishang",
    "自媒体微商",
    "Self-media 微商 (personal IP)",
    "003",
    "A personal IP on self-media (seed 003: 粉丝关系): fewer fans than an influencer's, won "
    "by content paid every period, who stay (95% a month) and convert well.",
    SelfMediaWeishang,
)

# -- seed 004: three ways to build a private sales channel, and the C → B chain ---------

_preset(
    "channel_outsourced",
    "纯外包型",
    "Outsourced sales channel",
    "004",
    "An outsourcing company runs the private sales channel for the whole lifetime; the "
    "brand pays a small set-up cost and a fee on net sales.",
    SalesChannelBuild,
    outsourced_periods=12,
    outsourcer_fee_rate=Decimal("0.20"),
    setup_cost=20_000,
    own_team_per_period=15_000,
)
_preset(
    "channel_outsourced_then_self_run",
    "外包转自营",
    "Outsourced, then self-run sales channel",
    "004",
    "Outsourced for the first 6 periods (fee on their net sales), then taken over by the "
    "brand's own team.",
    SalesChannelBuild,
    outsourced_periods=6,
    outsourcer_fee_rate=Decimal("0.20"),
    setup_cost=60_000,
    own_team_per_period=15_000,
)
_preset(
    "channel_self_run",
    "纯自营",
    "Self-run sales channel",
    "004",
    "The brand builds and runs its own sales team from the start: a large set-up cost and "
    "a team every period, no fee.",
    SalesChannelBuild,
    outsourced_periods=0,
    outsourcer_fee_rate=Decimal("0.20"),
    setup_cost=150_000,
    own_team_per_period=15_000,
)
_preset(
    "c_to_b_chain",
    "从C到B转化链",
    "Traffic to small C, big C, small B and big B chain",
    "004",
    "Traffic converts through four gaps into occasional and repeat buyers and small and "
    "big dealers who restock at wholesale; every rate an assumption.",
    CToBChain,
    traffic_share=Decimal("0.50"),
    small_c_rate=Decimal("0.30"),
    big_c_rate=Decimal("0.30"),
    small_b_rate=Decimal("0.10"),
    big_b_rate=Decimal("0.20"),
)

# -- seed 000: the 微商 price ladder; seed 002: the marketplace to compare against ----------

_preset(
    "price_ladder",
    "品牌 → 省代 → 市代 → 代理",
    "Price ladder of provincial, city and local agents",
    "000",
    "Each tier buys from the one above at its discount (微商的拿货差价, seed 000) and sells on "
    "part of it; the waterfall shows each tier's margin and the stock it holds.",
    PriceLadder,
)
_preset(
    "price_ladder_threshold",
    "拿货门槛的价格体系",
    "Price ladder with a purchase threshold",
    "000",
    "The same ladder, each tier required to buy 10 orders' worth to hold its rank: the "
    "required stock reads as a disguised entry fee.",
    PriceLadder,
    tier_minimum_orders=10,
)
_preset(
    "marketplace_shop",
    "公域平台店铺（天猫/京东/抖音）",
    "Marketplace shop (Tmall/JD/Douyin)",
    "002",
    "The public-marketplace baseline (seed 002: 只能花錢做推廣): commission, fees and paid "
    "traffic on every order, no private pool; compare --baseline.",
    MarketplaceShop,
)

# -- seed 001: a 百果园-like membership business ------------------------------------------

_preset(
    "baiguoyuan_like",
    "百果园式会员运营",
    "Baiguoyuan-like membership",
    "001",
    "6 million group members and 2 million app users already active, 12 million members won "
    "in the year (the 80 million are cumulative), half the cumulative 1.1 million paid "
    "members still paying, 16,000 groups, 70% won online: seed 001's 百果园 on a fruit market.",
    BaiguoyuanLike,
    # its own market; compare(market=...) replaces it (shares scale, overheads do not)
    market=Market(
        # members won in the year: an assumption (the seed gives the cumulative 8000万 only).
        # Pagoda's 2023 results report members up 13.3%, about 10 million net of those who
        # left, so more were won: 12 million
        customers=12_000_000,
        price=60,
        unit_cost=36,
        tax=Tax(goods_rate=Decimal("0.09")),  # fruit: an agricultural product (增值税法 第十条)
        fulfilment_cost=5,
    ),
    reach=1,
    # active at the start, charged no acquisition: 600多万社群成员 + App月活用户200万 (seed 001)
    existing_customers=8_000_000,
    # current paid members: half the cumulative 付费会员数累计110万+ (assumption), of 20 million
    member_share=Decimal("0.0275"),  # 550,000 / 20,000,000
    group_share=Decimal("0.3"),  # 600多万社群成员: 6,000,000 / 20,000,000
    conversion=Decimal("0.10"),
    online_cac=8,
    offline_cac=4,
    # overheads of the private-domain operation: assumptions, sized so that its operating
    # margin lands near the 2.9% net margin Pagoda reported for 2022 (docs: Are the defaults
    # sensible?)
    marketing_per_period=10_000_000,
    fixed_per_period=15_000_000,
)


__all__ = ["PRESETS", "SEEDS", "Preset", "name_of", "resolve"]
