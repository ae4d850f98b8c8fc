"""Every public module of bizmodels lists its public API in ``__all__``, and means it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bizmodels


def _public_modules() -> list[str]:
    names = ["bizmodels"]
    for info in pkgutil.walk_packages(bizmodels.__path__, "bizmodels."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


PUBLIC = _public_modules()


def test_the_walk_finds_the_packages_and_skips_private_modules():
    assert {"bizmodels.plans", "bizmodels.compliance", "bizmodels.cli", "bizmodels.risk"} <= set(
        PUBLIC
    )
    assert "bizmodels.plans._kernel" not in PUBLIC and "bizmodels._types" not in PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_module_declares_all(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    listed = list(module.__all__)
    assert len(listed) == len(set(listed)), f"{name}.__all__ lists a name twice"
    missing = [n for n in listed if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists names it does not have: {missing}"
    private = [n for n in listed if n.startswith("_") and n != "__version__"]
    assert not private, f"{name}.__all__ lists private names: {private}"
