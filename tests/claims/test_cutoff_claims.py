"""Exact bounds beyond a cut-off in the claim check, the loader's new fields, one-arm studies and
the report's picture.

Oracle: brute-force enumeration of every multiset of scores (n = 6 on 0..10 for the synthetic
study), the printed mean and SD read under the check's rounding in exact fractions; and the
integer range of a percentage enumerated over every count.
"""

import itertools
import textwrap
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest

from reanalyse.claims.assess import check_claim, check_file, check_study
from reanalyse.errors import StudyFileError
from reanalyse.kernels.cutoff_bounds import cutoff_bounds
from reanalyse.kernels.granularity import percent_count_range
from reanalyse.kernels.printed import Rounding, parse_number
from reanalyse.model.studyfile import load_study
from reanalyse.reports.report import cutoff_section

STUDIES = Path(__file__).parents[1] / "studies"
DATA = Path(__file__).parents[2] / "data"
COUNTS = STUDIES / "synthetic-cutoff-counts.yaml"


@lru_cache(maxsize=None)
def _datasets(n, top, mean, sd, rounding="nearest"):
    """Every multiset of n scores on 0..top whose mean and sample SD print as given."""
    mean_n, sd_n = parse_number(mean), parse_number(sd)
    out = []
    for scores in itertools.combinations_with_replacement(range(top + 1), n):
        m = Fraction(sum(scores), n)
        variance = sum((x - m) ** 2 for x in scores) / (n - 1)
        low, high, low_closed, high_closed = sd_n.bounds_exact(rounding)
        above = variance > low * low or (low_closed and variance == low * low)
        below = variance < high * high or (high_closed and variance == high * high)
        if mean_n.contains(m, rounding) and above and below:
            out.append(scores)
    return tuple(out)


def _possible_counts(n, top, mean, sd, cutoff):
    return {sum(x >= cutoff for x in scores) for scores in _datasets(n, top, mean, sd)}


def _claim(result, claim_id):
    return next(c for c in result.claims if c.claim.id == claim_id)


@pytest.fixture(scope="module")
def counts_check():
    return check_file(COUNTS)


def test_count_outside_the_exact_range_is_impossible_input(counts_check):
    # brute force: 6 scores on 0..10 with mean 3.00 and SD 1.10 never reach 6, so 3 of 6 at or
    # above 6 cannot be true
    possible = _possible_counts(6, 10, "3.00", "1.10", 6)
    assert possible == {0}
    check = _claim(counts_check, "stated-impossible")
    assert check.verdict.value == "impossible_input"
    assert "3 of 6 in Treatment at or above 6 cannot coexist with a mean of 3.00" in check.reason
    assert "those allow exactly 0" in check.reason
    # the control arm's printed 2 of 6 is possible (brute force), so it is not named
    assert 2 in _possible_counts(6, 10, "5.00", "2.00", 6)
    assert "Control" not in check.reason


def test_count_inside_the_exact_range_leaves_the_verdict_unchanged(counts_check):
    study = load_study(COUNTS)
    assert 0 in _possible_counts(6, 10, "3.00", "1.10", 6)
    check = _claim(counts_check, "stated-fits")
    # the same claim without derived_from (no exact bounds) gets the same verdict and reason
    plain = replace(study, outcomes=tuple(replace(o, derived_from=None, cutoff=None)
                                          if o.id == "high_fits" else o
                                          for o in study.outcomes))
    unchanged = check_claim(plain, next(c for c in plain.claims if c.id == "stated-fits"))
    assert (check.verdict, check.reason) == (unchanged.verdict, unchanged.reason)
    assert check.sensitivity.cutoff.impossible_reasons == ()


def test_exact_range_and_difference_match_brute_force(counts_check):
    analysis = _claim(counts_check, "stated-fits").sensitivity.cutoff
    treat, control = analysis.arms
    expected_treat = _possible_counts(6, 10, "3.00", "1.10", 6)
    expected_control = _possible_counts(6, 10, "5.00", "2.00", 6)
    assert (treat.stated.count_min, treat.stated.count_max) == (min(expected_treat),
                                                                 max(expected_treat))
    assert (control.stated.count_min, control.stated.count_max) == (min(expected_control),
                                                                     max(expected_control))
    differences = {a - c for a in expected_treat for c in expected_control}
    assert (analysis.difference.difference_min, analysis.difference.difference_max) == (
        min(differences), max(differences))
    assert treat.stated.verify() and control.stated.verify()


