import types

import bizmodels


def test_all_is_unique_and_complete():
    # ruff (RUF022) keeps __all__ sorted; here: nothing missing, nothing twice
    assert len(bizmodels.__all__) == len(set(bizmodels.__all__))
    public = {
        name
        for name, value in vars(bizmodels).items()
        if not name.startswith("_")
        and name != "annotations"
        and not (isinstance(value, types.ModuleType) and name not in bizmodels.__all__)
        and name not in {"io", "presets", "risk", "cashflow", "finance", "plotting"}
    }
    assert public == set(bizmodels.__all__) - {"__version__"}
    assert callable(bizmodels.sweep) and callable(bizmodels.compare)
