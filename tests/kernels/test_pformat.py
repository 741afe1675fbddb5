"""The one p formatter: three significant digits, scientific below 0.0001 (hand-worked cases)."""

import numpy as np
import pytest

from reanalyse.claims.verdicts import format_p_interval
from reanalyse.rebuild.results import SpecResult
from reanalyse.kernels.pformat import format_p


@pytest.mark.parametrize("p, text", [
    (0.034187, "0.0342"), (0.5096, "0.510"), (0.05, "0.0500"), (1.0, "1.00"),
    (0.09996, "0.100"),           # 999.6 carries to 0.100, still three digits
    (0.00026403, "0.000264"), (0.0001, "0.000100"),
    (2.376e-06, "2.38e-06"), (9.996e-06, "1.00e-05"), (5e-324, "4.94e-324"),
    (0.0, "0"), (None, "not computed"), (float("nan"), "not computed"),
])
def test_the_rule(p, text):
    assert format_p(p) == text


def test_arrays_and_sentences_follow_the_same_rule():
    assert list(format_p(np.array([0.5, 3.6e-7, np.nan]))) == ["0.500", "3.60e-07",
                                                                "not computed"]
    spec = SpecResult(name="student_t", label="Student's t-test", statistic=2.2, p=0.0342,
                      p_min=0.0339, p_max=0.0345, significant=True)
    assert format_p_interval(spec) == "p 0.0339 to 0.0345"


def test_one_p_and_an_array_are_written_alike():
    rng = np.random.default_rng(5)
    values = np.concatenate([10 ** rng.uniform(-12, 0, 5000), [0.09996, 0.0125, 0.99995, 1e-4]])
    assert list(format_p(values)) == [format_p(float(v)) for v in values]