def test_sweep_note_names_the_cutoffs_brute_force_allows(counts_check):
    check = _claim(counts_check, "unknown-cutoff")
    assert check.verdict.value != "impossible_input"   # an unknown cut-off keeps the verdict
    analysis = check.sensitivity.cutoff
    treat, control = analysis.arms
    for arm, mean, sd, printed in ((treat, "3.00", "1.10", 3), (control, "5.00", "2.00", 2)):
        expected = [c for c in range(11) if printed in _possible_counts(6, 10, mean, sd, c)]
        assert [int(c) for c in arm.fitting_cutoffs()] == expected
    # brute force: 3 of 6 fits at 3 and 4; 2 of 6 at 5 to 7; no cut-off fits both
    assert "3 of 6 (Treatment) fits the printed mean and SD only with a cut-off of 3 to 4" \
        in analysis.notes[0]
    # the conventional >= 7 (the scale's cutoff_candidates) is named with its range
    assert max(_possible_counts(6, 10, "3.00", "1.10", 7)) == 0
    assert "at the conventional >= 7 at most 0 could be" in analysis.notes[0]
    assert "No single cut-off of the scale fits both printed counts" in analysis.notes
    assert any(note in check.sensitivity.to_dict()["cutoff"]["explanation"]
               for note in analysis.notes)


def test_reach_of_the_2x2_tests_over_the_allowed_counts(counts_check):
    from scipy.stats import fisher_exact

    analysis = _claim(counts_check, "stated-fits").sensitivity.cutoff
    reach = {r.name: r for r in analysis.reach}
    # Fisher's two-sided p over every count pair the brute-force ranges allow (scipy)
    pairs = [(a, c) for a in _possible_counts(6, 10, "3.00", "1.10", 6)
             for c in _possible_counts(6, 10, "5.00", "2.00", 6)]
    smallest = min(fisher_exact([[a, 6 - a], [c, 6 - c]])[1] for a, c in pairs)
    assert reach["fisher_exact"].p_min == pytest.approx(smallest, rel=1e-9)
    assert reach["fisher_exact"].reachable is bool(smallest <= 0.05)


def test_mean_and_sd_no_dataset_fits_is_impossible_for_the_continuous_claim(tmp_path):
    # brute force: 4 scores on 0..5 with mean 0.25 sum to 1, so the only dataset is
    # {1, 0, 0, 0} with SD 0.5: an SD of 1.0 is impossible.  GRIM, GRIMMER and the SD bound
    # (sqrt(4/3 x 4.75 x 0.25) = 1.26) all pass it.
    assert _datasets(4, 5, "0.25", "1.0") == ()
    text = textwrap.dedent("""\
        id: synthetic-no-dataset
        citation: "Synthetic study for tests"
        arms: [{id: treat, label: Treatment}, {id: control, label: Control}]
        outcomes:
          - id: score
            label: Score
            type: continuous
            scale: {min: 0, max: 5, items: 1}
            arms:
              treat: {n: 4, mean: "0.25", sd: "1.0"}
              control: {n: 4, mean: "2.50", sd: "1.0"}
        claims:
          - {id: lower, outcome: score, significant: true}
        """)
    path = tmp_path / "synthetic-no-dataset.yaml"
    path.write_text(text)
    check = check_file(path).claims[0]
    assert check.verdict.value == "impossible_input"
    assert "no 4 scores on the 0 to 5 scale of Score have a mean of 0.25 and an SD of 1.0" \
        in check.reason


def test_one_arm_study_loads_and_says_what_a_within_group_test_needs():
    result = check_file(STUDIES / "synthetic-one-arm.yaml")
    (check,) = result.claims
    assert check.verdict.value == "insufficient_information"
    assert "no between-group test is possible" in check.reason
    assert "correlation between the before and after scores" in check.reason
    assert "SD of the change, with n = 5" in check.reason
    assert check.to_dict()["verdict"] == "insufficient_information"


def test_a_study_with_no_arms_is_refused(tmp_path):
    path = tmp_path / "synthetic-none.yaml"
    path.write_text('id: synthetic-none\ncitation: x\narms: []\noutcomes: []\n')
    with pytest.raises(StudyFileError, match="at least one arm"):
        load_study(path)


