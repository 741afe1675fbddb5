"""Content hashes that decide whether an analysis must run again, and the run's environment.

An analysis is up to date when its *run key* equals the one recorded in its last good
``<name>.json``.  The key hashes:

- the notebook template, the study file and the analysis's settings (its file without the
  recorded ``expected:`` verdicts, which do not change what runs);
- the package: its version and the content of its source files (an editable install changes
  without a new version number);
- the versions of the software that computes or renders the numbers (python, numpy, scipy,
  statsmodels, matplotlib, papermill, nbconvert);
- the report settings (``show_code``).

Everything here reads files and package metadata only (no scipy, no papermill import), so an
up-to-date run stays fast.
"""

from __future__ import annotations

import hashlib
import json
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

from reanalyse.io import file_digest

__all__ = ["file_digest", "package_digest", "environment", "input_hashes", "run_key",
           "VERSIONED"]

#: Distributions whose versions are recorded with every run and enter the run key.
VERSIONED = ("reanalyse", "numpy", "scipy", "statsmodels", "matplotlib", "papermill", "nbconvert",
             "ipykernel")


@cache
def package_digest() -> str:
    """SHA-256 over the package's Python source files (names and contents)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(source.read_bytes())
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


@cache
def environment() -> dict:
    """Versions of python and of :data:`VERSIONED`, and the package's source digest."""
    versions = {"python": platform.python_version()}
    versions.update({name: _version(name) for name in VERSIONED})
    versions["reanalyse_source"] = package_digest()
    return versions


def input_hashes(analysis) -> dict:
    """Hashes of what an :class:`~reanalyse.model.analysis.Analysis` reads.

    ``analysis`` hashes the settings (study, notebook, title, options, parameters) and the
    recorded verdicts, which the report shows beside the current ones; ``inputs`` the further
    files the notebook reads (a review's study files), when there are any.
    """
    settings = analysis.to_dict()
    hashes = {"notebook": file_digest(analysis.notebook), "study": file_digest(analysis.study),
              "analysis": "sha256:" + hashlib.sha256(
                  json.dumps(settings, sort_keys=True).encode()).hexdigest()}
    if analysis.inputs:  # a review's study files
        hashes["inputs"] = {str(path): file_digest(path) for path in analysis.inputs}
    return hashes


def run_key(inputs: dict, versions: dict, settings: dict) -> str:
    """One hash over input hashes, versions and report settings."""
    payload = json.dumps({"inputs": inputs, "environment": versions, "settings": settings},
                         sort_keys=True)
    return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()
