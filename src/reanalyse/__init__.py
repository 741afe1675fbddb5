"""Rebuild the tests behind small trials' published claims from their printed numbers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reanalyse")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
