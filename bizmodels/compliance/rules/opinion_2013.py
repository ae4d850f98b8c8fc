"""The rules of the 2013 opinion (公通字〔2013〕37号) on criminal cases: 30 participants, 3 levels.

Section 1 makes organisers and leaders of a network of 30 or more participants over 3 or
more levels criminally liable; section 7 counts the organiser and its own level. Those are
numbers about an actual network: `network_thresholds` reads them on a simulated one
(`bizmodels.compliance.network.network_shape`), and `not_measured` says so on a model or a
plan. The opinion's section 5 (pure team pay is not prosecuted) is cited by the team-pay
rule, in `bizmodels.compliance.rules.regulation_444`.

Examples
--------
>>> from bizmodels.compliance.network import NetworkShape
>>> network_thresholds(NetworkShape(30, 3, 1, 30, 3)).severity
'high'
>>> network_thresholds(NetworkShape(29, 5, 1, 29, 5)).severity
'info'
"""

from __future__ import annotations

from decimal import Decimal

from bizmodels.compliance.findings import INDICATORS, Finding, Measure
from bizmodels.compliance.network import NetworkShape

__all__ = ["CRIMINAL_LEVELS", "CRIMINAL_PARTICIPANTS", "network_thresholds", "not_measured"]

CRIMINAL_PARTICIPANTS = 30
"""意见 一: participants, 30 or more (以上 includes the number, 意见 七)."""
CRIMINAL_LEVELS = 3
"""意见 一: levels, 3 or more, counted including the organiser's own level (意见 七)."""


def not_measured() -> Finding:
    """The thresholds' finding on a model or plan: they are about an actual network."""
    return Finding(
        "network_thresholds",
        "info",
        "not measured: the thresholds are about an actual network; assess a simulation "
        "(assess(simulate(plan, events)), or `bizmodels assess NAME --simulate FILE`)",
        (),
        INDICATORS["network_thresholds"].basis,
        "The 2013 opinion's 30 participants over 3 levels are checked on a simulated network.",
        "2013年意见的30人、三级标准需在模拟网络上检验。",
    )


def network_thresholds(shape: NetworkShape) -> Finding:
    """The 30 participants over 3 levels of 意见 一, on a simulated network's sponsor tree.

    ``high`` when the network reaches both (以上 includes the number, 意见 七), else ``info``.
    """
    measures = (
        Measure(
            "participants",
            "参与人数",
            Decimal(shape.participants),
            "people",
            (("high", Decimal(CRIMINAL_PARTICIPANTS)),),
        ),
        Measure(
            "levels, the root's own included",
            "层级（含根节点本级）",
            Decimal(shape.levels),
            "levels",
            (("high", Decimal(CRIMINAL_LEVELS)),),
        ),
    )
    both = all(m.reached == "high" for m in measures)
    trees = (
        f"{shape.trees} sponsor trees (largest {shape.largest_tree}), counted together as one "
        "platform organises them all (意见 一, second paragraph)"
        if shape.trees > 1
        else "one sponsor tree"
    )
    evidence = (
        f"{shape.participants} members in {trees}; the deepest sponsor chain runs "
        f"{shape.levels} levels counting the root's own (placement tree: "
        f"{shape.placement_levels} levels)"
    )
    if both:
        why = (
            (
                "The network reaches the 2013 opinion's 30 participants over 3 levels (section 7, "
                "found once: counted with the organiser's level): if the other elements of "
                "Criminal Law Art. 224-1 were found, its size would not keep it below the line."
            ),
            (
                "网络达到2013年意见三十人以上、三级以上的标准（第七部分仅见一处：含组织者本级）；"
                "如其他要件成立，规模不能使其免于刑事追诉标准。"
            ),
        )
    else:
        why = (
            (
                "The network is below the 2013 opinion's 30 participants over 3 levels; a plan "
                "that keeps recruiting will not stay there."
            ),
            "网络未达2013年意见三十人、三级的标准；持续发展人员的方案不会一直停留在线下。",
        )
    return Finding(
        "network_thresholds",
        "high" if both else "info",
        evidence,
        measures,
        INDICATORS["network_thresholds"].basis,
        *why,
    )
