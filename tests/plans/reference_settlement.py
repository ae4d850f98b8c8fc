"""A plain reference of the settlement rules (docs/concepts/settlement-rules.md), for tests.

The 链动2+1 spec (specs/liandong-2plus1.md) as `reference_liandong` reads it, the plain
distribution plan (levels up the sponsor chain) and 推三返一 (the refund to a member whose
recruits reach the count, a reward of the join that reaches it; the page is silent on
which order pays it), with every settlement rule on top:
refunds with clawback, frozen days (pending money), debt repaid first, caps per day and
per 30-day month, withdrawal events with their fee and the income tax withheld, and the
withdrawal policy ``withdraw_every``. Written from the rules page's text, not from the
engine: dicts keyed by label, every reward remembered with where its money went, pending
money kept as lots in the order credited, ancestors walked one by one. Slow on purpose.

The conservation identities of the page are asserted after every event:

- per member: sum of earnings by kind = pending + frozen + available + withdrawn − debt;
- the platform: received − refunded = retained + available + frozen + pending + pools
  + (withdrawn − withdrawal fees) − debt.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from reference_liandong import AGENT, MEMBER, V1, V2, V3, _Fen, _yuan_to_fen

from bizmodels.plans import DistributionPlan, LiandongPlan, Refund, RefundPlan, Withdrawal
from bizmodels.tax import labour_withholding

LIANDONG_KINDS = ("direct", "see_point", "differential", "peer", "pool")
DISTRIBUTION_KINDS = ("direct", "indirect")
REFUND_KINDS = ("refund",)
MONTH_DAYS = 30  # a month is days 30m .. 30m + 29 (the page's "The settings")

# The order an order's rewards are paid in, and a refund reverses them in (the page, "A
# refund", step 2): direct, peer on the direct, see-point, peer on the see-point,
# differential nearest first; a distribution's levels nearest first. Each reward carries
# its place in that order.
_DIRECT, _PEER_DIRECT, _SEE, _PEER_SEE, _DIFF = range(5)

LEDGER_FIELDS = (
    "available",
    "frozen",
    "pending",
    "debt",
    "withdrawn",
    "withdrawal_fees",
    "tax_withheld",
    "refunds",
    "refunded",
    "clawed_back",
    "capped",
    "orders",
    "spent",
)


def _fen_of_yuan(yuan):
    """Yuan (int, str, Decimal; a float by its shortest repr) to integer fen, exactly."""
    text = repr(yuan) if isinstance(yuan, float) else str(yuan).strip()
    fen = Decimal(text) * 100
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise ValueError(f"{yuan!r} yuan is not a whole number of fen")
    return int(fen)


def _round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def simulate_settlement_reference(plan, events, *, withdraw_every=None, close_last_day=True):
    """Run ``plan`` over ``events`` with its settlement rules; return ``(members, totals)``.

    ``events`` holds join tuples ``(member, sponsor_or_None, day)``, order tuples
    ``(member, day)``, `Refund` and `Withdrawal`. ``members`` maps each label, in join
    order, to its ledger fields (`LEDGER_FIELDS`, the kinds, ``net`` and the structure);
    ``totals`` holds the platform's figures. Raises ValueError naming the event index for
    a bad event (before running) or a withdrawal above the available balance.
    ``close_last_day=False`` stops before the end of the last day (its pool split and
    withdrawal policy): the balances an event appended on that day would find.
    """
    return _Reference(plan, withdraw_every).run(list(events), close_last_day)


class _Reference:
    def __init__(self, plan, withdraw_every):
        if isinstance(plan, LiandongPlan):
            self.liandong = True
            self.kinds = LIANDONG_KINDS
            f = _Fen(plan)
            self.f = f
            self.price = f.package_price
            self.peer_rate = Fraction(plan.peer_rate)
            self.freeze_rate = Fraction(plan.freeze_rate)
            self.entitlement = {
                MEMBER: 0,
                AGENT: 0,
                V1: f.differential[0],
                V2: f.differential[1],
                V3: f.differential[2],
            }
        elif isinstance(plan, DistributionPlan):
            self.liandong = False
            self.kinds = DISTRIBUTION_KINDS
            self.price = _yuan_to_fen(plan.price)
            self.levels = [math.floor(Fraction(r) * self.price) for r in plan.rates]
            self.freeze_rate = Fraction(0)
        elif isinstance(plan, RefundPlan):
            # 推三返一: the only reward, floor(refund_rate × price) once to a member whose
            # recruits reach recruits_required, at the end of that recruit's join; here a
            # reward of that join's order (reversed if the join is refunded)
            self.liandong = False
            self.kinds = REFUND_KINDS
            self.price = _yuan_to_fen(plan.price)
            self.levels = []
            self.refund_reward = math.floor(Fraction(plan.refund_rate) * self.price)
            self.freeze_rate = Fraction(0)
        else:
            raise TypeError(f"no reference for {type(plan).__name__}")
        self.breakage = dict.fromkeys(
            ("differential", "peer_on_direct", "peer_on_see_point", "level", "cap"), 0
        )
        self.plan = plan
        s = plan.settlement
        self.frozen_days = s.frozen_days
        self.minimum = _yuan_to_fen(s.withdrawal_minimum)
        self.fee_rate = Fraction(s.withdrawal_fee_rate)
        pool = s.withdrawal_fee_pool
        self.fee_pool = None if pool is None else ("V1", "V2", "V3").index(pool)
        self.cap_day = None if s.cap_per_day is None else _yuan_to_fen(s.cap_per_day)
        self.cap_month = None if s.cap_per_month is None else _yuan_to_fen(s.cap_per_month)
        self.clawback = s.clawback
        self.income_tax = plan.tax.income_tax
        self.tax_rate = Fraction(plan.tax.income_tax_rate)
        self.withdraw_every = withdraw_every

        self.joined = []  # labels in join order: the ledger's rows
        self.acct = {}  # label → its ledger fields
        self.earned = {k: {} for k in self.kinds}
        self.sponsor, self.parent, self.rank, self.recruits, self.slid = {}, {}, {}, {}, {}
        self.children, self.positions, self.qualified = {}, {}, {}
        self.sub_orders, self.best = {}, {}
        self.pools = [0, 0, 0]
        self.lots = []  # pending money, oldest first: dicts member, due, amount, open
        self.credited_day = defaultdict(int)  # (member, day) → credited from orders
        self.credited_month = defaultdict(int)  # (member, month) → the same
        self.withdrawn_month = defaultdict(int)  # (member, month) → withdrawn, gross
        self.orders = {}  # event index → what the order did (for its refund)
        self.daily = {}  # day → refunds, refunded, withdrawn (the page's new daily columns)
        self.t = dict.fromkeys(
            (
                "received",  # net of refunds
                "packages",  # net of refunds
                "identity",
                "retained",
                "released",
                "refunds",
                "refunded",
                "absorbed",
                "orders",  # net of refunds
                "repurchases",  # net of refunds
                "on_joins",
                "on_repurchases",
            ),
            0,
        )

    # -- the money of one member ----------------------------------------------------------

    def make_available(self, x, amount):
        # The page, "Crediting a reward" step 4: an amount that becomes available first
        # repays the member's debt.
        a = self.acct[x]
        repaid = min(amount, a["debt"])
        a["debt"] -= repaid
        a["available"] += amount - repaid

    def credit(self, x, kind, due, freezable, day, record, place):
        """Credit a reward of ``due`` fen of an order to ``x``; return the amount credited."""
        a = self.acct[x]
        credited = due
        if self.cap_day is not None:
            credited = min(credited, self.cap_day - self.credited_day[x, day])
        if self.cap_month is not None:
            credited = min(credited, self.cap_month - self.credited_month[x, day // MONTH_DAYS])
        assert credited >= 0
        self.credited_day[x, day] += credited
        self.credited_month[x, day // MONTH_DAYS] += credited
        excess = due - credited
        a["capped"] += excess
        self.breakage["cap"] += excess
        record["breakage"]["cap"] += excess
        self.earned[kind][x] += credited
        f = math.floor(self.freeze_rate * credited) if freezable and not self.qualified[x] else 0
        a["frozen"] += f
        lot = None
        if self.frozen_days > 0:
            lot = {"member": x, "due": day + self.frozen_days, "amount": credited - f}
            lot["open"] = True
            self.lots.append(lot)
            a["pending"] += credited - f
        else:
            self.make_available(x, credited - f)
        record["rewards"].append(
            {
                "member": x,
                "kind": kind,
                "credited": credited,
                "frozen": f,
                "lot": lot,
                "excess": excess,
                "place": place,
            }
        )
        return credited

    def mature(self, day):
        # Before the first event of a day: every pending amount due by that day becomes
        # available, oldest first.
        for lot in self.lots:
            if lot["open"] and lot["due"] <= day:
                lot["open"] = False
                self.acct[lot["member"]]["pending"] -= lot["amount"]
                self.make_available(lot["member"], lot["amount"])
        self.lots = [lot for lot in self.lots if lot["open"]]

    # -- the structure (the spec, as reference_liandong reads it) -------------------------

    def ancestors(self, x):
        y = self.parent[x]
        while y is not None:
            yield y
            y = self.parent[y]

    def join(self, j, s):
        self.joined.append(j)
        self.acct[j] = dict.fromkeys(LEDGER_FIELDS, 0)
        for k in self.kinds:
            self.earned[k][j] = 0
        self.sponsor[j] = s
        self.rank[j], self.recruits[j], self.slid[j] = MEMBER, 0, False
        self.qualified[j] = not self.liandong  # no help fund: qualified throughout
        self.children[j], self.positions[j] = [], []
        self.sub_orders[j], self.best[j] = 0, MEMBER
        self.parent[j] = s
        if s is None:
            return
        self.recruits[s] += 1
        self.positions[s].append(j)
        if self.liandong and self.recruits[s] <= self.plan.slide_positions:
            for u in self.ancestors(s):
                if self.rank[u] >= AGENT:
                    self.parent[j] = u
                    self.slid[j] = True
                    break
        self.children[self.parent[j]].append(j)

    def legs(self, x, at_least):
        return sum(1 for c in self.children[x] if self.best[c] >= at_least)

    def can_upgrade(self, x):
        r, plan = self.rank[x], self.plan
        if r == MEMBER:
            return self.recruits[x] >= plan.agent_recruits
        if r == AGENT:
            return len(self.children[x]) >= plan.legs_required
        if r == V1:
            return self.legs(x, V1) >= plan.legs_required
        if r == V2:
            return self.legs(x, V2) >= plan.legs_required
        return False

    def upgrades(self, start):
        changed = []
        todo = list(start)
        while todo:
            x = todo.pop()
            while self.can_upgrade(x):
                self.rank[x] += 1
                changed.append(x)
                if self.rank[x] >= V1:
                    cost = self.f.upgrade_price[self.rank[x] - V1]
                    self.acct[x]["spent"] += cost
                    self.t["received"] += cost
                    self.t["identity"] += cost
                    self.t["retained"] += cost
                self.best[x] = max(self.best[x], self.rank[x])
                for a in self.ancestors(x):
                    self.best[a] = max(self.best[a], self.rank[x])
                todo.extend(self.ancestors(x))
        return changed

    def check_qualified(self, m):
        if self.qualified[m] or len(self.positions[m]) < 2:
            return
        p1, p2 = self.positions[m][0], self.positions[m][1]
        if self.rank[p1] < AGENT or self.rank[p2] < AGENT:
            return
        if self.sub_orders[p1] + self.sub_orders[p2] < self.plan.unlock_orders:
            return
        self.qualified[m] = True
        released = self.acct[m]["frozen"]
        self.acct[m]["frozen"] = 0
        self.t["released"] += released
        # a help-fund release becomes available at once (not pending), debt first
        self.make_available(m, released)

    # -- one order ------------------------------------------------------------------------

    def order(self, t, b, day, is_join):
        price = self.price
        record = {
            "buyer": b,
            "price": price,
            "is_join": is_join,
            "rewards": [],
            "pools": (0, 0, 0),
            "breakage": defaultdict(int),
        }
        self.orders[t] = record
        self.t["received"] += price
        self.t["packages"] += price
        self.t["orders"] += 1
        self.t["repurchases"] += not is_join
        self.acct[b]["spent"] += price
        self.acct[b]["orders"] += 1
        out = (
            self.liandong_order(b, day, record)
            if self.liandong
            else self.levels_order(b, day, record)
        )
        self.t["retained"] += price - out
        self.t["on_joins" if is_join else "on_repurchases"] += out
        record["out"] = out

    def liandong_order(self, b, day, record):
        # Credited in the order the page says an order pays its rewards ("A refund", step
        # 2: direct, peer on the direct, see-point, peer on the see-point, differential
        # nearest first), which decides who gets the room a cap leaves. The spec lists the
        # peer rewards after the differential; without a cap the order changes nothing.
        # Peer rewards are on the rewards as due, whatever a cap did to them.
        f = self.f
        out = 0
        s = self.sponsor[b]
        if s is not None:
            direct = f.direct_member if self.rank[s] == MEMBER else f.direct_agent
            out += self.credit(s, "direct", direct, True, day, record, (_DIRECT,))
            out += self.peer(s, direct, "peer_on_direct", day, record, (_PEER_DIRECT,))
        if self.slid[b]:
            p = self.parent[b]
            out += self.credit(p, "see_point", f.see_point, False, day, record, (_SEE,))
            out += self.peer(p, f.see_point, "peer_on_see_point", day, record, (_PEER_SEE,))
        paid = 0
        for i, a in enumerate(self.ancestors(b)):
            e = self.entitlement[self.rank[a]]
            if e > paid:
                out += self.credit(a, "differential", e - paid, False, day, record, (_DIFF, i))
                paid = e
        self.breakage["differential"] += f.differential[2] - paid
        record["breakage"]["differential"] += f.differential[2] - paid
        for k in range(3):
            self.pools[k] += f.pool_contribution[k]
            out += f.pool_contribution[k]
        record["pools"] = tuple(f.pool_contribution)
        for a in self.ancestors(b):
            self.sub_orders[a] += 1
        return out

    def peer(self, earner, amount, key, day, record, place):
        reward = math.floor(self.peer_rate * amount)
        for a in self.ancestors(earner):
            if self.rank[a] >= self.rank[earner]:
                return self.credit(a, "peer", reward, True, day, record, place)
        self.breakage[key] += reward
        record["breakage"][key] += reward
        return 0

    def levels_order(self, b, day, record):
        out = 0
        y = self.sponsor[b]
        for level, amount in enumerate(self.levels):
            if y is None:
                # the chain ends at a root: this level and every one above pay no one
                self.breakage["level"] += amount
                record["breakage"]["level"] += amount
                continue
            kind = "direct" if level == 0 else "indirect"
            out += self.credit(y, kind, amount, False, day, record, (level,))
            y = self.sponsor[y]
        return out

    def recruit_three_refund_one(self, t, s, day):
        if s is None or self.recruits[s] != self.plan.recruits_required:
            return
        record = self.orders[t]
        paid = self.credit(s, "refund", self.refund_reward, False, day, record, (0,))
        record["out"] += paid
        self.t["retained"] -= paid
        self.t["on_joins"] += paid

    # -- settlement events ----------------------------------------------------------------

    def refund(self, o):
        record = self.orders[o]
        b, price = record["buyer"], record["price"]
        # 1. the buyer is paid back
        self.acct[b]["refunds"] += 1
        self.acct[b]["refunded"] += price
        self.acct[b]["spent"] -= price
        self.acct[b]["orders"] -= 1
        self.t["refunds"] += 1
        self.t["refunded"] += price
        self.day["refunds"] += 1
        self.day["refunded"] += price
        self.t["received"] -= price
        self.t["packages"] -= price
        self.t["orders"] -= 1
        self.t["repurchases"] -= not record["is_join"]
        self.t["retained"] -= price
        back = 0  # what returns to the platform (debts owed to it included)
        # 2. every reward reversed, in the page's order, from where its money is now
        for r in sorted(record["rewards"], key=lambda r: r["place"]):
            x, a = r["member"], self.acct[r["member"]]
            credited, f = r["credited"], r["frozen"]
            taken, from_available = 0, 0
            if f:
                if not self.qualified[x]:
                    a["frozen"] -= f
                    taken += f
                else:
                    from_available += f  # it was released
            lot = r["lot"]
            if lot is not None and lot["open"]:
                lot["open"] = False
                a["pending"] -= lot["amount"]
                taken += lot["amount"]
            else:
                from_available += credited - f
            covered = min(from_available, a["available"])
            a["available"] -= covered
            taken += covered
            shortfall = from_available - covered
            if self.clawback == "debt":
                a["debt"] += shortfall
                lost = credited
                back += taken + shortfall
            else:
                self.t["absorbed"] += shortfall
                lost = credited - shortfall
                back += taken
            self.earned[r["kind"]][x] -= lost
            a["clawed_back"] += lost
            # 4. the cap excess of this order is no longer breakage
            a["capped"] -= r["excess"]
        self.lots = [lot for lot in self.lots if lot["open"]]
        # 3. pool contributions taken back up to each pool's balance
        for k, c in enumerate(record["pools"]):
            took = min(c, self.pools[k])
            self.pools[k] -= took
            back += took
            self.t["absorbed"] += c - took
        # 4. breakage of the order is no longer breakage: the whole price went back
        for kind, amount in record["breakage"].items():
            self.breakage[kind] -= amount
        self.t["retained"] += back
        self.t["on_joins" if record["is_join"] else "on_repurchases"] -= back

    def withdraw(self, x, w, day, where):
        a = self.acct[x]
        if w > a["available"]:
            raise ValueError(
                f"{where}: withdrawal of {Decimal(w) / 100} yuan by member {x!r} is more than "
                f"its available balance {Decimal(a['available']) / 100}"
            )
        fee = math.floor(self.fee_rate * w)
        month = (x, day // MONTH_DAYS)
        if self.income_tax == "labour_remuneration":
            # one member's withdrawals in one month are one payment: T(W + w) − T(W)
            before = self.withdrawn_month[month]
            tax = labour_withholding(before + w) - labour_withholding(before)
        elif self.income_tax == "flat":
            tax = _round_half_up(self.tax_rate * w)
        else:
            tax = 0
        self.withdrawn_month[month] += w
        a["available"] -= w
        a["withdrawn"] += w
        a["withdrawal_fees"] += fee
        a["tax_withheld"] += tax
        if self.fee_pool is None:
            self.t["retained"] += fee
        else:  # the fee joins a dividend pool, split among its holders at the day's end
            self.pools[self.fee_pool] += fee
        self.day["withdrawn"] += w

    def split_pools(self):
        if not self.liandong:
            return
        for k in range(3):
            if self.plan.pool_share == "exact":
                holders = [m for m in self.joined if self.rank[m] == V1 + k]
            else:
                holders = [m for m in self.joined if self.rank[m] >= V1 + k]
            if holders:
                share = self.pools[k] // len(holders)
                for m in holders:
                    self.earned["pool"][m] += share
                    self.make_available(m, share)  # not pending, not capped, debt first
                self.pools[k] -= share * len(holders)

    def policy(self, day):
        k = self.withdraw_every
        if k is None or day % k != k - 1:
            return
        for m in self.joined:
            have = self.acct[m]["available"]
            if have > 0 and have >= self.minimum:
                self.withdraw(m, have, day, f"day {day}")

    # -- checks ---------------------------------------------------------------------------

    def conserved(self, where):
        total = defaultdict(int)
        for m in self.joined:
            a = self.acct[m]
            earned = sum(self.earned[k][m] for k in self.kinds)
            held = a["pending"] + a["frozen"] + a["available"] + a["withdrawn"] - a["debt"]
            assert earned == held, (where, m, earned, held)
            assert min(a[c] for c in LEDGER_FIELDS) >= 0, (where, m, a)
            for c in LEDGER_FIELDS:
                total[c] += a[c]
        open_lots = defaultdict(int)
        for lot in self.lots:
            open_lots[lot["member"]] += lot["amount"]
        assert all(open_lots[m] == self.acct[m]["pending"] for m in self.joined), where
        right = self.t["retained"] + total["available"] + total["frozen"] + total["pending"]
        right += sum(self.pools) + total["withdrawn"] - total["withdrawal_fees"] - total["debt"]
        assert self.t["received"] == right, (where, self.t["received"], right)
        assert min(self.pools) >= 0, where

    def validate(self, events):
        # Refused before anything runs, naming the event index (the page, "Events").
        joined, refunded = set(), {}
        for i, ev in enumerate(events):
            if isinstance(ev, Refund):
                o = ev.order
                if not (isinstance(o, int) and 0 <= o < i):
                    raise ValueError(
                        f"event {i}: refund of event {o}, which is not an earlier event"
                    )
                if isinstance(events[o], Refund | Withdrawal):
                    raise ValueError(
                        f"event {i}: refund of event {o}, which is not a join or an order"
                    )
                if o in refunded:
                    raise ValueError(
                        f"event {i}: refund of event {o}, already refunded at event {refunded[o]}"
                    )
                refunded[o] = i
            elif isinstance(ev, Withdrawal):
                if ev.member not in joined:
                    raise ValueError(
                        f"event {i}: withdrawal by member {ev.member!r}, who has not joined"
                    )
                try:
                    w = _fen_of_yuan(ev.amount)
                except ValueError as exc:
                    raise ValueError(f"event {i}: {exc}") from None
                if w <= 0:
                    raise ValueError(f"event {i}: withdrawal of {ev.amount} yuan: not more than 0")
                if w < self.minimum:
                    raise ValueError(
                        f"event {i}: withdrawal of {ev.amount} yuan: below the minimum"
                    )
            elif len(ev) == 3:
                joined.add(ev[0])

    # -- the run --------------------------------------------------------------------------

    def run(self, events, close_last_day):
        self.validate(events)
        for i, ev in enumerate(events):
            day = ev[-1]
            if i == 0 or events[i - 1][-1] != day:
                self.mature(day)
                self.day = self.daily[day] = dict.fromkeys(("refunds", "refunded", "withdrawn"), 0)
            if isinstance(ev, Refund):
                self.refund(ev.order)
            elif isinstance(ev, Withdrawal):
                self.withdraw(ev.member, _fen_of_yuan(ev.amount), day, f"event {i}")
            elif len(ev) == 3:
                j, s, _ = ev
                self.join(j, s)
                self.order(i, j, day, True)
                if isinstance(self.plan, RefundPlan):
                    self.recruit_three_refund_one(i, s, day)
                if self.liandong:
                    start = [x for x in (s, self.parent[j]) if x is not None]
                    changed = self.upgrades(start)
                    candidates = {self.sponsor[x] for x in changed}
                    candidates |= {self.sponsor[a] for a in self.ancestors(j)}
                    for m in candidates:
                        if m is not None:
                            self.check_qualified(m)
            else:
                b, _ = ev
                self.order(i, b, day, False)
                if self.liandong:
                    for m in {self.sponsor[a] for a in self.ancestors(b)}:
                        if m is not None:
                            self.check_qualified(m)
            self.conserved(f"event {i}")
            last = i == len(events) - 1
            if (last and close_last_day) or (not last and events[i + 1][-1] != day):
                self.split_pools()
                self.policy(day)
                self.conserved(f"end of day {day}")
        return self.result()

    def result(self):
        members = {}
        for m in self.joined:
            a = self.acct[m]
            row = {
                "rank": self.rank[m],
                "sponsor": self.sponsor[m],
                "parent": self.parent[m],
                "recruits": self.recruits[m],
                "slid": self.slid[m],
                "qualified": self.qualified[m],
                **a,
                **{k: self.earned[k][m] for k in self.kinds},
            }
            row["net"] = (
                a["available"]
                + a["frozen"]
                + a["pending"]
                + a["withdrawn"]
                - a["withdrawal_fees"]
                - a["tax_withheld"]
                - a["debt"]
                - a["spent"]
            )
            members[m] = row
        sums = {c: sum(self.acct[m][c] for m in self.joined) for c in LEDGER_FIELDS}
        payouts = {k: sum(self.earned[k].values()) for k in self.kinds}
        totals = {
            **self.t,
            "available": sums["available"],
            "frozen": sums["frozen"],
            "pending": sums["pending"],
            "debt": sums["debt"],
            "withdrawn": sums["withdrawn"],
            "withdrawal_fees": sums["withdrawal_fees"],
            "tax_withheld": sums["tax_withheld"],
            "clawed_back": sums["clawed_back"],
            "members": len(self.joined),
            "payouts": payouts,
            "paid": sum(payouts.values()),
            "breakage_by": dict(self.breakage),
            "breakage": sum(self.breakage.values()),
            "pools": tuple(self.pools),
            "daily": self.daily,
        }
        return members, totals
