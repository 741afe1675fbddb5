"""What a review printed: its pooled analyses, their included studies and printed pooled lines.

These are plain frozen records; :func:`reanalyse.model.reviewfile.load_review` builds them from a
review file (the format is in that module's docstring) and checks them.  Numbers that can carry
rounding are :class:`~reanalyse.kernels.printed.PrintedNumber`; counts are exact integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reanalyse.kernels.printed import PrintedNumber, PrintedP
from reanalyse.model.analysis import Analysis
from reanalyse.model.project import project_root
from reanalyse.model.study import BinaryArm, ContinuousArm, Source
from reanalyse.model.studyfile import STUDY_KEYS
from reanalyse.model.yamltext import MAX_BYTES

__all__ = ["Review", "Pool", "IncludedStudy", "PrintedPool", "find_reviews",
           "review_analysis", "is_review_file", "MEASURES", "RATIO_MEASURES", "ESTIMATORS",
           "MODELS", "COUNT_ESTIMATORS", "REVIEW_KEYS"]

MEASURES = ("MD", "SMD", "OR", "RR", "RD")
#: Measures on a ratio scale: the printed estimate and CI are ratios, pooled as logarithms.
RATIO_MEASURES = ("OR", "RR")
#: Estimators a printed method may name (machine names of the pooling kernel's methods).
ESTIMATORS = ("FE", "DL", "REML", "PM", "MH", "PETO")
#: The kinds of model a review may say it used without naming the estimator.
MODELS = ("random", "common")
#: Estimators that pool counts only.
COUNT_ESTIMATORS = {"MH": ("OR", "RR", "RD"), "PETO": ("OR",)}

REVIEW_KEYS = {
    **STUDY_KEYS,
    "review": {"id", "citation", "doi", "title", "alpha", "sources", "notes", "pools",
               "expected", "notebook"},
    "pool": {"id", "label", "measure", "method", "model", "estimator", "hksj", "arms",
             "source", "studies", "printed"},
    "row": {"id", "label", "treat", "control", "source", "study", "outcome", "arms"},
    "printed": {"text", "estimate", "ci", "level", "z", "t", "p", "tau2", "chi2", "q", "df",
                "i2", "significant", "source"},
}

@dataclass(frozen=True)
class IncludedStudy:
    """One study in a pool: its two arms' printed numbers, and where they come from.

    ``study_path`` (with ``outcome`` and ``arms``) is set when the numbers come from a study
    file, whose own claims are then checked too.
    """

    id: str
    label: str
    treat: ContinuousArm | BinaryArm
    control: ContinuousArm | BinaryArm
    source: str | None = None
    study_path: Path | None = None
    outcome: str | None = None
    arms: tuple[str, str] | None = None

    def to_dict(self) -> dict:
        """JSON-ready form (the printed numbers as text)."""
        def arm(summary):
            return {key: (None if value is None else str(value))
                    for key, value in vars(summary).items() if key != "ci_level"}
        return {"id": self.id, "label": self.label, "treat": arm(self.treat),
                "control": arm(self.control), "source": self.source,
                "study_path": None if self.study_path is None else str(self.study_path),
                "outcome": self.outcome, "arms": None if self.arms is None else list(self.arms)}


@dataclass(frozen=True)
class PrintedPool:
    """The pooled line as printed (every field optional)."""

    text: str | None = None
    estimate: PrintedNumber | None = None
    ci: tuple[PrintedNumber, PrintedNumber] | None = None
    level: float = 0.95
    statistic: PrintedNumber | None = None
    statistic_kind: str | None = None          # "z" or "t"
    p: PrintedP | None = None
    tau2: PrintedNumber | None = None
    q: PrintedNumber | None = None
    df: int | None = None
    i2: PrintedNumber | None = None            # percent
    significant: bool | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form (numbers as printed text)."""
        def text(value):
            return None if value is None else str(value)
        return {"text": self.text, "estimate": text(self.estimate),
                "ci": None if self.ci is None else [str(end) for end in self.ci],
                "level": self.level, "statistic": text(self.statistic),
                "statistic_kind": self.statistic_kind, "p": text(self.p),
                "tau2": text(self.tau2), "q": text(self.q), "df": self.df,
                "i2": text(self.i2), "significant": self.significant, "source": self.source}


@dataclass(frozen=True)
class Pool:
    """One pooled analysis of a review."""

    id: str
    label: str
    measure: str
    type: str                                   # "continuous" or "binary"
    method: str | None
    model: str | None
    estimator: str | None
    hksj: bool
    studies: tuple[IncludedStudy, ...]
    printed: PrintedPool
    arms: tuple[str, str] | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"id": self.id, "label": self.label, "measure": self.measure,
                "type": self.type, "method": self.method, "model": self.model,
                "estimator": self.estimator,
                "hksj": self.hksj, "arms": None if self.arms is None else list(self.arms),
                "source": self.source, "studies": [s.to_dict() for s in self.studies],
                "printed": self.printed.to_dict()}


@dataclass(frozen=True)
class Review:
    """A review file: its citation and pooled analyses, and the verdicts recorded for them."""

    id: str
    citation: str
    path: Path
    pools: tuple[Pool, ...]
    doi: str | None = None
    title: str | None = None
    alpha: float = 0.05
    sources: tuple[Source, ...] = ()
    notes: str | None = None
    expected: dict = field(default_factory=dict)
    notebook: Path | None = None

    @property
    def study_files(self) -> tuple[Path, ...]:
        """The study files the pools name, each once, in order."""
        return tuple(dict.fromkeys(s.study_path for pool in self.pools for s in pool.studies
                                   if s.study_path is not None))

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"id": self.id, "citation": self.citation, "path": str(self.path),
                "doi": self.doi, "title": self.title, "alpha": self.alpha,
                "sources": [vars(source) for source in self.sources], "notes": self.notes,
                "pools": [pool.to_dict() for pool in self.pools],
                "expected": dict(self.expected)}


def find_reviews(directory) -> list[Path]:
    """The review files (``*.yaml``, ``*.yml``) directly in ``directory``, sorted by name."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


def review_analysis(review: Review) -> Analysis:
    """The review as the runner's unit of work: the review file in the place of the study
    file, the review notebook (the file's ``notebook:``, else the project's
    ``notebooks/review.ipynb``), the recorded verdicts, and the study files it reads."""
    notebook = review.notebook or project_root(review.path) / "notebooks" / "review.ipynb"
    return Analysis(name=review.path.stem, path=review.path, study=review.path,
                    notebook=notebook, title=review.title, expected=dict(review.expected),
                    inputs=review.study_files, kind="review")


_POOLS_KEY = re.compile(r"^pools\s*:", re.MULTILINE)


def is_review_file(path) -> bool:
    """Whether ``path`` is a review file: it lies in a folder called ``reviews``, or has a
    top-level ``pools:`` key (read from its first :data:`~reanalyse.model.yamltext.MAX_BYTES`
    bytes)."""
    path = Path(path)
    if path.parent.name == "reviews":
        return True
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return bool(_POOLS_KEY.search(handle.read(MAX_BYTES)))
    except OSError:
        return False
