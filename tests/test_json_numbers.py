"""Decimal fields in JSON: exact for every value a field accepts."""

from __future__ import annotations

import json
from decimal import Decimal

import bizmodels as bm


def test_a_rate_float_can_carry_is_a_number():
    model = bm.get_model("toc_membership", conversion="0.2")
    assert json.loads(model.model_dump_json())["conversion"] == 0.2


def test_a_rate_float_cannot_carry_is_written_digit_for_digit():
    digits = "0.12345678901234567891"  # 20 significant digits; float keeps 17
    model = bm.get_model("toc_membership", conversion=digits)
    written = json.loads(model.model_dump_json())["conversion"]
    assert written == digits
    assert Decimal(written) == Decimal(digits)


def test_whole_numbers_stay_integers():
    model = bm.get_model("toc_membership", lifetime=12)
    assert json.loads(model.model_dump_json())["lifetime"] == 12
