"""The summary's statistics take whole amounts only: nothing is truncated into another value."""

import re

import numpy as np
import pytest

from bizmodels.plans.summary import gini, quantiles, top_share


def test_whole_amounts_in_any_number_type():
    # one of four takes everything: (n − 1) / n = 0.75, whatever the amounts' type
    for values in ([0, 0, 0, 100], [0.0, 0.0, 0.0, 100.0], np.array([0, 0, 0, 100], np.uint8)):
        assert gini(values) == 0.75
    assert gini(np.array([1, 3], dtype=object)) == 0.25  # (−1·1 + 1·3) / (2 · 4)
    assert top_share([1.0, 1.0, 2.0, 6.0], 0.25) == 0.6
    assert quantiles(np.array([40.0, 10.0, 30.0, 20.0]), (0.5,)) == (20,)
    assert gini(np.array([], np.float64)) is None


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([0.5, 1.5], "0.5"),  # a fraction of a fen: truncating gave 0.5, not the 0.25 it is
        ([1e30], "1e+30"),
        ([2**63], "9223372036854775808"),  # one past int64
        ([float("nan")], "nan"),
        (np.array([2**64 - 1], np.uint64), "18446744073709551615"),
        (["a"], "'a'"),
    ],
)
def test_anything_else_is_refused_naming_it(values, shown):
    for statistic in (gini, lambda v: top_share(v, 0.1), lambda v: quantiles(v, (0.5,))):
        with pytest.raises(ValueError, match=f"whole numbers .* got {re.escape(shown)}$"):
            statistic(values)


def test_the_largest_whole_amount_is_taken():
    top = 2**63 - 1
    assert quantiles(np.array([top, 0]), (1,)) == (top,)
    assert top_share([top, 0], 0.5) == 1.0
