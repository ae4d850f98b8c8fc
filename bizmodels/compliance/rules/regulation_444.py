"""The rules of 《禁止传销条例》 (State Council Order No. 444), Art. 7: the three forms.

- Art. 7(2), entry fee (入门费): `entry_fee`, with 直销 Art. 14's ban on a fee to become a
  seller, and `resale_stock`, the one reading of stock bought to resell (囤货) in every
  model: required to join or keep a rank, a disguised fee; bought freely, none;
- Art. 7(1), head-count (拉人头): `recruit_reward`, with Criminal Law Art. 224-1 where a
  fee is paid too, and the WeChat platform rule;
- Art. 7(3), team remuneration (团队计酬): `team_pay`, with the 2013 opinion's section 5.

Each reads a `ComplianceProfile` and returns one `Finding`.

Examples
--------
>>> from bizmodels.plans import distribution
>>> team_pay(distribution().compliance_profile()).severity
'high'
"""

from __future__ import annotations

from decimal import Decimal

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels.compliance.findings import INDICATORS, Finding, LegalSeverity, Measure
from bizmodels.compliance.law import CRIMINAL_224_1, OPINION_1, REG_7_1, WECHAT_2016, LegalBasis
from bizmodels.compliance.rules._evidence import evidence

__all__ = [
    "TEAM_PAY_HIGH_LEVELS",
    "TEAM_PAY_WARNING_LEVELS",
    "entry_fee",
    "pays_for_recruits",
    "pays_uplines",
    "recruit_reward",
    "resale_stock",
    "team_pay",
]

TEAM_PAY_WARNING_LEVELS = 2
"""Levels in a pay chain (the seller's own included) from which an upline is paid on a
downline's sales: the wording of Reg. Art. 7(3), which names no number of levels."""
TEAM_PAY_HIGH_LEVELS = 3
"""Levels in a pay chain from which team pay is high: the project's own line, not the 2013
opinion's. No text sets a number of paid levels; 意见 一 counts the levels of the
organisation (层级在三级以上) and its participants (30 or more). The line is 3 because a pay
chain of 3 levels runs on a network at least 3 levels deep, the depth 意见 一 counts."""


def pays_for_recruits(profile: ComplianceProfile) -> bool:
    """Whether anyone is paid, or ranked, by the people it recruits (Art. 7(1))."""
    return profile.recruit_reward > 0 or profile.recruits_counted > 0


def pays_uplines(profile: ComplianceProfile) -> bool:
    """Whether an upline is paid on a downline's sales (Art. 7(3)): two levels or more."""
    levels = profile.pay_levels
    return levels is None or levels >= TEAM_PAY_WARNING_LEVELS


def entry_fee(profile: ComplianceProfile) -> Finding:
    """Art. 7(2) and 直销 Art. 14: a payment, or a purchase, for the right to earn.

    ``high`` when a fee is paid and it funds pay for recruits or uplines (the 入门费 form in
    full), ``warning`` for a fee for the right to resell alone, ``info`` for no fee.
    """
    fee = profile.entry_fee
    # A fee that funds pay for recruits or a downline is the 入门费 form in full; a fee for
    # the right to resell alone matches the wording of 7(2) and 直销 14 but rewards nobody
    # for bringing the payer in.
    funds_others = pays_for_recruits(profile) or pays_uplines(profile)
    if_over: LegalSeverity = "high" if funds_others else "warning"
    severity: LegalSeverity = if_over if fee > 0 else "info"
    measure = Measure(
        "entry fee for the right to earn", "入门费", fee, "yuan", ((if_over, Decimal(0)),), True
    )
    default = (
        f"{yuan_text(fee)} yuan must be paid for the right to earn"
        if fee > 0
        else "no payment is required for a right to earn"
    )
    if severity == "high":
        why = (
            (
                "A payment or purchase is the condition of joining and earning, and it funds pay "
                "for recruits or uplines: the 入门费 form of Reg. Art. 7(2)."
            ),
            (
                "以缴费或购买商品为加入和获得收益的条件，且该款项用于发放拉人或上线报酬：符合《禁止传销条例》"
                "第七条第（二）项“入门费”的表述。"
            ),
        )
    elif severity == "warning":
        why = (
            (
                "A purchase is the condition of the right to resell or earn; nothing rewards "
                "recruiting, but the wording of Reg. Art. 7(2) (认购商品…取得加入…的资格) and "
                "直销 Art. 14 covers it."
            ),
            (
                "以购买商品为取得经销或收益资格的条件；虽无拉人奖励，但符合第七条第（二）项及《直销管理条例》"
                "第十四条的文字。"
            ),
        )
    else:
        why = (
            "No payment is required for a right to earn or to recruit.",
            "取得收益或发展他人的资格无需缴费。",
        )
    return Finding(
        "entry_fee",
        severity,
        evidence(profile, "entry_fee", default),
        (measure,),
        INDICATORS["entry_fee"].basis,
        *why,
    )


