"""The plan designer: a plan's figures on an ensemble of grown networks, goal seek and search
on plan fields, and an audit of the plan against false-name gaming (issue 17).

Layering: this package sits above the plans, the models and compliance (none of them imports
it); it never imports `bizmodels.risk`, which reaches it for a plan's break-even.
"""

from __future__ import annotations

__all__: list[str] = []
