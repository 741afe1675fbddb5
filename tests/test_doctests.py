"""Every example in a docstring of the package runs and shows what it says.

Only modules with at least one example that runs (not marked ``+SKIP``) are collected, and
each must run one: a module without examples is not counted as a passing test.
"""

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "reanalyse"
_RUNNABLE = re.compile(r"^\s*>>> (?!.*doctest: \+SKIP)", re.MULTILINE)
MODULES = sorted(".".join(("reanalyse", *p.relative_to(PACKAGE).with_suffix("").parts))
                 .removesuffix(".__init__") for p in PACKAGE.rglob("*.py")
                 if p.name != "__main__.py" and _RUNNABLE.search(p.read_text(encoding="utf-8")))


def test_modules_with_examples_are_found():
    # a change to the pattern above that finds nothing would pass every module silently
    assert {"reanalyse.api", "reanalyse.model.tests", "reanalyse.kernels.printed"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)          # examples name files relative to the project
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=False)
    assert result.attempted > 0, f"{name} has no example that runs"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
