"""Consistency screens over whole tables: pandas in, pandas out.

Every check is one scalar function and one table mapper made by the same factory
(:mod:`reanalyse.screens.base`); printed numbers arrive as text, every check is exact or
interval-valued under a named rounding convention, and every row gets a ``status`` and, when
not consistent, a ``reason``.

=================  ===========================  ==============================================
check              scalar / table mapper        what it screens
=================  ===========================  ==============================================
``grim``           grim / grim_map              a mean versus n (and items)
``percent``        percent_n / percent_map      a percentage versus n (consistent counts)
``grimmer``        grimmer / grimmer_map        a mean and SD versus n (and items)
``debit``          debit / debit_map            a mean and SD of binary data versus n
``statistic``      statistic_consistency /      a printed t, F, chi2, z or r with df versus
                   statistic_map                the printed p
``rebuilt_t``      rebuilt_t / rebuilt_t_map    two arms' means, SDs, n versus the printed p
``rebuilt_anova``  rebuilt_anova /              2 to 7 groups' means, SDs, n versus the
                   rebuilt_anova_map            printed p
``cutoff``         cutoff_count / cutoff_map    a count or percentage beyond a cut-off of a
                                                bounded scale versus n, mean and SD
``estimate``       estimate_consistency /       a printed OR, RR, RD, MD or SMD and its CI
                   estimate_map                 versus the counts or means beside it
=================  ===========================  ==============================================

:func:`baseline_screen` runs Carlisle's screen of baseline tables (per-variable p-intervals,
per-trial Stouffer p).  :func:`screen` picks the check from a table's columns.
"""

from __future__ import annotations

import pandas as pd

from reanalyse.errors import OptionError
from reanalyse.screens.baseline import BaselineScreen, baseline_screen
from reanalyse.screens.cutoff import CUTOFF, cutoff_count, cutoff_map
from reanalyse.screens.debit import DEBIT, debit, debit_map
from reanalyse.screens.estimate import ESTIMATE, estimate_consistency, estimate_map
from reanalyse.screens.base import Screen, ScreenResult, LostDecimalsWarning, \
    ScreenColumnsError
from reanalyse.screens.grim import GRIM, grim, grim_map
from reanalyse.screens.grimmer import GRIMMER, grimmer, grimmer_map
from reanalyse.screens.percent import PERCENT, percent_map, percent_n
from reanalyse.screens.rebuilt import REBUILT_ANOVA, REBUILT_T, rebuilt_anova, \
    rebuilt_anova_map, rebuilt_t, rebuilt_t_map
from reanalyse.screens.statistic import STATISTIC, statistic_consistency, statistic_map
from reanalyse.screens.tables import flagged_rows, infer_check, read_table, summarise, \
    write_result

__all__ = [
    "CHECKS", "MAPPERS", "screen", "Screen", "ScreenResult", "ScreenColumnsError",
    "LostDecimalsWarning", "grim", "grim_map", "percent_n", "percent_map", "grimmer",
    "grimmer_map", "debit", "debit_map", "statistic_consistency", "statistic_map", "rebuilt_t",
    "rebuilt_t_map", "rebuilt_anova", "rebuilt_anova_map", "cutoff_count", "cutoff_map",
    "estimate_consistency", "estimate_map", "baseline_screen", "BaselineScreen",
    "read_table", "infer_check", "summarise", "flagged_rows", "write_result",
]

#: Every check by name.
CHECKS: dict[str, Screen] = {check.name: check for check in (
    GRIM, PERCENT, GRIMMER, DEBIT, STATISTIC, REBUILT_T, REBUILT_ANOVA, CUTOFF, ESTIMATE)}

#: Every check's table mapper by name.
MAPPERS = {"grim": grim_map, "percent": percent_map, "grimmer": grimmer_map,
           "debit": debit_map, "statistic": statistic_map, "rebuilt_t": rebuilt_t_map,
           "rebuilt_anova": rebuilt_anova_map, "cutoff": cutoff_map, "estimate": estimate_map}


def screen(table: pd.DataFrame, check: str = "auto", **options):
    """Screen a table with one check (``auto``: the check its columns call for).

    Parameters
    ----------
    table : pandas.DataFrame
        Printed numbers as text, one row per result (see each check's mapper for columns).
    check : str
        A name from :data:`CHECKS`, ``baseline``, or ``auto``.
    **options
        The check's options (``rounding``, ``alpha``, ...; for ``baseline``, those of
        :func:`baseline_screen`).

    Returns
    -------
    pandas.DataFrame or BaselineScreen
        The table with each row's ``status`` and ``reason`` (the baseline screen's tables for
        ``baseline``).
    """
    if not isinstance(table, pd.DataFrame):
        raise OptionError(f"screen takes a pandas DataFrame, got {type(table).__name__}; e.g. "
                          "pandas.read_csv(path, dtype=str)")
    name = infer_check(table.columns) if check == "auto" else check
    if name == "baseline":
        return baseline_screen(table, **options)
    if name not in MAPPERS:
        import difflib

        near = difflib.get_close_matches(str(name), list(MAPPERS) + ["baseline"], n=1)
        raise OptionError(f"unknown check {name!r}; " + (f"did you mean {near[0]!r}? " if near
                                                         else "")
                          + f"checks are {', '.join(list(MAPPERS) + ['baseline', 'auto'])}")
    return MAPPERS[name](table, **options)
