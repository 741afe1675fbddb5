"""The tests ``reanalyse`` knows: one table, read by the study loader, the check, the verdict and
the sensitivity analyses alike.

A study file names the test a paper reported (``test: t``); the check rebuilds *specs* from the
printed summaries (``student_t``, ``fisher_exact`` ...) and from the printed result
(``reported_statistic``, ``ci_to_p``).  Each :class:`TestSpec` says what a name means:

``family``
    The distribution of its statistic (``t``, ``F``, ``chi2``, ``z``, ``r``; None for exact
    tests and models), which decides how a printed statistic is turned into a p.
``outcome``
    The outcome type it applies to (``continuous``, ``binary``; None for either).
``rebuildable``
    False for models the printed summaries cannot rebuild (covariate adjustment, rank tests):
    a claim resting on one gets every rebuilt spec as context only.
``spec``
    Whether the check computes it (the names an analysis's ``defensible`` option may list).
``printed``
    Whether a study file may name it as the reported test.
``aliases``
    Other names a study file may use (``t``, ``chisq``, ``fisher``, ``welch`` ...).
``reported``
    How a sentence names it as the test a paper reports (``a one-way ANOVA``); a paper that
    names only the statistic's family (``t``, ``F``, ``chi2``, ``z``) reports "a t-test" and so
    on (:data:`FAMILY_PHRASES`).

>>> lookup("fisher").name
'fisher_exact'
>>> lookup("t").family
't'
>>> lookup("ancova").rebuildable
False
"""

from __future__ import annotations

from dataclasses import dataclass

from reanalyse.kernels.twobytwo import FISHER_EXACT, PEARSON_CHI2, YATES_CHI2, Z_POOLED

__all__ = ["TestSpec", "TESTS", "FAMILY_PHRASES", "lookup", "family_of", "spec_names",
           "printed_names", "primary_spec", "same_family", "squared_specs", "label", "phrase",
           "reported_phrase", "STUDENT_T", "WELCH_T", "ANOVA_F", "WELCH_ANOVA",
           "BOSCHLOO_EXACT", "REPORTED_STATISTIC", "CI_TO_P"]

#: The rebuilt tests of means, by name (the 2 x 2 tests are named by their kernel,
#: :data:`reanalyse.kernels.twobytwo.TESTS`).
STUDENT_T, WELCH_T, ANOVA_F, WELCH_ANOVA = "student_t", "welch_t", "anova_f", "welch_anova"
#: Boschloo's exact test, rebuilt where Fisher's p leaves the decision open.
BOSCHLOO_EXACT = "boschloo_exact"
#: The p-values of the paper's own printed numbers: its statistic, and its CI.
REPORTED_STATISTIC, CI_TO_P = "reported_statistic", "ci_to_p"


@dataclass(frozen=True)
class TestSpec:
    """One test: its name, how it is shown, its statistic's family and what may name it."""

    __test__ = False          # not a pytest test class

    name: str
    label: str
    phrase: str
    family: str | None
    outcome: str | None
    rebuildable: bool = True
    spec: bool = True
    printed: bool = True
    aliases: tuple[str, ...] = ()
    reported: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"name": self.name, "label": self.label, "family": self.family,
                "outcome": self.outcome, "rebuildable": self.rebuildable, "spec": self.spec,
                "printed": self.printed, "aliases": list(self.aliases)}


