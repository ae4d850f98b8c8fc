"""Stock bought for resale (囤货), read one way by the compliance checks of every model."""

from decimal import Decimal

import pytest

import bizmodels.models.price_ladder  # noqa: F401  (registers the variant)
from bizmodels._compliance_profile import ComplianceProfile
from bizmodels.channel_stock import DealerStock
from bizmodels.compliance import assess
from bizmodels.compliance.law import DS_14, REG_7_2
from bizmodels.compliance.rules import legal_findings
from bizmodels.compliance.rules.regulation_444 import resale_stock
from bizmodels.models import MODELS, VARIANTS

ALL = {**MODELS, **VARIANTS}
STOCKING = sorted(k for k, cls in ALL.items() if issubclass(cls, DealerStock))


def _finding(slug):
    return {f.indicator: f for f in assess(ALL[slug]()).findings}["resale_stock"]


def test_the_to_b_models_all_hold_dealer_stock():
    assert {
        "tob_recruitment",
        "tob_online",
        "tob_offline",
        "dual_toc_tob",
        "c_to_b_chain",
        "tiered_agency_referral",
        "price_ladder",
    } <= set(STOCKING)


@pytest.mark.parametrize("slug", STOCKING)
def test_every_model_whose_dealers_hold_stock_says_how_it_is_bought(slug):
    profile = ALL[slug]().compliance_profile()
    assert profile.resale_stock in ("free", "required")
    assert profile.evidence["resale_stock"]
    # one reading: stock required to join is counted in the entry fee
    if profile.resale_stock == "required":
        assert profile.entry_fee > 0


def test_the_three_readings_of_the_issue_now_say_why():
    # tob_online: stocking dealers buy what they choose: no fee, low
    online = _finding("tob_online")
    assert online.severity == "info" and "own risk" in online.explanation
    # c_to_b_chain: the 999-yuan package is bought to become a small B; no recruiting pay
    chain = _finding("c_to_b_chain")
    assert chain.severity == "warning"
    assert "变相交纳费用" in chain.explanation and "Nothing rewards recruiting" in chain.explanation
    assert chain.measures[0].value == Decimal(999)
    # tiered agency: the tier is bought with stock, and rebates go up three levels
    tiered = _finding("tiered_agency_referral")
    assert tiered.severity == "high" and "入门费 form in full" in tiered.explanation
    assert assess("tiered_agency_referral").level == "high"
    assert assess("tob_online").level == "low"
    assert assess("c_to_b_chain").level == "warning"


def test_a_rank_kept_by_buying_is_read_as_the_projects_own_line():
    f = resale_stock(ComplianceProfile(entry_fee=Decimal(500), resale_stock="required"))
    assert "this project's reading" in f.explanation
    assert "本项目的解读" in f.explanation_zh


def test_the_finding_cites_article_7_2_and_direct_selling_14():
    assert _finding("tob_recruitment").basis == (REG_7_2, DS_14)
    # the verified wording of 7(2) names the disguised fee by buying goods
    assert "以认购商品等方式变相交纳费用" in REG_7_2.wording


def test_no_stock_no_finding():
    indicators = [f.indicator for f in legal_findings(ComplianceProfile())]
    assert "resale_stock" not in indicators
    assert "resale_stock" not in {f.indicator for f in assess("toc_membership").findings}


def test_a_required_purchase_of_nothing_is_no_purchase():
    # a package priced 0 (a valid model) requires no money: nothing to read as a fee
    assert ComplianceProfile(resale_stock="required").resale_stock == "none"
    with pytest.raises(ValueError, match=r"resale_stock = 'sometimes'"):
        ComplianceProfile(resale_stock="sometimes")  # type: ignore[arg-type]


def test_free_stock_with_a_fee_elsewhere_keeps_the_fee_finding():
    # a fee for something else, stock bought freely: the fee is read, the stock is not
    p = ComplianceProfile(entry_fee=Decimal(100), resale_stock="free")
    found = {f.indicator: f.severity for f in legal_findings(p)}
    assert found["entry_fee"] == "warning" and found["resale_stock"] == "info"
