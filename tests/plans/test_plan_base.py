"""The `Plan` base and the `PLANS` registry: what every plan declares, and a fourth plan."""

import ast
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

import bizmodels.plans as bp
from bizmodels._compliance_profile import ComplianceProfile
from bizmodels.plans.base import KINDS, PLANS, DuplicatePlanError, EventView, Plan, Tally
from bizmodels.waterfall import Line, Subtotal, Waterfall

PLANS_DIR = Path(bp.__file__).parent


@pytest.fixture
def registry():
    """Put `PLANS` back as it was after a test that defines plan classes."""
    before = dict(PLANS)
    yield PLANS
    PLANS.clear()
    PLANS.update(before)


def test_the_registry_holds_the_three_plans_in_order():
    assert list(PLANS) == ["liandong_699", "distribution", "recruit_three_refund_one"]
    assert [cls.__name__ for cls in PLANS.values()] == [
        "LiandongPlan",
        "DistributionPlan",
        "RefundPlan",
    ]
    assert bp.PLANS is PLANS
    # a class builds its preset with overrides, as get_plan does
    assert PLANS["distribution"](price=99).price == 99
    assert bp.get_plan("recruit_three_refund_one", recruits_required=5).recruits_required == 5
    with pytest.raises(KeyError, match="valid: liandong_699, distribution, recruit_three"):
        bp.get_plan("pyramid")


def test_a_key_taken_is_refused(registry):
    with pytest.raises(DuplicatePlanError, match="'distribution' is taken by DistributionPlan"):

        class Again(bp.DistributionPlan):
            key: ClassVar[str] = "distribution"

    assert registry["distribution"] is bp.DistributionPlan


def test_a_class_without_a_key_is_not_registered(registry):
    class Cheaper(bp.DistributionPlan):
        pass

    assert Cheaper not in registry.values() and len(registry) == 3
    # and an unknown kind of earnings is refused when the class is defined
    with pytest.raises(ValueError, match=r"Odd.kinds: unknown \['bonus'\]"):

        class Odd(bp.DistributionPlan):
            kinds: ClassVar[tuple[str, ...]] = ("direct", "bonus")


def test_the_base_is_abstract():
    with pytest.raises(TypeError, match="abstract"):
        Plan()


LIANDONG_KINDS = ("direct", "see_point", "differential", "peer", "pool")


@pytest.mark.parametrize(
    ("plan", "price_fen", "short_name", "kinds"),
    [
        (bp.liandong_699(), 69900, "liandong 699", LIANDONG_KINDS),
        (bp.liandong_699(package_price=1980), 198000, "liandong 1980", LIANDONG_KINDS),
        (
            bp.distribution(price="99.50", rates=[0.1, 0.05, 0.02]),
            9950,
            "distribution 99.5 (3 levels)",
            ("direct", "indirect"),
        ),
        (bp.recruit_three_refund_one(), 69900, "recruit-three-refund-one 699", ("refund",)),
    ],
)
def test_every_plan_declares_its_price_name_and_kinds(plan, price_fen, short_name, kinds):
    assert plan.price_fen == price_fen
    assert plan.short_name == short_name
    assert plan.kinds == kinds and set(kinds) <= set(KINDS)
    assert plan.order_waterfall().start == Decimal(price_fen) / 100


def test_what_only_a_ranked_plan_has():
    lian, dist = bp.liandong_699(), bp.distribution()
    assert lian.ranked and not dist.ranked
    # seed 001: pools 10 + 10 + 10 per order; identity packages 999, 1980, 5000 yuan
    assert lian.order_pools() == (1000, 1000, 1000) and dist.order_pools() == (0, 0, 0)
    assert [lian.identity_package(r) for r in bp.Rank] == [0, 0, 99900, 198000, 500000]
    assert dist.identity_package(bp.Rank.V3) == 0
    assert lian.order_options[-1] == "goods_cost" and dist.order_options == ()
    # 200 + 200 + 300 ≥ 699, and 160 + 160 + 240 + 240 with 20% frozen (seed 001)
    assert lian.order_notes()[0].startswith(
        "Recruits to earn back the package from direct rewards: 3 (4 "
    )
    assert dist.order_notes() == ()


def test_compliance_profiles_from_the_plans_own_parameters():
    lian = bp.liandong_699().compliance_profile()
    assert (lian.entry_fee, lian.recruit_reward, lian.recruits_counted) == (699, 200, 2)
    assert lian.unlimited_levels and lian.pay_levels is None
    dist = bp.distribution().compliance_profile()
    # 10% and 5% of 699 yuan: 69.90 to the sponsor
    assert (dist.entry_fee, dist.recruit_reward, dist.upline_rates) == (
        699,
        Decimal("69.9"),
        (Decimal("0.10"), Decimal("0.05")),
    )
    refund = bp.recruit_three_refund_one().compliance_profile()
    # the whole 699 back for three recruits: 233 yuan a recruit
    assert (refund.recruit_reward, refund.recruits_counted) == (Decimal("233.00"), 3)
    for profile in (lian, dist, refund):
        assert isinstance(profile, ComplianceProfile) and profile.declared
        assert set(profile.evidence) == {"entry_fee", "recruit_reward", "team_pay", "own_sales"}


