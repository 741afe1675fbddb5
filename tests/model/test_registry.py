"""One table of tests: names, aliases, families, and the study loader reading them."""

from pathlib import Path

import pytest

from reanalyse.claims.assess import check_file
from reanalyse.errors import StudyFileError
from reanalyse.model import tests
from reanalyse.model.studyfile import load_study

RAISI = Path(__file__).parents[2] / "data" / "raisi-dehkordi-2019.yaml"


@pytest.mark.parametrize("alias, name", [("fisher", "fisher_exact"), ("chisq", "pearson_chi2"),
                                         ("chi2", "pearson_chi2"), ("welch", "welch_t"),
                                         ("ttest", "student_t"), ("t", "student_t"),
                                         ("F", "anova_f"), ("z", "z_pooled")])
def test_aliases_name_one_test(alias, name):
    assert tests.lookup(alias) is tests.lookup(name)
    assert tests.lookup(alias).name == name


def test_families_and_what_cannot_be_rebuilt():
    assert [tests.family_of(n) for n in ("t", "welch", "F", "chisq", "z", "r", "fisher")] == [
        "t", "t", "F", "chi2", "z", "r", None]
    assert {t.name for t in tests.TESTS if not t.rebuildable} == {
        "regression", "ancova", "logistic", "mann_whitney"}
    # a printed F on two arms is t squared: compared with both t-tests too
    assert tests.same_family("F") == ("anova_f", "welch_anova", "student_t", "welch_t")
    assert tests.same_family("chi2") == ("pearson_chi2", "yates_chi2")


def test_names_are_unique():
    names = [name for t in tests.TESTS for name in (t.name, *t.aliases)]
    assert len(names) == len(set(names))


def _with_test(tmp_path, test):
    path = tmp_path / RAISI.name
    path.write_text(RAISI.read_text().replace("{test: chi2,", "{test: " + test + ","))
    return path


def test_the_loader_reads_aliases_and_the_check_resolves_them(tmp_path):
    # "chisq" is Pearson's chi-square, so the check judges the claim exactly as with "chi2"
    claim = load_study(_with_test(tmp_path, "chisq")).claims[2]
    assert claim.reported.test == "chisq"
    aliased = check_file(_with_test(tmp_path, "chisq")).claims[2]
    named = check_file(RAISI).claims[2]
    assert aliased.verdict == named.verdict
    assert [(s.name, s.role) for s in aliased.specs] == [(s.name, s.role) for s in named.specs]
    assert aliased.spec("pearson_chi2").role == "primary"
    fisher = check_file(_with_test(tmp_path, "fisher")).claims[2]
    assert fisher.spec("fisher_exact").role == "primary"


def test_an_unknown_test_name_gets_a_hint(tmp_path):
    with pytest.raises(StudyFileError, match="did you mean 'fisher'"):
        load_study(_with_test(tmp_path, "fishr"))