@pytest.mark.parametrize("where, value, field, problem", [
    ("binary", '[">= 10", "about 13"]', "outcomes[1].cutoff_candidates[1]",
     "cannot read the cut-off"),
    ("binary", '[">= 10", ">=10"]', "outcomes[1].cutoff_candidates", "listed twice"),
    ("continuous", '[">= 10"]', "outcomes[0].cutoff_candidates", "belong to a binary outcome"),
    ("scale", '["13"]', "outcomes[0].scale.cutoff_candidates[0]", "cannot read the cut-off"),
])
def test_bad_cutoff_candidates_are_named(tmp_path, where, value, field, problem):
    text = textwrap.dedent("""\
        id: synthetic-candidates
        citation: "Synthetic study for tests"
        arms: [{id: treat}, {id: control}]
        outcomes:
          - id: score
            type: continuous
            scale: {min: 0, max: 30, items: 1SCALE}
            CONTINUOUS
            arms: {treat: {n: 9, mean: "9.1", sd: "2.0"}, control: {n: 9, mean: "9.9", sd: "2.2"}}
          - id: high
            type: binary
            derived_from: score
            BINARY
            arms: {treat: {n: 9, events: 2}, control: {n: 9, events: 3}}
        """)
    text = text.replace("SCALE", f", cutoff_candidates: {value}" if where == "scale" else "")
    text = text.replace("CONTINUOUS", f"cutoff_candidates: {value}" if where == "continuous"
                        else "label: Score")
    text = text.replace("BINARY", f"cutoff_candidates: {value}" if where == "binary"
                        else "label: High")
    path = tmp_path / "synthetic-candidates.yaml"
    path.write_text(text)
    with pytest.raises(StudyFileError) as caught:
        load_study(path)
    assert caught.value.field == field and problem in caught.value.problem
    assert caught.value.hint


def test_cutoff_candidates_are_read_with_the_one_parser():
    study = load_study(DATA / "raisi-dehkordi-2019.yaml")
    assert study.outcome("ppd_post").cutoff_candidates == (">= 10", ">= 13")
    assert load_study(COUNTS).outcome("score").scale.cutoff_candidates == (">= 7",)


def test_flagship_names_the_epds_cutoffs_its_counts_fit():
    result = check_file(DATA / "raisi-dehkordi-2019.yaml")
    check = _claim(result, "fewer-depressed")
    analysis = check.sensitivity.cutoff
    massage, control = analysis.arms
    # each fitting cut-off is proved by a witness with exactly the printed count, and each
    # cut-off left out by the exact range or a proof of no such dataset
    for arm, printed in ((massage, 15), (control, 26)):
        assert arm.fitting_cutoffs(), arm.label
        for bounds in arm.candidates:
            assert bounds.verify()
        for bounds, fits in zip(arm.sweep.bounds, arm.fits):
            assert fits is not None
            if not fits and bounds.determined and bounds.feasible:
                assert not bounds.count_min <= printed <= bounds.count_max or \
                    bounds.count_min < printed < bounds.count_max
    assert "15 of 60 (Infant massage) fits the printed mean and SD only with a cut-off of" \
        in analysis.notes[0]
    assert "at the conventional >= 13" in analysis.notes[0]
    assert check.verdict.value == "fragile"          # no stated cut-off: the verdict stands


def test_budget_exhausted_is_undetermined_within_a_proven_bracket(monkeypatch):
    from reanalyse.kernels.cutoff_bounds import decision

    full = cutoff_bounds(60, "9.2", "2.04", (0, 30), 10)
    # without the exact decision near the extreme spread this cut-off needs integer
    # programmes; with none allowed it is undetermined, within a bracket that holds the answer
    monkeypatch.setattr(decision, "DEFICIT_LIMIT", -1)
    starved = cutoff_bounds(60, "9.2", "2.04", (0, 30), 10, programmes=0)
    again = cutoff_bounds(60, "9.2", "2.04", (0, 30), 10, programmes=0)
    assert full.determined and (full.count_min, full.count_max) == (2, 52)
    assert not starved.determined and starved.feasible is None
    assert starved.count_min is None and starved.count_max is None
    low, high = starved.bracket
    assert low <= full.count_min and full.count_max <= high
    assert again.to_dict() == starved.to_dict()        # work, not time: the same answer
    with pytest.raises(ValueError, match="programmes"):
        cutoff_bounds(60, "9.2", "2.04", (0, 30), 10, programmes=-1)


