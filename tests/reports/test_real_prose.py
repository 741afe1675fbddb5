"""The claim paragraph (explain) of real reports: an adjusted result whose crude tests disagree
says so, and a test that is only bounded is not quoted with a p of 0."""

from pathlib import Path

import reanalyse as ra

ROOT = Path(__file__).resolve().parents[2]


def test_the_paragraph_names_a_lack_of_significance_resting_on_adjustment():
    # PMC8762841, home childbirths: OR 0.40 (0.15 to 1.05) beside 17/156 v 27/116, whose crude
    # tests all give p <= 0.0100 (tests/claims/test_real_adjustment.py has the R values)
    result = ra.check(ROOT / "data" / "pmc8762841.yaml", rounding="nearest")
    text = result["perineal-trauma-home-or"].explain()
    assert "Its lack of significance rests on the adjustment" in text
    assert "rests on the adjustment" not in result["any-primary-or"].explain()


def test_an_only_bounded_test_is_quoted_by_its_bound():
    # Begley 2011, augmentation: 436/1101 v 314/552. Boschloo's test is not run where Fisher's
    # p decides (Boschloo's p is never larger); R:
    # fisher.test(matrix(c(436, 665, 314, 238), 2, byrow = TRUE))$p.value  # 3.577266e-11
    text = ra.check(ROOT / "data" / "begley-2011.yaml",
                    rounding="nearest")["less-augmentation"].explain()
    assert "Boschloo's exact test (p at most 3.58e-11)" in text
    assert "p from 0 to" not in text
    # the verdict's gloss names the printed estimate among what may fail to rebuild
    assert "estimate or confidence interval cannot be rebuilt" in text


def test_an_estimate_beside_an_unrebuildable_test_is_still_checked_in_the_paragraph():
    # Morrell 2000, role limitation (physical) at six weeks: -7.9 (-14.6 to 0.9) beside a
    # Mann-Whitney P; Welch's interval at the printed numbers is -14.64 to -1.36 (R in
    # tests/claims/test_real_adjustment.py), so the printed upper end 0.9 is no method's
    result = ra.check(ROOT / "data" / "morrell-2000.yaml", rounding="nearest")
    text = result["role-physical-6w"].explain()
    assert "The printed estimate is checked all the same: the printed MD -7.9" in text
    assert "checked all the same" not in result["general-health-6w"].explain()