def resale_stock(profile: ComplianceProfile) -> Finding:
    """Art. 7(2) and 直销 Art. 14: stock bought to resell, read one way in every model.

    A purchase of stock that is the condition of joining, or of taking or keeping a rank,
    is a disguised fee (以认购商品等方式变相交纳费用): the entry-fee finding's severity
    (``high`` when it funds pay for recruits or uplines, else ``warning``). Stock bought
    freely, at the buyer's own risk, is no fee: ``info``. Only for a profile whose
    ``resale_stock`` is not ``"none"``.

    Examples
    --------
    >>> from bizmodels._compliance_profile import ComplianceProfile
    >>> resale_stock(ComplianceProfile(resale_stock="free")).severity
    'info'
    >>> resale_stock(ComplianceProfile(entry_fee=Decimal(999), resale_stock="required")).severity
    'warning'
    """
    required = profile.resale_stock == "required"
    funds_others = pays_for_recruits(profile) or pays_uplines(profile)
    severity: LegalSeverity = ("high" if funds_others else "warning") if required else "info"
    measures: tuple[Measure, ...] = (
        (
            Measure(
                "stock required to join or keep a rank",
                "加入或保级须购商品",
                profile.entry_fee,
                "yuan",
                ((severity, Decimal(0)),),
                True,
            ),
        )
        if required
        else ()
    )
    if required:
        funds = (
            " It funds pay for recruits or uplines, so it is the 入门费 form in full."
            if funds_others
            else " Nothing rewards recruiting, but the wording covers the purchase itself."
        )
        funds_zh = (
            "且该款项用于发放拉人或上线报酬，构成完整的“入门费”形态。"
            if funds_others
            else "虽无拉人奖励，但该购买本身即符合条文文字。"
        )
        why = (
            (
                "Stock must be bought to join or to take or keep a rank: a purchase of goods "
                "made the condition of the right to earn is a fee paid in disguise "
                "(以认购商品等方式变相交纳费用, Reg. Art. 7(2)), and 直销 Art. 14 bars making a "
                "purchase of goods the condition of becoming a seller; its yuan are counted in "
                "the entry fee. Art. 7(2) names the right to join or to recruit; reading a "
                "purchase to keep a rank the same way is this project's reading: a rank that "
                "must be bought again is a right to earn paid for again." + funds
            ),
            (
                "须购货才能加入或取得、保持级别：以购买商品作为获得收益资格的条件，即“以认购商品等方式变相"
                "交纳费用”（《禁止传销条例》第七条第（二）项），《直销管理条例》第十四条亦禁止以购买商品作为"
                "成为直销员的条件；其金额计入入门费。第七条第（二）项所称为加入或发展他人的资格，"
                "将保级进货同样看待是本项目的解读：须再次购买的级别即再次付费的收益资格。"
                + funds_zh
            ),
        )
        default = f"{yuan_text(profile.entry_fee)} yuan of stock must be bought to join"
    else:
        why = (
            (
                "Stock is bought to resell when and as much as the buyer chooses, at its own "
                "risk: no purchase is the condition of joining or of a rank, so it is not the "
                "fee of Reg. Art. 7(2) (要求…以认购商品等方式变相交纳费用，取得加入…的资格) or of "
                "直销 Art. 14; the buyer earns its own resale margin. Stock left unsold "
                "(channel_stock) is a commercial risk the model shows, not a legal indicator."
            ),
            (
                "进货由经销者自主决定、自担风险：购买不是加入或取得级别的条件，不属于第七条第（二）项"
                "或《直销管理条例》第十四条所称的费用；经销者赚取自己的转售差价。未售出的库存"
                "（channel_stock）是模型展示的经营风险，而非法律指标。"
            ),
        )
        default = "stock is bought freely to resell, at the buyer's own risk"
    return Finding(
        "resale_stock",
        severity,
        evidence(profile, "resale_stock", default),
        measures,
        INDICATORS["resale_stock"].basis,
        *why,
    )


def recruit_reward(profile: ComplianceProfile) -> Finding:
    """Art. 7(1): pay, or a rank, counted on the people a member recruits.

    ``high`` if so (citing Criminal Law Art. 224-1 too when a fee is paid), else ``info``.
    """
    severity: LegalSeverity = "high" if pays_for_recruits(profile) else "info"
    measures = [
        Measure(
            "reward per recruit",
            "每发展一人的奖励",
            profile.recruit_reward,
            "yuan",
            (("high", Decimal(0)),),
            True,
        )
    ]
    if profile.recruits_counted:
        measures.append(
            Measure(
                "recruits a reward or rank is counted on",
                "计酬或晋级所需人数",
                Decimal(profile.recruits_counted),
                "recruits",
                (("high", Decimal(1)),),
            )
        )
    basis: tuple[LegalBasis, ...] = (REG_7_1, WECHAT_2016)
    if severity == "high":
        why = (
            "Pay is counted on the people a member recruits: the 拉人头 form of Reg. Art. 7(1).",
            "以发展人员数量计算报酬：符合《禁止传销条例》第七条第（一）项“拉人头”的表述。",
        )
        if profile.entry_fee > 0:
            # 224-1 also needs tiers, luring to keep recruiting and defrauding property;
            # cite it only with the fee, and say what it adds.
            basis = (REG_7_1, CRIMINAL_224_1, WECHAT_2016)
            why = (
                why[0] + " With the paid entry, two elements of Criminal Law Art. 224-1 are "
                "present (it also requires tiers and defrauding property).",
                why[1] + "加上缴费入门，已具备《刑法》第二百二十四条之一的两项要件"
                "（该条另要求层级及骗取财物）。",
            )
    else:
        why = ("No one is paid for recruiting.", "无发展人员奖励。")
    return Finding(
        "recruit_reward",
        severity,
        evidence(profile, "recruit_reward", "no reward is paid for a recruit"),
        tuple(measures),
        basis,
        *why,
    )


