"""Walk the table of refusals (docs/refusals/*.yaml): every message is the one recorded."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).parents[1] / "docs" / "refusals" / "table.py"
_spec = importlib.util.spec_from_file_location("refusals_table", _PATH)
assert _spec is not None and _spec.loader is not None
table = importlib.util.module_from_spec(_spec)
sys.modules["refusals_table"] = table
_spec.loader.exec_module(table)

ENTRIES = table.entries()


def test_the_table_is_large_enough():
    assert len(ENTRIES) >= 60
    assert len({(e.python, e.cli, tuple(e.files.items())) for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.area}:{e.what}" for e in ENTRIES])
def test_refusal(entry):
    seen = table.observe(entry)
    if entry.cli is not None:
        assert seen.status == 2, seen
        assert "\n" not in seen.message and "Traceback" not in seen.message
    else:
        assert seen.error == entry.error, seen
    assert seen.message == entry.message
