"""A plain reference of the 链动2+1 spec (specs/liandong-2plus1.md), for tests only.

Written from the spec's text, not from the engine: dicts keyed by label, ancestors walked
one by one, legs recounted from the children each time, pools split by listing the
holders every day. Slow on purpose: O(depth) per order and more.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

MEMBER, AGENT, V1, V2, V3 = range(5)
KINDS = ("direct", "see_point", "differential", "peer", "pool")


def simulate_reference(plan, events):
    """Run the plan over ``events`` (tuples) and return ``(members, totals)``.

    ``members`` maps each label to a dict of its ledger fields; ``totals`` holds the
    platform's totals. Asserts conservation after every event.
    """
    # Amounts and rates straight from the plan's fields (not from its `fen`): yuan to fen
    # exactly, and floor(rate × amount) with the rate as the exact fraction it is.
    f = _Fen(plan)
    peer_rate = Fraction(plan.peer_rate)
    freeze_rate = Fraction(plan.freeze_rate)
    entitlement = {
        MEMBER: 0,
        AGENT: 0,
        V1: f.differential[0],
        V2: f.differential[1],
        V3: f.differential[2],
    }

    order_of_join = []
    sponsor, parent, rank, recruits, slid = {}, {}, {}, {}, {}
    children, positions, qualified = {}, {}, {}
    spent, available, frozen = {}, {}, {}
    earned = {k: {} for k in KINDS}
    sub_orders = {}  # orders placed by strict placement descendants
    best = {}  # highest rank in the subtree, the member included
    pools = [0, 0, 0]
    t = {
        "received": 0,
        "packages": 0,
        "identity": 0,
        "retained": 0,
        "released": 0,
        "available": 0,
        "frozen": 0,
        "on_joins": 0,  # what join orders paid out, pool contributions included
        "on_repurchases": 0,
    }
    breakage = {"differential": 0, "peer_on_direct": 0, "peer_on_see_point": 0}

    def ancestors(x):
        y = parent[x]
        while y is not None:
            yield y
            y = parent[y]

    def pay(x, kind, amount, freezable):
        earned[kind][x] += amount
        part = math.floor(freeze_rate * amount) if freezable and not qualified[x] else 0
        frozen[x] += part
        available[x] += amount - part
        t["frozen"] += part
        t["available"] += amount - part
        return amount

    def peer(earner, amount, key):
        # nearest ancestor of the earner whose rank is at least the earner's
        reward = math.floor(peer_rate * amount)
        for a in ancestors(earner):
            if rank[a] >= rank[earner]:
                return pay(a, "peer", reward, True)
        breakage[key] += reward
        return 0

    def order(b):
        price = f.package_price
        t["received"] += price
        t["packages"] += price
        spent[b] += price
        out = 0
        s = sponsor[b]
        if s is not None:
            amount = f.direct_member if rank[s] == MEMBER else f.direct_agent
            out += pay(s, "direct", amount, True)
        if slid[b]:
            out += pay(parent[b], "see_point", f.see_point, False)
        paid = 0
        for a in ancestors(b):
            e = entitlement[rank[a]]
            if e > paid:
                out += pay(a, "differential", e - paid, False)
                paid = e
        breakage["differential"] += f.differential[2] - paid
        if s is not None:
            out += peer(s, amount, "peer_on_direct")
        if slid[b]:
            out += peer(parent[b], f.see_point, "peer_on_see_point")
        for k in range(3):
            pools[k] += f.pool_contribution[k]
            out += f.pool_contribution[k]
        t["retained"] += price - out
        for a in ancestors(b):
            sub_orders[a] += 1
        return out

    def legs(x, at_least):
        return sum(1 for c in children[x] if best[c] >= at_least)

    def can_upgrade(x):
        r = rank[x]
        if r == MEMBER:
            return recruits[x] >= plan.agent_recruits
        if r == AGENT:
            return len(children[x]) >= plan.legs_required
        if r == V1:
            return legs(x, V1) >= plan.legs_required
        if r == V2:
            return legs(x, V2) >= plan.legs_required
        return False

    def upgrades(start):
        changed = []
        todo = list(start)
        while todo:
            x = todo.pop()
            while can_upgrade(x):
                rank[x] += 1
                changed.append(x)
                if rank[x] >= V1:
                    cost = f.upgrade_price[rank[x] - V1]
                    spent[x] += cost
                    t["received"] += cost
                    t["identity"] += cost
                    t["retained"] += cost
                best[x] = max(best[x], rank[x])
                for a in ancestors(x):
                    best[a] = max(best[a], rank[x])
                todo.extend(ancestors(x))
        return changed

    def check_qualified(m):
        if qualified[m] or len(positions[m]) < 2:
            return
        p1, p2 = positions[m][0], positions[m][1]
        if rank[p1] < AGENT or rank[p2] < AGENT:
            return
        if sub_orders[p1] + sub_orders[p2] < plan.unlock_orders:
            return
        qualified[m] = True
        t["released"] += frozen[m]
        t["frozen"] -= frozen[m]
        t["available"] += frozen[m]
        available[m] += frozen[m]
        frozen[m] = 0

    def split_pools():
        for k in range(3):
            if plan.pool_share == "exact":
                holders = [m for m in order_of_join if rank[m] == V1 + k]
            else:
                holders = [m for m in order_of_join if rank[m] >= V1 + k]
            if holders:
                share = pools[k] // len(holders)
                for m in holders:
                    earned["pool"][m] += share
                    available[m] += share
                    t["available"] += share
                pools[k] -= share * len(holders)

    def conserved():
        members_money = t["available"] + t["frozen"]
        assert t["received"] == t["retained"] + members_money + sum(pools)

    events = list(events)
    for i, ev in enumerate(events):
        if len(ev) == 3:
            j, s, _ = ev
            order_of_join.append(j)
            sponsor[j] = s
            rank[j], recruits[j], slid[j], qualified[j] = MEMBER, 0, False, False
            children[j], positions[j] = [], []
            spent[j] = available[j] = frozen[j] = sub_orders[j] = 0
            best[j] = MEMBER
            for k in KINDS:
                earned[k][j] = 0
            parent[j] = None
            if s is not None:
                recruits[s] += 1
                positions[s].append(j)
                parent[j] = s
                if recruits[s] <= plan.slide_positions:
                    for u in ancestors(s):
                        if rank[u] >= AGENT:
                            parent[j] = u
                            slid[j] = True
                            break
                children[parent[j]].append(j)
            t["on_joins"] += order(j)
            start = [x for x in (s, parent[j]) if x is not None]
            changed = upgrades(start)
            candidates = {sponsor[x] for x in changed}
            candidates |= {sponsor[a] for a in ancestors(j)}
        else:
            b, _ = ev
            t["on_repurchases"] += order(b)
            candidates = {sponsor[a] for a in ancestors(b)}
        for m in candidates:
            if m is not None:
                check_qualified(m)
        if i == len(events) - 1 or events[i + 1][-1] != ev[-1]:
            split_pools()
        conserved()

    assert t["available"] == sum(available.values())
    assert t["frozen"] == sum(frozen.values())
    members = {}
    for m in order_of_join:
        members[m] = {
            "rank": rank[m],
            "sponsor": sponsor[m],
            "parent": parent[m],
            "recruits": recruits[m],
            "slid": slid[m],
            "qualified": qualified[m],
            "spent": spent[m],
            **{k: earned[k][m] for k in KINDS},
            "available": available[m],
            "frozen": frozen[m],
            "net": available[m] + frozen[m] - spent[m],
        }
    totals = {
        **t,
        "payouts": {k: sum(earned[k].values()) for k in KINDS},
        "breakage": breakage,
        "pools": tuple(pools),
    }
    return members, totals


def _yuan_to_fen(yuan):
    fen = Decimal(yuan) * 100
    assert fen == fen.to_integral_value(), yuan
    return int(fen)


class _Fen:
    def __init__(self, plan):
        for name in ("package_price", "direct_member", "direct_agent", "see_point"):
            setattr(self, name, _yuan_to_fen(getattr(plan, name)))
        for name in ("differential", "pool_contribution", "upgrade_price"):
            setattr(self, name, tuple(_yuan_to_fen(x) for x in getattr(plan, name)))