def _rates_text(profile: ComplianceProfile) -> str:
    parts = []
    if profile.own_sales_rate:
        parts.append(f"own {share_text(profile.own_sales_rate)}")
    parts += [share_text(r) for r in profile.upline_rates]
    if profile.unlimited_levels:
        parts.append("then any depth")
    return f" (rates up the chain: {', '.join(parts)})" if len(parts) > 1 else ""


def team_pay(profile: ComplianceProfile) -> Finding:
    """Art. 7(3): uplines paid on a downline's sales, and over how many levels.

    ``high`` from `TEAM_PAY_HIGH_LEVELS` levels in the pay chain (or any depth), the
    project's own line (the 2013 opinion counts the organisation's levels, not paid ones),
    ``warning`` from `TEAM_PAY_WARNING_LEVELS`, else ``info``.
    """
    levels = profile.pay_levels
    if levels is None or levels >= TEAM_PAY_HIGH_LEVELS:
        severity: LegalSeverity = "high"
    elif levels >= TEAM_PAY_WARNING_LEVELS:
        severity = "warning"
    else:
        severity = "info"
    measure = Measure(
        "levels in the pay chain, the seller's own included",
        "计酬层级（含销售者本级）",
        None if levels is None else Decimal(levels),
        "levels",
        (
            ("warning", Decimal(TEAM_PAY_WARNING_LEVELS)),
            ("high", Decimal(TEAM_PAY_HIGH_LEVELS)),
        ),
    )
    depth = "at any depth" if levels is None else f"across {levels} levels"
    if severity == "high":
        why = (
            (
                f"Uplines are paid on their downline's sales {depth}: the 团队计酬 form of Reg. "
                "Art. 7(3). Rating this high from 3 paid levels is this project's own "
                "threshold, not the 2013 opinion's: no text sets a number of paid levels. The "
                "opinion's section 1 (Verified (4)) counts the levels of the organisation "
                "(层级在三级以上) and its participants (30 or more), not paid levels. The "
                "project draws its line at 3 because a pay chain of 3 levels runs on a network "
                "at least 3 levels deep, the depth the opinion counts; whether a network reaches "
                "3 levels and 30 participants is measured on a simulation (criminal-case "
                "thresholds). Under the opinion's section 5 (Verified (2)), pure team pay on "
                "genuine sales is not prosecuted as a crime, but remains an administrative "
                "matter."
            ),
            (
                "上线按下线销售业绩计酬且达三级或以上：符合第七条第（三）项“团队计酬”的表述。"
                "计酬达三级即列为“高”，是本项目自定的界线，并非2013年意见的标准：没有条文规定"
                "计酬层级数。意见第一部分（已核实（4处））计算的是传销组织的层级（层级在三级以上）"
                "及参与人员（三十人以上），而非计酬层级。本项目以三级为界，是因为三级计酬的链条"
                "至少需要三级深的网络，即意见所计的层级数；网络是否达到三级、三十人，"
                "由模拟网络检验（刑事立案人数层级）。依意见第五部分（已核实（2处）），"
                "单纯团队计酬不作为犯罪处理，但仍属行政违法范畴。"
            ),
        )
    elif severity == "warning":
        why = (
            (
                "An upline is paid on a downline's sales, one level up: this matches the wording "
                "of Reg. Art. 7(3), which names no minimum number of levels."
            ),
            "上线按下线的销售业绩获得报酬（一级）：符合第七条第（三）项的文字，该项未规定最低层级数。",
        )
    else:
        why = ("No one is paid on another participant's sales.", "无人按他人的销售业绩获得报酬。")
    default = (
        "no one is paid on another participant's sales"
        if severity == "info"
        else f"uplines are paid on a downline's sales {depth}"
    )
    basis = INDICATORS["team_pay"].basis
    if severity == "high":
        # the explanation sets the project's line against 意见 一: cite the text it quotes
        basis += (OPINION_1,)
    return Finding(
        "team_pay",
        severity,
        evidence(profile, "team_pay", default) + _rates_text(profile),
        (measure,),
        basis,
        *why,
    )
