"""Rebuild the tests behind small trials' published claims from their printed numbers.

>>> import reanalyse as ra
>>> result = ra.check("data/raisi-dehkordi-2019.yaml", rounding="half_up")   # doctest: +SKIP
>>> result.to_frame()                                                         # doctest: +SKIP
>>> print(result["fewer-depressed"].explain())                                # doctest: +SKIP

The names below are imported when first used, so that ``import reanalyse`` stays cheap.
"""

from reanalyse._version import __version__

__all__ = ["__version__", "check", "screen", "draft", "load_study", "check_review",
           "load_review", "CheckOptions", "Rounding", "CheckResult", "ClaimResult",
           "ReanalyseError", "OptionError", "WorkBudgetExceeded"]

_LAZY = {"check": "reanalyse.api", "screen": "reanalyse.api", "draft": "reanalyse.drafting", "CheckResult": "reanalyse.api",
         "ClaimResult": "reanalyse.api", "load_study": "reanalyse.model.studyfile",
         "check_review": "reanalyse.reviews", "load_review": "reanalyse.model.reviewfile",
         "CheckOptions": "reanalyse.model.options", "Rounding": "reanalyse.kernels.printed",
         "ReanalyseError": "reanalyse.errors", "OptionError": "reanalyse.errors",
         "WorkBudgetExceeded": "reanalyse.errors"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reanalyse' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
