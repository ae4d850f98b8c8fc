"""A tornado bar whose side failed a model check is drawn without that side."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")


def test_a_side_with_no_value_draws_no_bar():
    from bizmodels.plotting import tornado_chart
    from bizmodels.risk.sensitivity import Tornado, TornadoBar

    bars = (
        TornadoBar("price", 100.0, 90.0, 110.0, 4000.0, 6000.0),
        TornadoBar("unit_cost", 40.0, 36.0, 44.0, None, 3000.0, "high side fails a check"),
    )
    figure = tornado_chart(Tornado("toc_membership", "operating_profit", 0.1, 5000.0, bars))
    widths = [round(p.get_width(), 6) for p in figure.axes[0].patches]
    # bars are drawn bottom-up: unit_cost first; low series, then high series (thousand yuan)
    assert widths == [0.0, -1.0, -2.0, 1.0]
