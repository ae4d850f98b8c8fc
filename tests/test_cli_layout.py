"""The CLI package: its modules declare `__all__`, and the library never loads it."""

import importlib
import pkgutil
import subprocess
import sys

import pytest

import bizmodels.cli

CLI_MODULES = [
    info.name
    for info in pkgutil.iter_modules(bizmodels.cli.__path__, "bizmodels.cli.")
    if info.name != "bizmodels.cli.__main__"
]


def test_the_command_groups_are_there():
    assert sorted(CLI_MODULES) == [
        "bizmodels.cli._common",
        "bizmodels.cli._design",
        "bizmodels.cli._files",
        "bizmodels.cli._fit",
        "bizmodels.cli._fitcmd",
        "bizmodels.cli._models",
        "bizmodels.cli._plans",
        "bizmodels.cli._risk",
    ]


@pytest.mark.parametrize("name", ["bizmodels.cli", *CLI_MODULES, "bizmodels._resolve"])
def test_all_names_what_the_module_has(name):
    module = importlib.import_module(name)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_each_command_is_added_once_in_help_order():
    parser = bizmodels.cli.build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert list(sub.choices) == [
        "plan",
        "models",
        "compare",
        "waterfall",
        "presets",
        "init",
        "schema",
        "simulate",
        "assess",
        "montecarlo",
        "break-even",
        "fit",
        "design",
        "audit",
    ]


def test_importing_the_whole_library_never_loads_the_cli():
    # the static contract (lint-imports, "nothing imports the CLI") sees import statements;
    # this sees what actually runs when every other module is imported
    code = (
        "import importlib, pkgutil, sys\n"
        "def walk(package):\n"
        "    for info in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
        "        if info.name == 'bizmodels.cli':\n"
        "            continue\n"
        "        try:\n"
        "            module = importlib.import_module(info.name)\n"
        "        except ImportError:\n"
        "            continue  # an optional dependency (matplotlib) that is not installed\n"
        "        if info.ispkg:\n"
        "            walk(module)\n"
        "import bizmodels\n"
        "walk(bizmodels)\n"
        "mine = [m for m in sys.modules if m.startswith('bizmodels.')]\n"
        "print(len(mine), 'bizmodels.cli' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = out.stdout.split()
    # every module of the library was imported (about 80 of them), and the CLI was not
    assert int(count) > 50 and loaded == "False"
