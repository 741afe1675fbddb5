"""metafor reference values for the meta-analysis kernels and ``reanalyse meta``.

``tests/oracles/meta_oracles.json`` is written by ``Rscript tests/oracles/make_meta_oracles.R``
(which also writes the datasets as CSV files under ``tests/data/meta/``); every record
carries the R code that produced it in ``r_call``.  Non-finite numbers are spelled "Inf",
"-Inf", "NaN" in the file and returned as floats; NA is returned as NaN in numeric arrays.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from oracle_values import decode

META_ORACLE_PATH = Path(__file__).resolve().parent / "oracles" / "meta_oracles.json"
META_CSV_DIR = Path(__file__).resolve().parent / "data" / "meta"

@lru_cache(maxsize=1)
def _load() -> dict:
    with META_ORACLE_PATH.open(encoding="utf-8") as handle:
        return decode(json.load(handle))


def floats(values) -> np.ndarray:
    """A recorded vector as floats (NA -> NaN)."""
    return np.array([math.nan if value is None else value for value in values], dtype=float)


def dataset(name: str) -> dict:
    """One dataset's role-named columns (``kind``: binary, continuous or precomputed)."""
    return dict(_load()["datasets"][name])


def dataset_names(kind: str | None = None) -> list[str]:
    """Names of the recorded datasets, optionally of one kind."""
    return [name for name, data in _load()["datasets"].items()
            if kind is None or data["kind"] == kind]


def records(block: str, **match) -> list[dict]:
    """The records of one block (``escalc``, ``rma``, ``rma_mh``, ``rma_peto``) matching fields.

    Raises LookupError when nothing matches, so a mistyped filter cannot check nothing.
    """
    found = [dict(record) for record in _load()[block]
             if all(record.get(key) == value for key, value in match.items())]
    if not found:
        raise LookupError(f"no {block} record matches {match}")
    return found