#: Every test, in the order the check reports its specs.  The first spec of an outcome type
#: is the design's default test.
TESTS = (
    TestSpec(STUDENT_T, "Student's t-test", "Student's t-test", "t", "continuous",
             aliases=("t", "ttest", "t_test", "student"), reported="Student's t-test"),
    TestSpec(WELCH_T, "Welch's t-test", "Welch's t-test", "t", "continuous",
             aliases=("welch", "welch_test"), reported="Welch's t-test"),
    TestSpec(ANOVA_F, "one-way ANOVA", "one-way ANOVA", "F", "continuous",
             aliases=("F", "anova"), reported="a one-way ANOVA"),
    TestSpec(WELCH_ANOVA, "Welch's ANOVA", "Welch's ANOVA", "F", "continuous",
             reported="Welch's ANOVA"),
    TestSpec(PEARSON_CHI2, "Pearson's chi-square", "Pearson's chi-square", "chi2", "binary",
             aliases=("chi2", "chisq", "chi_square", "pearson"),
             reported="Pearson's chi-square test"),
    TestSpec(YATES_CHI2, "Yates-corrected chi-square", "Yates' chi-square", "chi2", "binary",
             aliases=("yates",), reported="a Yates-corrected chi-square test"),
    TestSpec(FISHER_EXACT, "Fisher's exact test", "Fisher's exact test", None, "binary",
             aliases=("fisher",), reported="Fisher's exact test"),
    TestSpec(BOSCHLOO_EXACT, "Boschloo's exact test", "Boschloo's exact test", None, "binary",
             aliases=("boschloo",), reported="Boschloo's exact test"),
    TestSpec(Z_POOLED, "two-proportion z-test (pooled)", "the pooled z-test", "z", "binary",
             aliases=("z",), reported="a pooled two-proportion z-test"),
    TestSpec(REPORTED_STATISTIC, "p from the printed statistic",
             "the p of the printed statistic", None, None, printed=False),
    TestSpec(CI_TO_P, "p implied by the printed CI", "the p implied by the printed CI", None,
             None, printed=False),
    TestSpec("r", "test of a correlation", "the correlation's t-test", "r", None, spec=False,
             reported="a correlation"),
    TestSpec("mann_whitney", "Mann-Whitney U test", "the Mann-Whitney U test", None,
             "continuous", rebuildable=False, spec=False, aliases=("wilcoxon_rank_sum",),
             reported="a Mann-Whitney test"),
    TestSpec("regression", "regression model", "a regression model", None, None,
             rebuildable=False, spec=False, reported="a regression model"),
    TestSpec("ancova", "ANCOVA", "an ANCOVA", None, "continuous", rebuildable=False,
             spec=False, reported="an ANCOVA"),
    TestSpec("logistic", "logistic regression", "a logistic regression", None, "binary",
             rebuildable=False, spec=False, reported="a logistic regression"),
)

#: How a sentence names a test a paper reports by its statistic's family alone.
FAMILY_PHRASES = {"t": "a t-test", "F": "an F-test", "chi2": "a chi-square test", "z": "a z-test"}

_BY_NAME = {test.name: test for test in TESTS}
_BY_ALIAS = {**{alias: test for test in TESTS for alias in test.aliases}, **_BY_NAME}


def lookup(name: str | None) -> TestSpec | None:
    """The test called ``name`` or one of its aliases (None for None or an unknown name)."""
    return None if name is None else _BY_ALIAS.get(name)


def family_of(name: str | None) -> str | None:
    """The distribution family of the statistic of the test called ``name``."""
    test = lookup(name)
    return None if test is None else test.family


def spec_names() -> tuple[str, ...]:
    """Names of the specs the check computes."""
    return tuple(test.name for test in TESTS if test.spec)


def printed_names() -> tuple[str, ...]:
    """Every name (and alias) a study file may give as the reported test."""
    return tuple(name for test in TESTS if test.printed for name in (test.name, *test.aliases))


def primary_spec(name: str | None) -> str | None:
    """The rebuilt spec that is primary when a paper names the test ``name`` (None when no
    rebuilt spec is that test)."""
    test = lookup(name)
    return test.name if test is not None and test.spec and test.printed else None


def same_family(family: str) -> tuple[str, ...]:
    """Rebuilt specs whose statistic is comparable with a printed statistic of ``family``.

    For a two-arm continuous outcome F = t**2, so a printed F is also compared with the
    t-tests (see :func:`squared_specs`).
    """
    specs = tuple(test.name for test in TESTS
                  if test.family == family and test.spec and test.printed)
    return specs + squared_specs(family)


def squared_specs(family: str) -> tuple[str, ...]:
    """The specs whose statistic squared is a printed statistic of ``family`` (t for F)."""
    if family != "F":
        return ()
    return tuple(test.name for test in TESTS if test.family == "t" and test.spec)


def label(name: str) -> str:
    """The label of a test in a table."""
    return _BY_ALIAS[name].label


def phrase(name: str) -> str:
    """How a sentence names a test (``the pooled z-test``)."""
    return _BY_ALIAS[name].phrase


def reported_phrase(name: str) -> str:
    """How a sentence names the test a paper reports as ``name`` (``a t-test`` for ``t``,
    ``Welch's t-test`` for ``welch``); an unknown name is given as written.

    >>> reported_phrase("t"), reported_phrase("welch"), reported_phrase("a new test")
    ('a t-test', "Welch's t-test", 'a new test')
    """
    if name in FAMILY_PHRASES:
        return FAMILY_PHRASES[name]
    test = lookup(name)
    return test.reported if test is not None and test.reported else name
