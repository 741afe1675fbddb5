"""Caches of arrays bounded by their bytes as well as by their entries.

``functools.lru_cache`` bounds a cache by its entries only: 48 Fisher matrices of 2.5 million
tables each keep 960 MB, so a process that meets many large trials (a batch, a screen of a
long table) would grow without a bound on its memory.  :func:`array_cache` keeps the most
recently used results of a function of hashable arguments while their arrays total at most
:data:`CACHE_BYTES`; a result larger than that is returned and not kept.
"""

from __future__ import annotations

import collections
import functools

import numpy as np

__all__ = ["array_cache", "CACHE_BYTES"]

#: Most bytes of arrays one cache keeps.
CACHE_BYTES = 64 * 2**20


class _ArrayCache:
    """The cache :func:`array_cache` puts around a function."""

    def __init__(self, function, entries: int):
        self.function, self.entries = function, entries
        self.kept: collections.OrderedDict = collections.OrderedDict()
        self.bytes = 0
        functools.update_wrapper(self, function)

    def __call__(self, *args):
        if args in self.kept:
            self.kept.move_to_end(args)
            return self.kept[args][0]
        value = self.function(*args)
        size = nbytes(value)
        if size <= CACHE_BYTES:
            self.kept[args] = (value, size)
            self.bytes += size
            while len(self.kept) > self.entries or self.bytes > CACHE_BYTES:
                self.bytes -= self.kept.popitem(last=False)[1][1]
        return value

    def cache_clear(self) -> None:
        """Forget every kept result."""
        self.kept.clear()
        self.bytes = 0


def array_cache(entries: int):
    """Decorator: keep the ``entries`` most recently used results (positional, hashable
    arguments), while their arrays total at most :data:`CACHE_BYTES`."""
    return lambda function: _ArrayCache(function, entries)


def nbytes(value) -> int:
    """Bytes of the NumPy arrays in ``value``: an array, a tuple of values, or a record whose
    attributes are values."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, tuple):
        return sum(nbytes(part) for part in value)
    if hasattr(value, "__dict__"):
        return sum(nbytes(part) for part in vars(value).values())
    return 0
