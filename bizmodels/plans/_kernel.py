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

from bizmodels.tax import apply_rate, labour_withholding

_F = TypeVar("_F", bound=Callable[..., Any])


def _jit(fn: _F) -> _F:
    # Typed wrapper: mypy sees the Python function, numba compiles it once and caches the
    # machine code next to this file (or in numba's user cache when that is read-only).
    return cast(_F, numba.njit(cache=True, nogil=True)(fn))


def _inline(fn: _F) -> _F:
    # For the small helpers an order calls for every reward: inlined into the caller, so
    # that no call passes (and reference-counts) the tables they read.
    return cast(_F, numba.njit(cache=True, nogil=True, inline="always")(fn))


Array = Any
"""A numpy array as numba sees it (element types are given where the arrays are made)."""

JOIN = 0
ORDER = 1
REFUND_EVENT = 2
WITHDRAWAL_EVENT = 3
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
# Settlement (docs/concepts/settlement-rules.md); all zero (or "none") when it is off.
P_SETTLE = 23  # 1: the settlement path runs (a rule is on, or the stream settles)
P_FROZEN_DAYS = 24
P_CAP_DAY = 25  # fen, -1 for no cap
P_CAP_MONTH = 26  # fen, -1 for no cap
P_ABSORB = 27  # 1: the platform absorbs a clawback's shortfall; 0: the member owes it
P_WFEE_NUM = 28
P_WFEE_DEN = 29
P_WMIN = 30  # fen
P_WEVERY = 31  # the withdrawal policy: every k days, 0 for none
P_IIT = 32  # income tax withheld: IIT_NONE, IIT_LABOUR or IIT_FLAT
P_IIT_NUM = 33
P_IIT_DEN = 34
P_WFEE_POOL = 35  # the pool (0..2) the withdrawal fees go to, -1: the platform keeps them
P_LEVEL = 36  # 36..: distribution: reward of each level, fen
PLAN_LIANDONG, PLAN_DISTRIBUTION, PLAN_REFUND = 0, 1, 2
IIT_NONE, IIT_LABOUR, IIT_FLAT = 0, 1, 2
MONTH_DAYS = 30
"""Days of a settlement month (caps per month, one month's withdrawals one payment)."""
CREDITS_PER_ORDER = 7
"""Most rewards one 链动2+1 order credits: direct, see-point, two peer, three differential
(a distribution plan credits at most one per level)."""

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
T_PENDING = 30  # rewards credited, not yet withdrawable (frozen days)
T_DEBT = 31  # clawed back, not held: owed by members
T_WITHDRAWN = 32  # gross
T_WFEES = 33  # withdrawal fees (kept by the platform, in T_RETAINED)
T_TAXW = 34  # income tax withheld at withdrawal
T_REFUNDS = 35  # count
T_REFUNDED = 36  # paid back to buyers
T_CLAWED = 37  # rewards reversed by refunds
T_ABSORBED = 38  # what refunds could not take back and the platform bore
T_BRK_CAP = 39  # rewards beyond a cap
T_REF_JOINS = 40  # count of refunded joins
TOTAL_COLUMNS = 41

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
D_REFUNDS = 18
D_REFUNDED = 19
D_WITHDRAWN = 20
DAILY_COLUMNS = 21

# Columns of the int64 settlement table ``st`` (one row per member, zero at the start,
# only when the settlement path runs; a single dummy row otherwise). A member's available
# balance is not kept: it is worked out when asked (`_available`), from its earnings, the
# help fund, pending, withdrawn and debt, so that crediting a reward touches no more of
# memory than without the settlement. The columns a credit may touch come first.
S_CAPD = 0  # daily cap: (day + 1) << 32 | credited that day
S_CAPM = 1  # monthly cap: (month + 1) << 32 | credited that month
S_CAPPED = 2  # beyond a cap
S_PEND = 3
S_LASTQ = 4  # its newest entry in the pending queue, plus 1 (0: none)
S_DEBT = 5
S_WDR = 6  # withdrawn, gross
S_FEE = 7
S_TAX = 8
S_CLAW = 9  # clawed back
S_REFD = 10  # paid back to it as a buyer
S_NREF = 11  # its orders refunded
S_TMON = 12  # (month + 1) of the withdrawals taxed as one payment
S_TMONW = 13
S_COLUMNS = 14
CAP_STAMP = 32
"""Bits of a cap counter below its day (or month) stamp: a count is at most 10^8 fen."""

