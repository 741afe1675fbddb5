"""Every example in a docstring of the package runs (or is marked to be skipped)."""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "reanalyse"
MODULES = sorted(".".join(("reanalyse", *p.relative_to(PACKAGE).with_suffix("").parts))
                 .removesuffix(".__init__") for p in PACKAGE.rglob("*.py")
                 if p.name != "__main__.py")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)          # examples name files relative to the project
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
