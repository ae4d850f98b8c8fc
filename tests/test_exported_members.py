import bizmodels


def test_all_is_unique_and_complete():
    # ruff (RUF022) keeps __all__ sorted; here: nothing missing, nothing twice
    assert len(bizmodels.__all__) == len(set(bizmodels.__all__))
    exported = {name for name in dir(bizmodels) if not name.startswith("_")} - {"annotations"}
    modules = {"cli", "engine", "waterfall", "market", "sweep"}
    assert exported - modules == set(bizmodels.__all__) - {"__version__"}