# The settlement's scalar state ``sv``.
SV_QHEAD = 0  # first pending queue entry not yet matured
SV_QTAIL = 1
SV_LOG = 2  # credit log entries written
SV_NDIRTY = 3
SV_MARK = 4  # header row of the order being paid when it will be refunded, else -1
SV_NHOLD = 5  # members listed as V1 or above (pool holders, for the policy)
SV_TRACE = 6  # the event whose settlement is traced for `explain`, -1 for none
SV_TRACED = 7  # trace rows written
SV_TRACE_AT = 8  # the first trace row in ``cl``
SV_NDUE = 9  # rewards the order being paid owes, in ``due``
SV_COLUMNS = 10

# Pending queue ``q`` (rows in the order they mature) and credit log ``cl`` (the rewards
# of orders that a refund will reverse), int64 tables.
Q_X, Q_AMOUNT, Q_DUE = 0, 1, 2
Q_COLUMNS = 3
C_X, C_SLOT, C_AMOUNT, C_FROZEN, C_ENTRY, C_CAPPED = 0, 1, 2, 3, 4, 5
C_COLUMNS = 8
# After the log, ``cl`` holds TRACE_ROWS rows tracing one event for `explain`: a type
# (TR_*), the member (or pool), the kind slot (or amount), then the figures (see each).
TRACE_ROWS = 128
TR_CREDIT = 1  # x, slot, due, credited, frozen, pending, repaid debt
TR_CLAW = 2  # x, slot, reversed, from frozen, from pending, from available, shortfall
TR_POOL = 3  # pool k, contribution, taken back
TR_WITHDRAW = 4  # x, amount, fee, tax
# Header ``hdr`` of each order a refund will reverse: its log entries and its breakage.
H_START, H_COUNT, H_BRK = 0, 1, 2  # H_BRK..H_BRK+3: differential, peer×2, level
H_COLUMNS = 6

# Failure codes in ``status[0]`` (the event index is in ``status[1]``).
OK = 0
E_CONSERVATION = 1
E_AGENT_TIME = 2
E_FINAL = 3
E_WITHDRAW = 4  # a withdrawal above the available balance (status[2]: the balance)
E_NEGATIVE = 5  # a withdrawal's fee and tax above the amount


_labour = numba.njit(cache=True, nogil=True)(labour_withholding)
_apply_rate = numba.njit(cache=True, nogil=True, inline="always")(apply_rate)


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


