"""The compiled loop of the plan simulation (numba, cached to disk).

Everything here works on integer arrays prepared by `bizmodels.plans.events` and
`bizmodels.plans.simulate`; labels, validation and result objects stay in Python.

Two passes over the event stream:

1. `structure` (joins only): placement, slide, positions and every rank change. Ranks
   depend on sponsorship and placement alone, never on money or repurchases, so the whole
   rank timeline is known before any reward is paid. That is what makes the money pass
   fast: "nearest ancestor of rank ≥ r at event t" becomes a search over *fixed* values
   ``RT[r]`` (the event after which a member holds rank ≥ r), answered in O(log depth)
   with skew-binary jump pointers and the minimum of ``RT[r]`` over each jump.
2. `run_money`: every order's rewards, identity packages, help-fund freeze and release,
   daily pool splits, the daily series, and conservation after every event.

Cost per event (``d`` = depth of the buyer in the placement tree): each "nearest ancestor
with rank ≥ r" query is O(log d) (slide, two peer rewards, at most three differential
steps). Help-fund order counts are kept only up to ``unlock_orders`` (``U``): an ancestor
whose count has reached ``U`` has only ancestors at ``U`` too, so the walk stops there and
costs O(U) per member over a whole run. Legs (children whose subtree holds a V1+ / V2+)
are counted when a member's "highest rank in subtree" rises, at most twice per member.
So a run costs O(events × log depth + members × U), never O(events × depth).

Member rows are in join order, so a member's placement parent and sponsor have smaller
rows: one loop in row order visits parents before children.

Memory: everything per member lives in two tables, ``tree`` (16 int32 columns) and
``money`` (8 int64 columns), and a column serves a different purpose once the phase that
needed it is over (see the column constants): pass 1 keeps its scratch in the money table,
pass 2 the help fund's pairs in the depth column, and `finish` turns the tables into the
ledger's columns in place. Besides them a run allocates only the ledger columns that fit
in neither table (``net``, ``rank``, ``slid``, ``qualified``), and buffers sized for the
worst case that only the part used makes resident (the upgrades, pass 1's walk stack).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

_F = TypeVar("_F", bound=Callable[..., Any])


def _jit(fn: _F) -> _F:
    # Typed wrapper: mypy sees the Python function, numba compiles it once and caches the
    # machine code next to this file (or in numba's user cache when that is read-only).
    return cast(_F, numba.njit(cache=True, nogil=True)(fn))


Array = Any
"""A numpy array as numba sees it (element types are given where the arrays are made)."""

JOIN = 0
ORDER = 1
NEVER = 2**31 - 1
"""Event index meaning "never" in the int32 timelines."""

# Ranks (as `Rank`).
MEMBER, AGENT, V1, V2, V3 = 0, 1, 2, 3, 4

# Columns of the int32 member table ``tree`` (one 64-byte row per member, so the fields
# an order reads of one member share a cache line). Columns 0, 2, 3, 4..7, 12 and 14 keep
# their meaning to the end (`bizmodels.plans.explain` reads them); the others are reused
# once the phase that needs them is over, as said for each.
PARENT = 0  # placement parent, -1 for a root
JUMP = 1  # skew-binary jump pointer: an ancestor (the member itself for a root)
SPONSOR = 2  # -1 for a root
POS = 3  # position k (k-号位) among the sponsor's recruits, 0 for a root
RT = 4  # 4..7: event after which rank ≥ AGENT, V1, V2, V3 holds (NEVER if never)
JM = 8  # 8..11: min of RT[r] over the jump segment (parent .. jump], NEVER if empty
SLID = 12  # 1 if slid (滑落) to the sponsor's upline
CNT = 13  # orders by strict placement descendants, capped at unlock_orders
QUAL = 14  # event at whose end the member qualified (help fund), NEVER if not, -1: always
DEPTH = 15  # placement depth, 0 for a root
TREE_COLUMNS = 16
# Pass 2 does not use DEPTH: it holds the partner of a member in position 1 or 2 (the
# other of the sponsor's positions 1 and 2, -1 if none), which is all the help-fund rule
# needs; `finish` puts the depths back.
PARTNER = DEPTH
# After the run (`finish`): the jump pointer and the counts give way to ledger columns.
RECRUITS = JUMP  # members who named this one as sponsor
ORDERS = CNT  # packages bought: the join and each repurchase
JOIN_EVENT = 8  # 8..9 as one int64: index of the join event
JOIN_DAY = 10  # 10..11 as one int64: its day

# Columns of the int64 money table (fen), as the ledger reads them after the run.
AVAIL = 0
FROZEN = 1
SPENT = 2
K0 = 3  # 3..7: earned by kind; the plan decides the kinds (see Plan.kinds)
MONEY_COLUMNS = 8
# Until `finish`, AVAIL holds what the help fund released on qualifying (available is
# earnings less frozen, and spent is packages and identity packages: `finish` works both
# out), and SPENT the member's recruits, counted by pass 1. Pass 1 uses the other columns,
# zero at the start, as scratch; `between_passes` clears them.
RELEASED = AVAIL
R_RECRUITS = SPENT
S_RANK = 0  # rank so far
S_SUBMAX = 1  # highest rank in the subtree, member included (≤ V2)
S_CHILDREN = 3  # placement children
S_LEGS = 4  # 4..5: children whose subtree holds V1+, V2+
S_FIRST = 6  # the member's position-1 recruit
S_PARTNER = 7  # for a member in position 1 or 2: the other one, -1 if none yet
K_DIRECT, K_SEE, K_DIFF, K_PEER, K_POOL = 0, 1, 2, 3, 4  # liandong's kinds
K_INDIRECT = 1  # distribution: level 2 and up
K_REFUND = 0  # 推三返一

# Plan parameters (int64 vector ``prm``).
P_KIND = 0  # 0 liandong, 1 distribution, 2 recruit-three-refund-one
P_PRICE = 1
P_DIRECT_M = 2
P_DIRECT_A = 3
P_SEE = 4
P_ENT = 5  # 5..7 differential entitlements of V1..V3
P_POOL = 8  # 8..10
P_UPG = 11  # 11..13
P_PEER_NUM = 14
P_PEER_DEN = 15
P_FREEZE_NUM = 16
P_FREEZE_DEN = 17
P_UNLOCK = 18
P_EXACT = 19  # 1: pool Vk split among rank exactly Vk; 0: rank Vk and above
P_REQUIRED = 20  # 推三返一: recruits that trigger the refund
P_REFUND = 21  # 推三返一: refund, fen
P_LEVELS = 22  # distribution: number of levels
P_LEVEL = 23  # 23..: distribution: reward of each level, fen
PLAN_LIANDONG, PLAN_DISTRIBUTION, PLAN_REFUND = 0, 1, 2

# Platform totals (int64 vector ``tot``, fen unless a count).
T_RECEIVED = 0
T_PACKAGES = 1
T_IDENTITY = 2
T_RETAINED = 3
T_AVAIL = 4
T_FROZEN = 5
T_RELEASED = 6
T_POOL = 7  # 7..9 pool balances
T_CUM = 10  # 10..12 dividend per holder so far, per pool
T_HOLD = 13  # 13..15 holders per pool
T_PAY = 16  # 16..20 paid by kind slot (frozen parts included)
T_BRK_DIFF = 21  # differential no one was entitled to
T_BRK_PEER_DIRECT = 22  # peer reward on a direct reward with no same-rank upline
T_BRK_PEER_SEE = 23  # peer reward on a see-point reward with no same-rank upline
T_BRK_LEVEL = 24  # distribution: level reward with no sponsor at that level
T_ORDERS = 25
T_JOINS = 26
T_ON_JOINS = 27  # rewards of join orders, pool contributions included
T_ON_REPURCHASES = 28  # rewards of repurchase orders, pool contributions included
T_QUALIFIED = 29  # members who qualified for the help fund during the run
TOTAL_COLUMNS = 30

# Daily series (int64 table, one row per distinct day).
D_DAY = 0
D_JOINS = 1
D_MEMBERS = 2
D_ORDERS = 3
D_RECEIVED = 4
D_PAYOUTS = 5
D_BREAKAGE = 6
D_FROZEN = 7
D_POOL = 8  # 8..10 pool balances after the split
D_DIVIDEND = 11  # 11..13 dividend per holder
D_HOLDERS = 14  # 14..16
D_RETAINED = 17
DAILY_COLUMNS = 18

# Failure codes in ``status[0]`` (the event index is in ``status[1]``).
OK = 0
E_CONSERVATION = 1
E_AGENT_TIME = 2
E_FINAL = 3


@_jit
def _nearest(tree: Array, x: int, t: int, c: int) -> int:
    """Nearest strict ancestor of ``x`` holding rank ≥ AGENT + c when event ``t`` starts.

    Skip a whole jump when no member in it qualifies (its RT minimum is ≥ t), otherwise
    step to the parent: the skew-binary jumps make it O(log depth).
    """
    y = x
    while True:
        p = tree[y, PARENT]
        if p < 0:
            return -1
        if tree[y, JM + c] >= t:
            y = tree[y, JUMP]
        else:
            if tree[p, RT + c] < t:
                return int(p)
            y = p


@_jit
def _rank(tree: Array, x: int, t: int) -> int:
    """Rank of ``x`` in force when event ``t`` starts."""
    r = 0
    while r < 4 and tree[x, RT + r] < t:
        r += 1
    return r


@_jit
def _link(tree: Array, x: int, p: int) -> None:
    # Myers' skew-binary jump pointers: a new leaf jumps twice as far as its parent's jump
    # when the parent's two previous jumps are of equal length, else to its parent.
    tree[x, PARENT] = p
    if p < 0:
        tree[x, JUMP] = x
        tree[x, DEPTH] = 0
        return
    tree[x, DEPTH] = tree[p, DEPTH] + 1
    jp = tree[p, JUMP]
    jjp = tree[jp, JUMP]
    if tree[p, DEPTH] - tree[jp, DEPTH] == tree[jp, DEPTH] - tree[jjp, DEPTH]:
        tree[x, JUMP] = jjp
    else:
        tree[x, JUMP] = p


@_jit
def _fill_jm(tree: Array, x: int, c: int) -> None:
    p = tree[x, PARENT]
    if p < 0:
        tree[x, JM + c] = NEVER
    elif tree[x, JUMP] == p:
        tree[x, JM + c] = tree[p, RT + c]
    else:
        # (x, jump] = p, then p's jump segment, then that jump's segment.
        jp = tree[p, JUMP]
        tree[x, JM + c] = min(tree[p, RT + c], tree[p, JM + c], tree[jp, JM + c])


@_jit
def init_tree(tree: Array, n: int) -> None:
    """Fill a fresh member table: no rank, nothing placed, not qualified."""
    for x in range(n):
        for c in range(TREE_COLUMNS):
            tree[x, c] = 0
        for c in range(4):
            tree[x, RT + c] = NEVER
            tree[x, JM + c] = NEVER
        tree[x, PARENT] = -1
        tree[x, SPONSOR] = -1
        tree[x, QUAL] = NEVER


@_jit
def structure(
    kind: Array,
    member: Array,
    sponsor: Array,
    slide_positions: int,
    agent_recruits: int,
    legs_required: int,
    tree: Array,
    money: Array,
    upg_t: Array,
    upg_x: Array,
    upg_r: Array,
    status: Array,
) -> int:
    """Pass 1 of the 链动2+1 plan: placement, slide and the rank timeline.

    Fills ``tree`` (PARENT, JUMP, SPONSOR, POS, RT, JM + 0, SLID, DEPTH), each member's
    recruits in ``money``'s R_RECRUITS, and the upgrades in event order (``upg_t``,
    ``upg_x``, ``upg_r``); uses the rest of the all-zero ``money`` as scratch (the S_
    columns), which `between_passes` clears. Returns the number of upgrades.
    """
    n_events = kind.shape[0]
    # Positions, recruits and AGENT depend on sponsorship alone, so the AGENT timeline is
    # known up front; the slide queries below search it while the tree grows.
    for t in range(n_events):
        if kind[t] == JOIN:
            s = sponsor[t]
            if s >= 0:
                money[s, R_RECRUITS] += 1
                k = money[s, R_RECRUITS]
                j = member[t]
                tree[j, POS] = k
                if k == agent_recruits:
                    tree[s, RT] = t
                if k == 1:
                    money[s, S_FIRST] = j
                    money[j, S_PARTNER] = -1
                elif k == 2:
                    f = money[s, S_FIRST]
                    money[j, S_PARTNER] = f
                    money[f, S_PARTNER] = j
    stack = np.empty(2 * tree.shape[0] + 4, np.int32)
    n_upg = 0
    for t in range(n_events):
        if kind[t] != JOIN:
            continue
        j = member[t]
        s = sponsor[t]
        tree[j, SPONSOR] = s
        p = -1
        if s >= 0:
            p = s
            if tree[j, POS] <= slide_positions:
                u = _nearest(tree, s, t, 0)
                if u >= 0:
                    p = u
                    tree[j, SLID] = 1
        _link(tree, j, p)
        _fill_jm(tree, j, 0)
        # Upgrades after the order: the sponsor (AGENT), the new parent (V1), and whoever
        # gains a qualifying leg, until nothing changes.
        top = 0
        if p >= 0:
            money[p, S_CHILDREN] += 1
            stack[top] = p
            top += 1
        if s >= 0 and s != p:
            stack[top] = s
            top += 1
        while top > 0:
            top -= 1
            x = stack[top]
            while True:
                r = money[x, S_RANK]
                if r == MEMBER:
                    # recruits by now ≥ agent_recruits: the AGENT timeline says when
                    ok = tree[x, RT] <= t
                elif r == AGENT:
                    ok = money[x, S_CHILDREN] >= legs_required
                elif r == V1:
                    ok = money[x, S_LEGS] >= legs_required
                elif r == V2:
                    ok = money[x, S_LEGS + 1] >= legs_required
                else:
                    ok = False
                if not ok:
                    break
                r += 1
                money[x, S_RANK] = r
                upg_t[n_upg] = t
                upg_x[n_upg] = x
                upg_r[n_upg] = r
                n_upg += 1
                if r == AGENT:
                    if tree[x, RT] != t:
                        status[0] = E_AGENT_TIME
                        status[1] = t
                        return n_upg
                    continue
                tree[x, RT + r - 1] = t
                # Legs only ask for V1+ and V2+: a V3 changes no one's legs.
                rr = min(r, V2)
                if money[x, S_SUBMAX] >= rr:
                    continue
                old = money[x, S_SUBMAX]
                money[x, S_SUBMAX] = rr
                y = x
                while True:
                    q = tree[y, PARENT]
                    if q < 0:
                        break
                    if old < V1:
                        money[q, S_LEGS] += 1
                    if rr == V2:
                        money[q, S_LEGS + 1] += 1
                    stack[top] = q
                    top += 1
                    if money[q, S_SUBMAX] >= rr:
                        break
                    old = money[q, S_SUBMAX]
                    money[q, S_SUBMAX] = rr
                    y = q
    return n_upg


@_jit
def between_passes(tree: Array, money: Array) -> None:
    """Between the passes of the 链动2+1 plan: ready both tables for pass 2.

    Fills the jump-segment minima of the V1..V3 timelines, known once pass 1 is done;
    moves the partner of each member in position 1 or 2 to PARTNER (over DEPTH); clears
    pass 1's scratch, keeping R_RECRUITS.
    """
    for x in range(tree.shape[0]):
        for c in range(1, 4):
            _fill_jm(tree, x, c)
        pos = tree[x, POS]
        tree[x, PARTNER] = money[x, S_PARTNER] if pos == 1 or pos == 2 else -1
        for c in range(MONEY_COLUMNS):
            if c != R_RECRUITS:
                money[x, c] = 0


@_jit
def sponsor_structure(
    kind: Array, member: Array, sponsor: Array, tree: Array, money: Array
) -> None:
    """Pass 1 of the plans paid up the sponsor tree: placement is sponsorship.

    Counts each member's recruits in ``money``'s R_RECRUITS, as `structure` does.
    """
    for t in range(kind.shape[0]):
        if kind[t] != JOIN:
            continue
        j = member[t]
        s = sponsor[t]
        tree[j, SPONSOR] = s
        tree[j, QUAL] = -1  # no help fund: nothing is ever frozen
        if s >= 0:
            money[s, R_RECRUITS] += 1
            tree[j, POS] = money[s, R_RECRUITS]
        _link(tree, j, s)


@_jit
def _credit(money: Array, tot: Array, x: int, slot: int, amount: int, frozen: int) -> int:
    # A member's available balance is its earnings less its frozen part: `finish` sums it.
    money[x, K0 + slot] += amount
    money[x, FROZEN] += frozen
    tot[T_AVAIL] += amount - frozen
    tot[T_FROZEN] += frozen
    tot[T_PAY + slot] += amount
    return amount


@_jit
def _freeze(tree: Array, prm: Array, x: int, amount: int, t: int) -> int:
    # Help fund (帮扶基金): a share of direct and peer rewards of an unqualified member.
    if tree[x, QUAL] < t:
        return 0
    return int(amount * prm[P_FREEZE_NUM] // prm[P_FREEZE_DEN])


@_jit
def _peer_recipient(tree: Array, earner: int, t: int) -> int:
    # Peer (平级奖): nearest ancestor of the earner whose rank is at least the earner's.
    r = _rank(tree, earner, t)
    if r == MEMBER:
        return int(tree[earner, PARENT])
    return _nearest(tree, earner, t, r - 1)


@_jit
def _order_liandong(tree: Array, money: Array, tot: Array, prm: Array, b: int, t: int) -> int:
    """Rewards of one order by ``b``; returns what they paid, pools included."""
    paid = 0
    s = tree[b, SPONSOR]
    if s >= 0:
        amount = prm[P_DIRECT_M] if _rank(tree, s, t) == MEMBER else prm[P_DIRECT_A]
        paid += _credit(money, tot, s, K_DIRECT, amount, _freeze(tree, prm, s, amount, t))
        reward = amount * prm[P_PEER_NUM] // prm[P_PEER_DEN]
        q = _peer_recipient(tree, s, t)
        if q >= 0:
            paid += _credit(money, tot, q, K_PEER, reward, _freeze(tree, prm, q, reward, t))
        else:
            tot[T_BRK_PEER_DIRECT] += reward
    if tree[b, SLID] == 1:
        p = tree[b, PARENT]
        paid += _credit(money, tot, p, K_SEE, prm[P_SEE], 0)
        reward = prm[P_SEE] * prm[P_PEER_NUM] // prm[P_PEER_DEN]
        q = _peer_recipient(tree, p, t)
        if q >= 0:
            paid += _credit(money, tot, q, K_PEER, reward, _freeze(tree, prm, q, reward, t))
        else:
            tot[T_BRK_PEER_SEE] += reward
    # Differential (极差): only an ancestor entitled to more than is paid so far gets
    # anything, and entitlements grow with rank, so jump to the nearest such rank.
    given = 0
    y = b
    while True:
        need = -1
        for r in range(V1, V3 + 1):
            if prm[P_ENT + r - V1] > given:
                need = r
                break
        if need < 0:
            break
        a = _nearest(tree, y, t, need - 1)
        if a < 0:
            break
        e = prm[P_ENT + _rank(tree, a, t) - V1]
        paid += _credit(money, tot, a, K_DIFF, e - given, 0)
        given = e
        y = a
    tot[T_BRK_DIFF] += prm[P_ENT + 2] - given
    for k in range(3):
        tot[T_POOL + k] += prm[P_POOL + k]
        paid += prm[P_POOL + k]
    return paid


@_jit
def _order_distribution(tree: Array, money: Array, tot: Array, prm: Array, b: int) -> int:
    paid = 0
    y = tree[b, SPONSOR]
    for level in range(prm[P_LEVELS]):
        amount = prm[P_LEVEL + level]
        if y < 0:
            tot[T_BRK_LEVEL] += amount
            continue
        paid += _credit(money, tot, y, K_DIRECT if level == 0 else K_INDIRECT, amount, 0)
        y = tree[y, SPONSOR]
    return paid


@_jit
def _qualify(tree: Array, money: Array, tot: Array, p1: int, t: int, unlock: int) -> None:
    # Help fund: the sponsor of ``p1`` (in position 1 or 2) qualifies when positions 1 and
    # 2 are both AGENT+ and enough orders are under them.
    m = tree[p1, SPONSOR]
    if m < 0 or tree[m, QUAL] != NEVER:
        return
    p2 = tree[p1, PARTNER]
    if p2 < 0 or tree[p1, RT] > t or tree[p2, RT] > t:
        return
    if tree[p1, CNT] + tree[p2, CNT] < unlock:
        return
    tree[m, QUAL] = t
    f = money[m, FROZEN]
    money[m, FROZEN] = 0
    money[m, RELEASED] = f
    tot[T_FROZEN] -= f
    tot[T_AVAIL] += f
    tot[T_RELEASED] += f
    tot[T_QUALIFIED] += 1


@_jit
def run_money(
    kind: Array,
    member: Array,
    day: Array,
    tree: Array,
    upg_t: Array,
    upg_x: Array,
    upg_r: Array,
    n_upg: int,
    prm: Array,
    money: Array,
    tot: Array,
    daily: Array,
    status: Array,
) -> None:
    """Pass 2: every order's rewards, upgrades, help fund, daily pools, conservation.

    Leaves each member's spending, the pool shares of the final holders and the available
    balances to `finish`.
    """
    n_events = kind.shape[0]
    plan = prm[P_KIND]
    price = prm[P_PRICE]
    unlock = prm[P_UNLOCK]
    exact = prm[P_EXACT] == 1
    u = 0
    d = 0
    members = 0
    start_joins = 0
    start_orders = 0
    start_received = 0
    start_paid = 0
    start_breakage = 0
    for t in range(n_events):
        b = member[t]
        tot[T_RECEIVED] += price
        tot[T_PACKAGES] += price
        tot[T_ORDERS] += 1
        if kind[t] == JOIN:
            tot[T_JOINS] += 1
            members += 1
        if plan == PLAN_LIANDONG:
            paid = _order_liandong(tree, money, tot, prm, b, t)
        elif plan == PLAN_DISTRIBUTION:
            paid = _order_distribution(tree, money, tot, prm, b)
        else:
            paid = 0
            s = tree[b, SPONSOR]
            if kind[t] == JOIN and s >= 0:
                tree[s, CNT] += 1
                if tree[s, CNT] == prm[P_REQUIRED]:
                    paid = _credit(money, tot, s, K_REFUND, prm[P_REFUND], 0)
        tot[T_RETAINED] += price - paid
        # Which kind of event triggered the rewards: recruitment dependence in a summary.
        if kind[t] == JOIN:
            tot[T_ON_JOINS] += paid
        else:
            tot[T_ON_REPURCHASES] += paid
        # Upgrades caused by this event, with their identity packages (身份礼包).
        while u < n_upg and upg_t[u] == t:
            x = upg_x[u]
            r = upg_r[u]
            u += 1
            if r == AGENT:
                if tree[x, POS] == 1 or tree[x, POS] == 2:
                    _qualify(tree, money, tot, x, t, unlock)
                continue
            k = r - V1
            cost = prm[P_UPG + k]
            tot[T_RECEIVED] += cost
            tot[T_IDENTITY] += cost
            tot[T_RETAINED] += cost
            # Pool shares are paid lazily: a holder's dividends are the growth of the
            # pool's per-holder total while it holds the pool.
            if exact and r > V1:
                tot[T_HOLD + k - 1] -= 1
                money[x, K0 + K_POOL] += tot[T_CUM + k - 1]
            tot[T_HOLD + k] += 1
            money[x, K0 + K_POOL] -= tot[T_CUM + k]
        if plan == PLAN_LIANDONG:
            # Orders under positions 1 and 2, counted up to the threshold only.
            y = tree[b, PARENT]
            while y >= 0 and tree[y, CNT] < unlock:
                tree[y, CNT] += 1
                if tree[y, POS] == 1 or tree[y, POS] == 2:
                    _qualify(tree, money, tot, y, t, unlock)
                y = tree[y, PARENT]
        if t == n_events - 1 or day[t + 1] != day[t]:
            for k in range(3):
                h = tot[T_HOLD + k]
                per = 0
                if h > 0:
                    per = tot[T_POOL + k] // h
                    tot[T_CUM + k] += per
                    tot[T_POOL + k] -= per * h
                    tot[T_AVAIL] += per * h
                    tot[T_PAY + K_POOL] += per * h
                daily[d, D_DIVIDEND + k] = per
                daily[d, D_POOL + k] = tot[T_POOL + k]
                daily[d, D_HOLDERS + k] = h
            paid_all = 0
            for k in range(5):
                paid_all += tot[T_PAY + k]
            breakage = tot[T_BRK_DIFF] + tot[T_BRK_PEER_DIRECT] + tot[T_BRK_PEER_SEE]
            breakage += tot[T_BRK_LEVEL]
            daily[d, D_DAY] = day[t]
            daily[d, D_JOINS] = tot[T_JOINS] - start_joins
            daily[d, D_MEMBERS] = members
            daily[d, D_ORDERS] = tot[T_ORDERS] - start_orders
            daily[d, D_RECEIVED] = tot[T_RECEIVED] - start_received
            daily[d, D_PAYOUTS] = paid_all - start_paid
            daily[d, D_BREAKAGE] = breakage - start_breakage
            daily[d, D_FROZEN] = tot[T_FROZEN]
            daily[d, D_RETAINED] = tot[T_RETAINED]
            start_joins = tot[T_JOINS]
            start_orders = tot[T_ORDERS]
            start_received = tot[T_RECEIVED]
            start_paid = paid_all
            start_breakage = breakage
            d += 1
        pools = tot[T_POOL] + tot[T_POOL + 1] + tot[T_POOL + 2]
        if tot[T_RECEIVED] != tot[T_RETAINED] + tot[T_AVAIL] + tot[T_FROZEN] + pools:
            status[0] = E_CONSERVATION
            status[1] = t
            return


@_jit
def finish(
    kind: Array,
    member: Array,
    day: Array,
    tree: Array,
    prm: Array,
    money: Array,
    tot: Array,
    net: Array,
    rank: Array,
    slid: Array,
    qualified: Array,
    join_event: Array,
    join_day: Array,
    rel_rows: Array,
    rel_amounts: Array,
    status: Array,
) -> None:
    """After pass 2: the ledger's columns, in the tables where they can be.

    Puts back DEPTH; moves the recruits to RECRUITS and counts ORDERS in the tree; fills
    ``join_event`` and ``join_day`` (views of the tree's JOIN_EVENT and JOIN_DAY); pays out
    the lazily kept pool shares; moves each help-fund release out of the money table (to
    ``rel_rows``, ``rel_amounts``: the members who qualified during the run, in row order);
    works out each member's AVAIL (earnings less frozen) and SPENT (packages and identity
    packages: ranks only rise, one at a time); fills ``net``, ``rank``, ``slid`` and
    ``qualified``. Checks every member against the totals.
    """
    n = tree.shape[0]
    n_events = kind.shape[0]
    for x in range(n):
        p = tree[x, PARENT]
        tree[x, DEPTH] = 0 if p < 0 else tree[p, DEPTH] + 1  # parents have smaller rows
        tree[x, RECRUITS] = money[x, R_RECRUITS]
        tree[x, ORDERS] = 0
    for t in range(n_events):
        b = member[t]
        tree[b, ORDERS] += 1
        if kind[t] == JOIN:
            join_event[b] = t
            join_day[b] = day[t]
    exact = prm[P_EXACT] == 1
    price = prm[P_PRICE]
    avail = 0
    frozen = 0
    pool = 0
    spent = 0
    q = 0
    for x in range(n):
        r = _rank(tree, x, NEVER - 1)
        rank[x] = r
        cost = tree[x, ORDERS] * price
        for k in range(3):
            if r >= V1 + k:
                cost += prm[P_UPG + k]
                if not exact or r == V1 + k:
                    money[x, K0 + K_POOL] += tot[T_CUM + k]
        money[x, SPENT] = cost
        when = tree[x, QUAL]
        if when >= 0 and when != NEVER:
            rel_rows[q] = x
            rel_amounts[q] = money[x, RELEASED]
            q += 1
        earned = 0
        for c in range(MONEY_COLUMNS - K0):
            earned += money[x, K0 + c]
        a = earned - money[x, FROZEN]
        money[x, AVAIL] = a
        net[x] = earned - cost
        avail += a
        frozen += money[x, FROZEN]
        pool += money[x, K0 + K_POOL]
        spent += cost
        slid[x] = tree[x, SLID] == 1
        qualified[x] = when != NEVER
    if (
        q != tot[T_QUALIFIED]
        or spent != tot[T_RECEIVED]
        or avail != tot[T_AVAIL]
        or frozen != tot[T_FROZEN]
        or pool != tot[T_PAY + K_POOL]
    ):
        status[0] = E_FINAL
        status[1] = n_events - 1


AUDIT_HIGH = 0  # 0..7: sum of each money column's values shifted right by 32 bits
AUDIT_LOW = MONEY_COLUMNS  # 8..15: sum of their low 32 bits
AUDIT_MIN = 2 * MONEY_COLUMNS  # 16..23: smallest value of each money column
AUDIT_SPONSORED = 3 * MONEY_COLUMNS  # orders by members with a sponsor
AUDIT_SLID = AUDIT_SPONSORED + 1  # orders by slid members
AUDIT_COLUMNS = AUDIT_SLID + 1


@_jit
def audit(tree: Array, money: Array, out: Array) -> None:
    """One pass over the finished tables for `simulation._audit`, which checks in Python.

    A column's sum is kept as two sums, of the high and of the low 32 bits of each value:
    with at most 2^31 − 2 members neither can overflow, whatever the values, so the exact
    sum ``(high << 32) + low`` shows an overflow elsewhere instead of sharing it.
    """
    for c in range(MONEY_COLUMNS):
        out[AUDIT_HIGH + c] = 0
        out[AUDIT_LOW + c] = 0
        out[AUDIT_MIN + c] = 0
    out[AUDIT_SPONSORED] = 0
    out[AUDIT_SLID] = 0
    for x in range(money.shape[0]):
        for c in range(MONEY_COLUMNS):
            v = money[x, c]
            out[AUDIT_HIGH + c] += v >> 32
            out[AUDIT_LOW + c] += v & 0xFFFFFFFF
            if v < out[AUDIT_MIN + c]:
                out[AUDIT_MIN + c] = v
        orders = tree[x, ORDERS]
        if tree[x, SPONSOR] >= 0:
            out[AUDIT_SPONSORED] += orders
        if tree[x, SLID] == 1:
            out[AUDIT_SLID] += orders


@_jit
def ancestor_touch(member: Array, tree: Array) -> int:
    """The floor: visit every placement ancestor of every event's buyer once.

    Returns the number of ancestors visited (the sum of the buyers' depths), which the
    benchmark compares with the engine's own time.
    """
    total = 0
    for t in range(member.shape[0]):
        y = tree[member[t], PARENT]
        while y >= 0:
            total += 1
            y = tree[y, PARENT]
    return total
