"""Attrition bounds on the inputs a generated-input run found: counts and means that arrive as
NumPy numbers (counts read from printed percentages, means from an SE's rounding box), through
the public function and through ``check_file`` on a synthetic study."""

import json

import numpy as np
import pytest

from reanalyse.claims.assess import check_file
from reanalyse.sensitivity import attrition_bounds_binary

# Synthetic study (generated, no real trial): 90 and 300 randomised, 89 and 200 analysed; the
# treatment arm's events are printed as a percentage (46 / 89 = 51.7%), and the control arm's
# spread as an SE.
PERCENT_STUDY = """\
id: synthetic-attrition
citation: Generated input (no real trial)
arms:
- {id: treat, label: Treat, randomised: 90}
- {id: control, label: Control, randomised: 300}
outcomes:
- id: score
  label: Score
  type: continuous
  scale: {min: 0, max: 63}
  arms:
    treat: {n: 89, mean: 36.0, ci: [30.98, 41.02]}
    control: {n: 200, mean: 4.08, se: 1.662}
- id: cases
  label: Cases
  type: binary
  arms:
    treat: {n: 89, percent: 51.7}
    control: {n: 200, events: 187}
claims:
- id: score-claim
  outcome: score
  significant: true
  reported: {test: t, p: '.03'}
- id: cases-claim
  outcome: cases
  significant: true
  reported: {test: fisher_exact, p: '.03'}
"""


def test_numpy_counts_give_the_same_bounds_as_python_integers():
    # 2/12 vs 9/15, 7 lost from the first arm; R: fisher.test(matrix(c(2, 10, 9, 6), 2))
    # p = 0.04732804 on the participants analysed (as in test_attrition.py)
    plain = attrition_bounds_binary(2, 12, 7, 9, 15, 0)
    numpy = attrition_bounds_binary(np.int64(2), np.int64(12), 7, np.int64(9), np.int64(15), 0)
    assert numpy.observed_p == pytest.approx(0.0473280387669943, rel=1e-9)
    assert [s.to_dict() for s in numpy.scenarios] == [s.to_dict() for s in plain.scenarios]


def test_a_study_with_printed_percentages_and_attrition_is_checked(tmp_path):
    path = tmp_path / "synthetic-attrition.yaml"
    path.write_text(PERCENT_STUDY, encoding="utf-8")
    claims = check_file(path).to_dict()["claims"]
    assert [claim["id"] for claim in claims] == ["score-claim", "cases-claim"]
    for claim in claims:
        attrition = claim["sensitivity"]["attrition"]
        # 1 lost from the treatment arm and 100 from the control arm
        assert attrition["computed"], attrition
        assert (attrition["treat_missing"], attrition["control_missing"]) == (1, 100)
    json.dumps(claims)
