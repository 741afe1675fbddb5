"""Reference values computed in R, for use as test oracles.

The values live in ``tests/oracles/r_oracles.json``, written by
``Rscript tests/oracles/make_oracles.R > tests/oracles/r_oracles.json``
(see ``tests/oracles/README.md``). Every record carries, in its ``"r_call"``
field, the exact R code that produced it, so a test can cite its source::

    from oracle_values import r_oracle

    (fisher,) = r_oracle("two_by_two", case="raisi_dehkordi", test="fisher",
                         alternative="two.sided")
    # fisher["r_call"] == 'm <- matrix(c(15, 45, 26, 34), 2, byrow = TRUE); '
    #                     'fisher.test(m, alternative = "two.sided", conf.level = 0.95)'

Numbers are read back exactly as R computed them. The file spells non-finite
numbers as the strings ``"Inf"``, ``"-Inf"`` and ``"NaN"``; they are returned
as floats. R's ``NA`` is returned as ``None``.
"""

from __future__ import annotations

import copy
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

ORACLE_PATH = Path(__file__).resolve().parent / "oracles" / "r_oracles.json"

_NON_FINITE = {"Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}


def decode(value: Any) -> Any:
    """A recorded value with "Inf", "-Inf" and "NaN" read back as floats, in lists and
    mappings too."""
    if isinstance(value, str):
        return _NON_FINITE.get(value, value)
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        return {key: decode(item) for key, item in value.items()}
    return value


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    with ORACLE_PATH.open(encoding="utf-8") as handle:
        return decode(json.load(handle))


def r_oracle_meta() -> dict[str, Any]:
    """Return the file's metadata: R and package versions, defaults, conventions.

    ``meta["unavailable_blocks"]`` lists blocks that could not be computed
    because an R package was missing (a test needing one should skip and say so).
    """
    return copy.deepcopy(_load()["meta"])


def r_oracle(block: str, **match: Any) -> list[dict]:
    """Return the records of one block, optionally only those matching fields.

    Parameters
    ----------
    block : str
        Block name, e.g. ``"t_two_sample"``, ``"two_by_two"``, ``"statcheck"``.
    **match
        Field values a record must equal to be returned, e.g.
        ``case="raisi_dehkordi", test="fisher"``.

    Returns
    -------
    list of dict
        Fresh copies of the records, in file order.

    Raises
    ------
    KeyError
        If the block is not in the file (the message names the blocks that
        are, and those R could not compute).
    LookupError
        If ``match`` is given and no record of the block satisfies it, so a
        mistyped filter cannot turn a test into one that checks nothing.
    """
    data = _load()
    if block == "meta" or block not in data:
        available = sorted(name for name in data if name != "meta")
        unavailable = data["meta"].get("unavailable_blocks", [])
        raise KeyError(
            f"no oracle block {block!r} in {ORACLE_PATH.name}; blocks are {available}; "
            f"not computed (R package missing): {unavailable}"
        )
    records = [
        record
        for record in data[block]
        if all(key in record and record[key] == value for key, value in match.items())
    ]
    if match and not records:
        raise LookupError(f"no record in oracle block {block!r} has fields {match!r}")
    return copy.deepcopy(records)