@_inline
def _freeze(tree: Array, prm: Array, x: int, amount: int, t: int) -> int:
    # Help fund (帮扶基金): a share of direct and peer rewards of an unqualified member.
    if tree[x, QUAL] < t:
        return 0
    return int(amount * prm[P_FREEZE_NUM] // prm[P_FREEZE_DEN])


@_inline
def _trace(
    cl: Array, sv: Array, t: int, kind: int, a: int, b: int, c: int, d: int, e: int, f: int, g: int
) -> None:
    # One row of the trace of event t, when t is the event `explain` asks about.
    if sv[SV_TRACE] != t or sv[SV_TRACED] >= TRACE_ROWS:
        return
    i = sv[SV_TRACE_AT] + sv[SV_TRACED]
    sv[SV_TRACED] += 1
    cl[i, 0] = kind
    cl[i, 1] = a
    cl[i, 2] = b
    cl[i, 3] = c
    cl[i, 4] = d
    cl[i, 5] = e
    cl[i, 6] = f
    cl[i, 7] = g


@_inline
def _mark(prm: Array, dirty: Array, sv: Array, x: int) -> None:
    # List a member whose available balance grew, for the withdrawal policy. ``dirty``
    # holds the list in its first half and, in its second, whether each member is listed.
    if prm[P_WEVERY] > 0:
        n = dirty.shape[0] // 2
        if dirty[n + x] == 0:
            dirty[n + x] = 1
            dirty[sv[SV_NDIRTY]] = x
            sv[SV_NDIRTY] += 1


@_inline
def _available(tree: Array, money: Array, tot: Array, prm: Array, st: Array, x: int, t: int) -> int:
    # earnings (pool dividends so far included) = pending + frozen + available + withdrawn
    # − debt, so the balance follows from the others
    e = _pool_earned(tree, money, tot, prm, x, t)
    for c in range(MONEY_COLUMNS - K0):
        if c != K_POOL:
            e += money[x, K0 + c]
    return int(e - money[x, FROZEN] - st[x, S_PEND] - st[x, S_WDR] + st[x, S_DEBT])


@_inline
def _settled(tree: Array, money: Array, tot: Array, prm: Array, st: Array, x: int, t: int) -> int:
    # The member's available balance once what reached it since its debt arose has repaid
    # the debt first (the rules repay on arrival; repaying when the balance is next looked
    # at leaves every balance the same).
    return _repay(st, tot, x, _available(tree, money, tot, prm, st, x, t))


@_inline
def _repay(st: Array, tot: Array, x: int, a: int) -> int:
    # A balance of ``a`` fen once it has repaid what member x owes, as far as it goes.
    d = st[x, S_DEBT]
    if d > 0 and a > 0:
        r = min(a, d)
        st[x, S_DEBT] = d - r
        tot[T_DEBT] -= r
        tot[T_AVAIL] -= r
        a -= r
    return a


@_jit
def _repaid(
    tree: Array, money: Array, tot: Array, prm: Array, st: Array, x: int, t: int, v: int
) -> int:
    # The event `explain` asks about: repay the recipient's debt now (the same in the end
    # as repaying it later), to say how much of a reward of ``v`` fen went to it. Not
    # inlined: it runs for one event of a run.
    _settled(tree, money, tot, prm, st, x, t)
    return int(min(v, st[x, S_DEBT]))


@_inline
def _credit(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    st: Array,
    q: Array,
    cl: Array,
    sv: Array,
    dirty: Array,
    x: int,
    slot: int,
    amount: int,
    freezable: bool,
    t: int,
    day: int,
    tracing: bool,
    logging: bool,
) -> int:
    """Credit a reward an order owes ``x``, with the settlement; returns what was credited.

    Caps, the help fund's part, frozen days, the log of an order a refund will reverse, and
    the trace for `explain` (without the settlement `_pay` credits a reward alone).
    """
    capped = 0
    due = amount
    if prm[P_CAP_DAY] >= 0 or prm[P_CAP_MONTH] >= 0:
        allowed = amount
        low = (1 << CAP_STAMP) - 1
        day_stamp = (day + 1) << CAP_STAMP
        month_stamp = (day // MONTH_DAYS + 1) << CAP_STAMP
        if prm[P_CAP_DAY] >= 0:
            so_far = st[x, S_CAPD] & low if st[x, S_CAPD] >> CAP_STAMP == day + 1 else 0
            allowed = min(allowed, prm[P_CAP_DAY] - so_far)
        if prm[P_CAP_MONTH] >= 0:
            this = day // MONTH_DAYS + 1
            month_so_far = st[x, S_CAPM] & low if st[x, S_CAPM] >> CAP_STAMP == this else 0
            allowed = min(allowed, prm[P_CAP_MONTH] - month_so_far)
        allowed = max(allowed, 0)
        capped = amount - allowed
        amount = allowed
        if prm[P_CAP_DAY] >= 0:
            st[x, S_CAPD] = day_stamp | (so_far + amount)
        if prm[P_CAP_MONTH] >= 0:
            st[x, S_CAPM] = month_stamp | (month_so_far + amount)
        if capped:
            st[x, S_CAPPED] += capped
            tot[T_BRK_CAP] += capped
    frozen = _freeze(tree, prm, x, amount, t) if freezable else 0
    repaid = 0
    if tracing and prm[P_FROZEN_DAYS] == 0:
        repaid = _repaid(tree, money, tot, prm, st, x, t, amount - frozen)
    # A member's available balance is its earnings less its frozen part: `finish` sums it.
    money[x, K0 + slot] += amount
    money[x, FROZEN] += frozen
    tot[T_FROZEN] += frozen
    tot[T_PAY + slot] += amount
    rest = amount - frozen
    entry = -1
    pending = 0
    if prm[P_FROZEN_DAYS] > 0 and rest > 0:
        matures = day + prm[P_FROZEN_DAYS]
        entry = st[x, S_LASTQ] - 1
        if entry < sv[SV_QHEAD] or q[entry, Q_DUE] != matures:
            entry = sv[SV_QTAIL]
            sv[SV_QTAIL] += 1
            q[entry, Q_X] = x
            q[entry, Q_AMOUNT] = 0
            q[entry, Q_DUE] = matures
            st[x, S_LASTQ] = entry + 1
        q[entry, Q_AMOUNT] += rest
        st[x, S_PEND] += rest
        tot[T_PENDING] += rest
        pending = rest
    elif rest > 0:
        tot[T_AVAIL] += rest
        if repaid:
            st[x, S_DEBT] -= repaid
            tot[T_DEBT] -= repaid
            tot[T_AVAIL] -= repaid
        _mark(prm, dirty, sv, x)
    # ``tracing`` and ``logging`` come from the loop as plain flags: checked here through
    # the state vector, they cost the loop a third of its speed
    if tracing:
        _trace(cl, sv, t, TR_CREDIT, x, slot, due, amount, frozen, pending, repaid)
    if logging:
        i = sv[SV_LOG]
        sv[SV_LOG] += 1
        cl[i, C_X] = x
        cl[i, C_SLOT] = slot
        cl[i, C_AMOUNT] = amount
        cl[i, C_FROZEN] = frozen
        cl[i, C_ENTRY] = entry
        cl[i, C_CAPPED] = capped
    return amount


@_inline
def _peer_recipient(tree: Array, earner: int, t: int) -> int:
    # Peer (平级奖): nearest ancestor of the earner whose rank is at least the earner's.
    r = _rank(tree, earner, t)
    if r == MEMBER:
        return int(tree[earner, PARENT])
    return _nearest(tree, earner, t, r - 1)


@_inline
def _pay(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    due: Array,
    sv: Array,
    x: int,
    slot: int,
    amount: int,
    freezable: bool,
    t: int,
    settle: bool,
) -> int:
    """One reward of an order: credited at once by the spec's rules, or owed.

    With the settlement (``settle``, a compile-time constant) the reward is owed in
    ``due`` and `_credit` credits everything the order owes after its rules have decided
    it (recipients and amounts depend on ranks, never on money), from one place in the
    compiled loop: one copy of the settlement's crediting rules, not one per kind of
    reward, which keeps the loop small and fast. Returns what was credited now.
    """
    if settle:
        i = sv[SV_NDUE]
        sv[SV_NDUE] += 1
        due[i, 0] = x
        due[i, 1] = slot
        due[i, 2] = amount
        due[i, 3] = 1 if freezable else 0
        return 0
    frozen = _freeze(tree, prm, x, amount, t) if freezable else 0
    # A member's available balance is its earnings less its frozen part: `finish` sums it.
    money[x, K0 + slot] += amount
    money[x, FROZEN] += frozen
    tot[T_FROZEN] += frozen
    tot[T_PAY + slot] += amount
    tot[T_AVAIL] += amount - frozen
    return amount


@_inline
def _order_liandong(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    due: Array,
    sv: Array,
    b: int,
    t: int,
    settle: bool,
) -> int:
    """Rewards of one order by ``b``; returns what they paid, pools included.

    With the settlement, the rewards are owed (`_pay`) and credited after the order.
    """
    paid = 0
    s = tree[b, SPONSOR]
    if s >= 0:
        amount = prm[P_DIRECT_M] if _rank(tree, s, t) == MEMBER else prm[P_DIRECT_A]
        paid += _pay(tree, money, tot, prm, due, sv, s, K_DIRECT, amount, True, t, settle)
        # the peer reward is on the direct reward as due, whatever a cap credited
        reward = amount * prm[P_PEER_NUM] // prm[P_PEER_DEN]
        r = _peer_recipient(tree, s, t)
        if r >= 0:
            paid += _pay(tree, money, tot, prm, due, sv, r, K_PEER, reward, True, t, settle)
        else:
            tot[T_BRK_PEER_DIRECT] += reward
    if tree[b, SLID] == 1:
        p = tree[b, PARENT]
        paid += _pay(tree, money, tot, prm, due, sv, p, K_SEE, prm[P_SEE], False, t, settle)
        reward = prm[P_SEE] * prm[P_PEER_NUM] // prm[P_PEER_DEN]
        r = _peer_recipient(tree, p, t)
        if r >= 0:
            paid += _pay(tree, money, tot, prm, due, sv, r, K_PEER, reward, True, t, settle)
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
        paid += _pay(tree, money, tot, prm, due, sv, a, K_DIFF, e - given, False, t, settle)
        given = e
        y = a
    tot[T_BRK_DIFF] += prm[P_ENT + 2] - given
    for k in range(3):
        tot[T_POOL + k] += prm[P_POOL + k]
        paid += prm[P_POOL + k]
    return paid


@_inline
def _order_distribution(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    due: Array,
    sv: Array,
    b: int,
    t: int,
    settle: bool,
) -> int:
    paid = 0
    y = tree[b, SPONSOR]
    for level in range(prm[P_LEVELS]):
        amount = prm[P_LEVEL + level]
        if y < 0:
            tot[T_BRK_LEVEL] += amount
            continue
        slot = K_DIRECT if level == 0 else K_INDIRECT
        paid += _pay(tree, money, tot, prm, due, sv, y, slot, amount, False, t, settle)
        y = tree[y, SPONSOR]
    return paid


@_inline
def _qualify(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    st: Array,
    sv: Array,
    dirty: Array,
    p1: int,
    t: int,
    unlock: int,
    settle: bool,
) -> None:
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
    tot[T_RELEASED] += f
    tot[T_QUALIFIED] += 1
    tot[T_AVAIL] += f
    if settle:
        _mark(prm, dirty, sv, m)


@_inline
def _pool_earned(tree: Array, money: Array, tot: Array, prm: Array, x: int, t: int) -> int:
    # Pool dividends are kept lazily (see run_money): what ``x`` earned from pools so far
    # is its pool column plus the per-holder totals of the pools it holds after event t.
    e = money[x, K0 + K_POOL]
    r = _rank(tree, x, t + 1)
    for k in range(3):
        if r >= V1 + k and (prm[P_EXACT] != 1 or r == V1 + k):
            e += tot[T_CUM + k]
    return int(e)


@_jit
def _withdraw(
    tot: Array,
    prm: Array,
    st: Array,
    cl: Array,
    sv: Array,
    status: Array,
    x: int,
    w: int,
    day: int,
    t: int,
    traced: bool,
) -> None:
    fee = _apply_rate(w, prm[P_WFEE_NUM], prm[P_WFEE_DEN], False)
    tax = 0
    if prm[P_IIT] == IIT_LABOUR:
        # one month's withdrawals are one payment of labour remuneration
        month = day // MONTH_DAYS
        if st[x, S_TMON] != month + 1:
            st[x, S_TMON] = month + 1
            st[x, S_TMONW] = 0
        before = st[x, S_TMONW]
        tax = _labour(before + w) - _labour(before)
        st[x, S_TMONW] = before + w
    elif prm[P_IIT] == IIT_FLAT:
        tax = _apply_rate(w, prm[P_IIT_NUM], prm[P_IIT_DEN], True)
    if fee + tax > w:
        status[0] = E_NEGATIVE
        status[1] = t
        return
    st[x, S_WDR] += w
    st[x, S_FEE] += fee
    st[x, S_TAX] += tax
    tot[T_AVAIL] -= w
    tot[T_WITHDRAWN] += w
    tot[T_WFEES] += fee
    tot[T_TAXW] += tax
    if prm[P_WFEE_POOL] >= 0:
        tot[T_POOL + prm[P_WFEE_POOL]] += fee
    else:
        tot[T_RETAINED] += fee
    if traced:
        _trace(cl, sv, t, TR_WITHDRAW, x, w, fee, tax, 0, 0, 0)


@_jit
def _policy(
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    st: Array,
    cl: Array,
    sv: Array,
    dirty: Array,
    holders: Array,
    status: Array,
    day: int,
    t: int,
) -> None:
    # The withdrawal policy: everyone whose available balance reached the minimum since
    # the last time (credits listed them; pool holders may have had dividends) withdraws
    # all of it.
    least = max(prm[P_WMIN], 1)
    n = dirty.shape[0] // 2
    for i in range(sv[SV_NDIRTY] + sv[SV_NHOLD]):
        x = dirty[i] if i < sv[SV_NDIRTY] else holders[i - sv[SV_NDIRTY]]
        dirty[n + x] = 0
        a = _settled(tree, money, tot, prm, st, x, t)
        if a >= least:
            _withdraw(tot, prm, st, cl, sv, status, x, a, day, t, False)
    sv[SV_NDIRTY] = 0


@_jit
def _refund(
    kind: Array,
    tree: Array,
    money: Array,
    tot: Array,
    prm: Array,
    st: Array,
    q: Array,
    cl: Array,
    sv: Array,
    hdr: Array,
    o: int,
    h: int,
    b: int,
    t: int,
) -> None:
    """A refund of the order at event ``o`` (header row ``h``), bought by ``b``, at ``t``."""
    price = prm[P_PRICE]
    tot[T_REFUNDS] += 1
    tot[T_REFUNDED] += price
    tot[T_RETAINED] -= price
    st[b, S_REFD] += price
    st[b, S_NREF] += 1
    on = T_ON_JOINS
    if kind[o] == JOIN:
        tot[T_REF_JOINS] += 1
    else:
        on = T_ON_REPURCHASES
    absorb = prm[P_ABSORB] == 1
    for i in range(hdr[h, H_START], hdr[h, H_START] + hdr[h, H_COUNT]):
        x = cl[i, C_X]
        slot = cl[i, C_SLOT]
        a = cl[i, C_AMOUNT]
        f = cl[i, C_FROZEN]
        e = cl[i, C_ENTRY]
        st[x, S_CAPPED] -= cl[i, C_CAPPED]
        tot[T_BRK_CAP] -= cl[i, C_CAPPED]
        if a == 0:
            continue
        # what the member holds available before any of this reward comes back
        held = max(_settled(tree, money, tot, prm, st, x, t), 0)
        need = 0  # what must come out of available
        from_frozen = 0
        from_pending = 0
        if f > 0:
            if tree[x, QUAL] >= t:  # still unqualified: the part is still frozen
                money[x, FROZEN] -= f
                tot[T_FROZEN] -= f
                from_frozen = f
            else:
                need += f
        rest = a - f
        if rest > 0:
            if e >= 0 and e >= sv[SV_QHEAD]:  # still pending
                q[e, Q_AMOUNT] -= rest
                st[x, S_PEND] -= rest
                tot[T_PENDING] -= rest
                from_pending = rest
            else:
                need += rest
        short = 0
        if need > 0:
            take = min(need, held)
            tot[T_AVAIL] -= take
            short = need - take
        taken = a
        if short > 0:
            if absorb:
                taken = a - short
                tot[T_ABSORBED] += short
            else:
                st[x, S_DEBT] += short
                tot[T_DEBT] += short
        _trace(cl, sv, t, TR_CLAW, x, slot, a, from_frozen, from_pending, need - short, short)
        money[x, K0 + slot] -= taken
        tot[T_PAY + slot] -= taken
        st[x, S_CLAW] += taken
        tot[T_CLAWED] += taken
        tot[T_RETAINED] += taken
        tot[on] -= taken
    if prm[P_KIND] == PLAN_LIANDONG:
        for k in range(3):
            c = prm[P_POOL + k]
            back = min(c, tot[T_POOL + k])
            _trace(cl, sv, t, TR_POOL, k, c, back, 0, 0, 0, 0)
            tot[T_POOL + k] -= back
            tot[T_RETAINED] += back
            tot[T_ABSORBED] += c - back
            tot[on] -= back
    tot[T_BRK_DIFF] -= hdr[h, H_BRK]
    tot[T_BRK_PEER_DIRECT] -= hdr[h, H_BRK + 1]
    tot[T_BRK_PEER_SEE] -= hdr[h, H_BRK + 2]
    tot[T_BRK_LEVEL] -= hdr[h, H_BRK + 3]


@_inline
def _run_money(
    kind: Array,
    member: Array,
    sponsor: Array,
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
    st: Array,
    q: Array,
    cl: Array,
    sv: Array,
    hdr: Array,
    mark: Array,
    dirty: Array,
    holders: Array,
    due: Array,
    status: Array,
    settle: bool,
) -> None:
    """Pass 2: every order's rewards, upgrades, help fund, daily pools, conservation.

    With ``prm[P_SETTLE]`` also the settlement (docs/concepts/settlement-rules.md):
    caps, frozen days, refunds (``mark[o]`` is the header row in ``hdr`` of an order a
    refund will reverse, whose rewards are logged in ``cl``), withdrawals and the
    withdrawal policy, in the settlement table ``st``. Leaves each member's spending, the
    pool shares of the final holders and the available balances to `finish`.
    """
    n_events = kind.shape[0]
    plan = prm[P_KIND]
    price = prm[P_PRICE]
    unlock = prm[P_UNLOCK]
    exact = prm[P_EXACT] == 1
    every = prm[P_WEVERY]
    traced = sv[SV_TRACE]
    sv[SV_MARK] = -1
    u = 0
    d = 0
    members = 0
    start_joins = 0
    start_orders = 0
    start_received = 0
    start_paid = 0
    start_breakage = 0
    start_refunds = 0
    start_refunded = 0
    start_withdrawn = 0
    for t in range(n_events):
        b = member[t]
        today = day[t]
        if settle and prm[P_FROZEN_DAYS] > 0 and (t == 0 or today != day[t - 1]):
            # pending money due by today becomes available, oldest first
            while sv[SV_QHEAD] < sv[SV_QTAIL] and q[sv[SV_QHEAD], Q_DUE] <= today:
                e = sv[SV_QHEAD]
                sv[SV_QHEAD] += 1
                x = q[e, Q_X]
                v = q[e, Q_AMOUNT]
                st[x, S_PEND] -= v
                tot[T_PENDING] -= v
                if v > 0:
                    tot[T_AVAIL] += v
                    _mark(prm, dirty, sv, x)
        ev = kind[t]
        if ev == REFUND_EVENT:
            o = sponsor[t]
            _refund(kind, tree, money, tot, prm, st, q, cl, sv, hdr, o, mark[o], b, t)
        elif ev == WITHDRAWAL_EVENT:
            a = _settled(tree, money, tot, prm, st, b, t)
            if sponsor[t] > a:
                status[0] = E_WITHDRAW
                status[1] = t
                status[2] = a
                return
            _withdraw(tot, prm, st, cl, sv, status, b, sponsor[t], today, t, True)
            if status[0] != OK:
                return
        else:
            tot[T_RECEIVED] += price
            tot[T_PACKAGES] += price
            tot[T_ORDERS] += 1
            if ev == JOIN:
                tot[T_JOINS] += 1
                members += 1
            h = mark[t] if settle else -1
            if h >= 0:
                # an order a refund will reverse: log its rewards and its breakage
                sv[SV_MARK] = h
                hdr[h, H_START] = sv[SV_LOG]
                hdr[h, H_BRK] = tot[T_BRK_DIFF]
                hdr[h, H_BRK + 1] = tot[T_BRK_PEER_DIRECT]
                hdr[h, H_BRK + 2] = tot[T_BRK_PEER_SEE]
                hdr[h, H_BRK + 3] = tot[T_BRK_LEVEL]
            if plan == PLAN_LIANDONG:
                paid = _order_liandong(tree, money, tot, prm, due, sv, b, t, settle)
            elif plan == PLAN_DISTRIBUTION:
                paid = _order_distribution(tree, money, tot, prm, due, sv, b, t, settle)
            else:
                paid = 0
                s = tree[b, SPONSOR]
                if ev == JOIN and s >= 0:
                    tree[s, CNT] += 1
                    if tree[s, CNT] == prm[P_REQUIRED]:
                        r = prm[P_REFUND]
                        paid = _pay(
                            tree, money, tot, prm, due, sv, s, K_REFUND, r, False, t, settle
                        )
            if settle:
                for i in range(sv[SV_NDUE]):
                    x = due[i, 0]
                    freezable = due[i, 3] == 1
                    paid += _credit(
                        tree,
                        money,
                        tot,
                        prm,
                        st,
                        q,
                        cl,
                        sv,
                        dirty,
                        x,
                        due[i, 1],
                        due[i, 2],
                        freezable,
                        t,
                        today,
                        t == traced,
                        h >= 0,
                    )
                sv[SV_NDUE] = 0
            if h >= 0:
                sv[SV_MARK] = -1
                hdr[h, H_COUNT] = sv[SV_LOG] - hdr[h, H_START]
                hdr[h, H_BRK] = tot[T_BRK_DIFF] - hdr[h, H_BRK]
                hdr[h, H_BRK + 1] = tot[T_BRK_PEER_DIRECT] - hdr[h, H_BRK + 1]
                hdr[h, H_BRK + 2] = tot[T_BRK_PEER_SEE] - hdr[h, H_BRK + 2]
                hdr[h, H_BRK + 3] = tot[T_BRK_LEVEL] - hdr[h, H_BRK + 3]
            tot[T_RETAINED] += price - paid
            # Which kind of event triggered the rewards: recruitment dependence in a summary.
            if ev == JOIN:
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
                    _qualify(tree, money, tot, prm, st, sv, dirty, x, t, unlock, settle)
                continue
            k = r - V1
            cost = prm[P_UPG + k]
            tot[T_RECEIVED] += cost
            tot[T_IDENTITY] += cost
            tot[T_RETAINED] += cost
            if every > 0 and r == V1:
                # a pool holder from now on: the policy looks at its dividends
                holders[sv[SV_NHOLD]] = x
                sv[SV_NHOLD] += 1
            # Pool shares are paid lazily: a holder's dividends are the growth of the
            # pool's per-holder total while it holds the pool.
            if exact and r > V1:
                tot[T_HOLD + k - 1] -= 1
                money[x, K0 + K_POOL] += tot[T_CUM + k - 1]
            tot[T_HOLD + k] += 1
            money[x, K0 + K_POOL] -= tot[T_CUM + k]
        if plan == PLAN_LIANDONG and ev <= ORDER:
            # Orders under positions 1 and 2, counted up to the threshold only.
            y = tree[b, PARENT]
            while y >= 0 and tree[y, CNT] < unlock:
                tree[y, CNT] += 1
                if tree[y, POS] == 1 or tree[y, POS] == 2:
                    _qualify(tree, money, tot, prm, st, sv, dirty, y, t, unlock, settle)
                y = tree[y, PARENT]
        if t == n_events - 1 or day[t + 1] != today:
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
            if every > 0 and today % every == every - 1:
                _policy(tree, money, tot, prm, st, cl, sv, dirty, holders, status, today, t)
                if status[0] != OK:
                    return
            paid_all = 0
            for k in range(5):
                paid_all += tot[T_PAY + k]
            breakage = tot[T_BRK_DIFF] + tot[T_BRK_PEER_DIRECT] + tot[T_BRK_PEER_SEE]
            breakage += tot[T_BRK_LEVEL] + tot[T_BRK_CAP]
            received = tot[T_RECEIVED] - tot[T_REFUNDED]
            daily[d, D_DAY] = today
            daily[d, D_JOINS] = tot[T_JOINS] - start_joins
            daily[d, D_MEMBERS] = members
            daily[d, D_ORDERS] = tot[T_ORDERS] - start_orders
            daily[d, D_RECEIVED] = received - start_received
            daily[d, D_PAYOUTS] = paid_all - start_paid
            daily[d, D_BREAKAGE] = breakage - start_breakage
            daily[d, D_FROZEN] = tot[T_FROZEN]
            daily[d, D_RETAINED] = tot[T_RETAINED]
            daily[d, D_REFUNDS] = tot[T_REFUNDS] - start_refunds
            daily[d, D_REFUNDED] = tot[T_REFUNDED] - start_refunded
            daily[d, D_WITHDRAWN] = tot[T_WITHDRAWN] - start_withdrawn
            start_joins = tot[T_JOINS]
            start_orders = tot[T_ORDERS]
            start_received = received
            start_paid = paid_all
            start_breakage = breakage
            start_refunds = tot[T_REFUNDS]
            start_refunded = tot[T_REFUNDED]
            start_withdrawn = tot[T_WITHDRAWN]
            d += 1
        # received − refunded = retained + available + frozen + pending + pools
        #                       + (withdrawn − withdrawal fees) − debt
        held = tot[T_RETAINED] + tot[T_AVAIL] + tot[T_FROZEN] + tot[T_POOL]
        held += tot[T_POOL + 1] + tot[T_POOL + 2]
        if settle:
            held += tot[T_PENDING] + tot[T_WITHDRAWN] - tot[T_WFEES] - tot[T_DEBT]
        if tot[T_RECEIVED] - tot[T_REFUNDED] != held:
            status[0] = E_CONSERVATION
            status[1] = t
            return


@_jit
def run_money(
    kind: Array,
    member: Array,
    sponsor: Array,
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
    st: Array,
    q: Array,
    cl: Array,
    sv: Array,
    hdr: Array,
    mark: Array,
    dirty: Array,
    holders: Array,
    due: Array,
    status: Array,
) -> None:
    """Pass 2 with the spec's rules alone: `_run_money` with the settlement compiled away."""
    _run_money(
        kind,
        member,
        sponsor,
        day,
        tree,
        upg_t,
        upg_x,
        upg_r,
        n_upg,
        prm,
        money,
        tot,
        daily,
        st,
        q,
        cl,
        sv,
        hdr,
        mark,
        dirty,
        holders,
        due,
        status,
        False,
    )


@_jit
def run_money_settled(
    kind: Array,
    member: Array,
    sponsor: Array,
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
    st: Array,
    q: Array,
    cl: Array,
    sv: Array,
    hdr: Array,
    mark: Array,
    dirty: Array,
    holders: Array,
    due: Array,
    status: Array,
) -> None:
    """Pass 2 with the settlement (docs/concepts/settlement-rules.md): `_run_money`."""
    _run_money(
        kind,
        member,
        sponsor,
        day,
        tree,
        upg_t,
        upg_x,
        upg_r,
        n_upg,
        prm,
        money,
        tot,
        daily,
        st,
        q,
        cl,
        sv,
        hdr,
        mark,
        dirty,
        holders,
        due,
        status,
        True,
    )


@_jit
def finish(
    kind: Array,
    member: Array,
    day: Array,
    tree: Array,
    prm: Array,
    money: Array,
    tot: Array,
    st: Array,
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
        if kind[t] > ORDER:
            continue
        b = member[t]
        tree[b, ORDERS] += 1
        if kind[t] == JOIN:
            join_event[b] = t
            join_day[b] = day[t]
    exact = prm[P_EXACT] == 1
    settle = prm[P_SETTLE] == 1
    price = prm[P_PRICE]
    avail = 0
    frozen = 0
    pool = 0
    spent = 0
    pending = 0
    debt = 0
    bad = 0
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
        if settle:
            # earnings = pending + frozen + available + withdrawn − debt, member by member,
            # once what reached the member has repaid its debt
            a -= st[x, S_PEND] + st[x, S_WDR] - st[x, S_DEBT]
            a = _repay(st, tot, x, a)
            if a < 0:
                bad += 1
            cost -= st[x, S_REFD]
            money[x, SPENT] = cost
            earned -= st[x, S_FEE] + st[x, S_TAX]
            pending += st[x, S_PEND]
            debt += st[x, S_DEBT]
        money[x, AVAIL] = a
        net[x] = earned - cost
        avail += a
        frozen += money[x, FROZEN]
        pool += money[x, K0 + K_POOL]
        spent += cost
        slid[x] = tree[x, SLID] == 1
        qualified[x] = when != NEVER
    if (
        bad
        or q != tot[T_QUALIFIED]
        or spent != tot[T_RECEIVED] - tot[T_REFUNDED]
        or avail != tot[T_AVAIL]
        or pending != tot[T_PENDING]
        or debt != tot[T_DEBT]
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
