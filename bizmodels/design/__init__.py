"""The plan designer (issue 17): which plan to launch, and how it can be gamed.

A plan's figures on an ensemble of grown networks, goal seek and search on plan fields, and
an audit of the plan against false-name gaming.

Layering: this package sits above the plans, the models and compliance (none of them imports
it); it never imports `bizmodels.risk`, which reaches it for a plan's break-even.
"""

from __future__ import annotations

__all__: list[str] = []