@pytest.mark.parametrize("rounding", [r.value for r in Rounding])
def test_percent_count_range_matches_enumeration(rounding):
    for n in range(1, 41):
        for text in ("0", "2.5", "25.0", "33.3", "33", "50", "66.7", "100", "12.50"):
            number = parse_number(text)
            expected = [k for k in range(n + 1) if number.contains(Fraction(100 * k, n),
                                                                   rounding)]
            assert list(percent_count_range(text, n, rounding)) == expected, (n, text)


def test_report_section_draws_the_bands():
    result = check_file(DATA / "raisi-dehkordi-2019.yaml")
    html = cutoff_section(_claim(result, "fewer-depressed")).text
    assert html.count("<svg") == 2                          # one picture per arm
    assert "Infant massage: possible counts at each cut-off" in html   # labels stay text
    assert "printed: 15 of 60" in html and "printed: 26 of 60" in html
    assert cutoff_section(_claim(result, "lower-epds")) is None   # a continuous claim: none


def test_the_cutoff_section_says_in_one_sentence_what_to_take_from_it():
    from reanalyse.reports.report import cutoff_takeaway

    result = check_file(COUNTS)
    unknown = _claim(result, "unknown-cutoff").sensitivity.cutoff
    # brute force over every multiset of 6 scores on 0..10: the cut-offs at which each printed
    # count is possible, and the most at or above the conventional 7
    fits = [{c for c in range(11) if printed in _possible_counts(6, 10, mean, sd, c)}
            for mean, sd, printed in (("3.00", "1.10", 3), ("5.00", "2.00", 2))]
    assert not fits[0] & fits[1]
    most = [max(_possible_counts(6, 10, mean, sd, 7))
            for mean, sd in (("3.00", "1.10"), ("5.00", "2.00"))]
    assert cutoff_takeaway(unknown) == (
        "No single cut-off of the scale lets the printed counts 3 of 6 and 2 of 6 fit the "
        f"printed means and SDs; at the conventional >= 7 at most {most[0]} of 6 (Treatment) "
        f"and {most[1]} of 6 (Control) could be.")
    stated = _claim(result, "stated-fits").sensitivity.cutoff
    low, high = (min(_possible_counts(6, 10, "5.00", "2.00", 6)),
                 max(_possible_counts(6, 10, "5.00", "2.00", 6)))
    assert _possible_counts(6, 10, "3.00", "1.10", 6) == {0}
    assert cutoff_takeaway(stated) == (
        "At the stated cut-off (>= 6) the printed means and SDs allow exactly 0 of 6 "
        f"(Treatment, printed 0) and {low} to {high} of 6 (Control, printed 2).")


def test_the_flagship_bottom_line_names_the_cutoffs_its_counts_fit():
    from reanalyse.reports.report import bottom_line

    result = check_file(DATA / "raisi-dehkordi-2019.yaml")
    analysis = _claim(result, "fewer-depressed").sensitivity.cutoff
    both = sorted(set(analysis.arms[0].fitting_cutoffs()) & set(analysis.arms[1].fitting_cutoffs()))
    at_13 = [next(b for b in arm.candidates if b.cutoff == 13) for arm in analysis.arms]
    assert all(b.verify() for b in at_13)  # each end attained by a witness dataset
    text = bottom_line(result)
    items = text.split("<li>")[1:]
    fewer = next(item for item in items if "fewer-depressed" in item)
    assert both == list(range(int(both[0]), int(both[-1]) + 1))  # one run of cut-offs
    assert (f"only if the cut-off is {both[0]} to {both[-1]}" in fewer
            and f"at the conventional &gt;= 13 at most {at_13[0].count_max} of 60 "
                "(Infant massage)" in fewer)
    odds = next(item for item in items if "adjusted-odds" in item)
    # the second claim on the outcome says the finding itself, not a pointer to the first
    assert f"only if the cut-off is {both[0]} to {both[-1]}" in odds
    assert "same cut-off bounds" not in odds
    assert not any("cut-off" in item for item in items if "lower-epds" in item)


def test_the_cutoff_section_is_shown_once_per_outcome(monkeypatch):
    import IPython.display

    from reanalyse.reports import report

    study = load_study(DATA / "raisi-dehkordi-2019.yaml")
    result = check_study(study)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda item: shown.append(str(item)))
    report.show_claims(result, study)
    # the bands and witnesses are drawn once; the other claim says the finding and where
    assert sum("Every bound in words" in text for text in shown) == 1
    pointer = [text for text in shown if "are drawn under fewer-depressed." in text]
    assert len(pointer) == 1 and "only if the cut-off is 9 to 11" in pointer[0]