class OneLevel(Plan):
    """A fourth plan, declared only through the base: a share of each order to the sponsor.

    It has no ``key``, so defining it registers nothing (the test registers a subclass).
    """

    name_en: ClassVar[str] = "one-level referral plan"
    name_zh: ClassVar[str] = "一级推荐"
    kinds: ClassVar[tuple[str, ...]] = ("direct",)

    price: Decimal = Decimal(100)
    reward: int = 2000  # fen to the sponsor of each order's buyer

    @property
    def price_fen(self) -> int:
        return int(self.price * 100)

    @property
    def short_name(self) -> str:
        return f"one-level {self._price_text()}"

    def order_waterfall(self) -> Waterfall:
        return Waterfall.build(
            Line("price", "订单价", "Order price", self.price),
            [Line("direct", "直推", "Direct", Decimal(self.reward) / 100)],
            Subtotal("platform_kept", "平台留存", "Kept by the platform"),
        )

    def compliance_profile(self) -> ComplianceProfile:
        return ComplianceProfile(entry_fee=self.price, upline_rates=(Decimal("0.2"),))

    def _set_kernel_params(self, prm, n_events):
        from bizmodels.plans import _kernel as k

        # the engine's distribution rule with one level
        prm[k.P_KIND] = k.PLAN_DISTRIBUTION
        prm[k.P_LEVELS] = 1
        return (self.reward,)

    def audit(self, tally: Tally) -> dict[str, bool]:
        paid = tally.earned["direct"] + tally.breakage_by["level"]
        return {"level rewards": paid == tally.orders * self.reward}

    def explain_order(self, view: EventView, buyer: int, is_join: bool) -> None:
        s = view.sponsor(buyer)
        if s < 0:
            view.unclaimed("direct", self.reward, "no sponsor")
        else:
            view.reward("direct", s, self.reward, 0, f"sponsor of {view.label(buyer)}")


def test_a_fourth_plan_runs_on_the_base_alone(registry):
    class Registered(OneLevel):
        key: ClassVar[str] = "one_level_test"

    assert list(registry)[-1] == "one_level_test" and registry["one_level_test"] is Registered
    assert bp.get_plan("one_level_test", reward=500).reward == 500
    plan = OneLevel()
    events = [("R", None, 0), ("A", "R", 0), ("B", "A", 1), ("A", 1)]
    run = bp.simulate(plan, events)
    # 4 orders of 100 yuan; A's join and repurchase pay R 20 each, B's join pays A 20, R's
    # join has no sponsor: 20 stays with the platform
    assert run.totals.received == 40000
    assert run.ledger.direct.tolist() == [4000, 2000, 0]
    assert run.totals.payouts["direct"] == 6000 and run.totals.breakage_by["level"] == 2000
    assert run.totals.retained == 34000 and run.totals.conserved
    first, last = run.explain(0), run.explain(3)
    assert [(u.kind, u.amount, u.reason) for u in first.unclaimed] == [
        ("direct", 2000, "no sponsor")
    ]
    assert [(r.recipient, r.amount) for r in last.rewards] == [("R", 2000)]
    assert first.price == 10000 and first.pools == (0, 0, 0) and first.splits == ()
    summary = run.summary()
    assert summary.plan == "one-level 100" and summary.by_rank is None
    assert summary.paid == 6000
    assert np.array_equal(run.ledger.rank, np.zeros(3, np.int8))


def test_simulate_names_the_registered_plans():
    with pytest.raises(
        TypeError, match="needs a LiandongPlan, DistributionPlan or RefundPlan, got dict"
    ):
        bp.simulate({}, [("R", None, 0)])


def _concrete_plan_names() -> set[str]:
    return {cls.__name__ for cls in PLANS.values()}


def test_no_module_of_plans_dispatches_on_a_plan_class():
    # each plan's behaviour is a method of its class: nowhere else does isinstance name one
    names = _concrete_plan_names()
    offenders = []
    for path in PLANS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
                used = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if used & names:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_every_public_module_of_plans_says_what_it_exports():
    for info in pkgutil.iter_modules(bp.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bizmodels.plans.{info.name}")
        exported = module.__all__
        assert len(exported) == len(set(exported)), info.name
        missing = [name for name in exported if not hasattr(module, name)]
        assert missing == [], info.name
