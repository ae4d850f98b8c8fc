import bizmodels


def test_all_is_sorted_and_complete():
    assert bizmodels.__all__ == sorted(bizmodels.__all__)
    exported = {name for name in dir(bizmodels) if not name.startswith("_")} - {"annotations"}
    modules = {"cli", "engine", "waterfall", "market", "sweep"}
    assert exported - modules == set(bizmodels.__all__) - {"__version__"}
