"""Hostile input to the number parsers and the study and analysis loaders.

Each reproducer is a valid synthetic study with one change; the promise is a ReanalyseError
naming the file, the line and the field (never another exception), in bounded time.  The
property-based tests at the end generate inputs with hypothesis (fixed seed, bounded examples).
"""

import itertools
import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from reanalyse.rebuild.continuous import ArmBox, k_sample_tests
from reanalyse.kernels.anova import between_group_ss, farthest_means, largest_ssb_bound
from reanalyse.cli import main
from reanalyse.errors import AnalysisFileError, ReanalyseError, StudyFileError
from reanalyse.kernels.columns import read_p, read_printed
from reanalyse.kernels.printed import PrintedNumberError, Rounding, parse_number, parse_p
from reanalyse.model.analysis import load_analysis
from reanalyse.model.studyfile import load_study

from model.test_studyfile import GOOD  # tests/model/, read through pythonpath = tests

STEM = "synthetic-hostile"
VALID = GOOD.format(stem=STEM)


def write(tmp_path, text, name=STEM + ".yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, old, new):
    assert old in VALID, old
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(StudyFileError) as caught:
        load_study(path)
    return caught.value


@pytest.mark.parametrize("old, new, field, problem", [
    ("mean: 8.60", "mean: 1e309", "outcomes[0].arms.treat.mean", "magnitude"),
    ("{n: 20, mean: 8.60", "{n: 1e309, mean: 8.60", "outcomes[0].arms.treat.n", "magnitude"),
    ("df: 38", "df: 1e309", "claims[0].reported.df", "magnitude"),
    ("citation:", "alpha: 1e309\ncitation:", "alpha", "magnitude"),
    ("mean: 8.60", "mean: 12345678901234567890", "outcomes[0].arms.treat.mean",
     "significant digits"),
    ("sd: 2.10", "sd: 1e300", "outcomes[0].arms.treat.sd", "larger than"),
    ("percent: 45.0", "percent: 1e-400", "outcomes[1].arms.control.percent", "magnitude"),
    ("mean: 8.60", "mean: " + "1" * 4301, "outcomes[0].arms.treat.mean", "longer than"),
    ("treat: {n: 20, events: 5}", "treat: {n: 1e18, events: 5}", "outcomes[1].arms.treat.n",
     "more than 100,000,000"),
    ("mean: 8.60", "mean: 1e-99999999999", "outcomes[0].arms.treat.mean", "magnitude"),
    ('p: "0.062"', 'p: "1e-10000000"', "claims[0].reported.p", "magnitude"),
    ("sd: 2.10", "sd: -2.10", "outcomes[0].arms.treat.sd", "must be positive"),
    ("    type: binary\n", '    type: binary\n    derived_from: score\n    cutoff: ">= 13 points"\n',
     "outcomes[1].cutoff", "cannot read the cut-off"),
])
def test_overflow_and_unbounded_numbers_are_named(tmp_path, old, new, field, problem):
    error = refused(tmp_path, old, new)
    assert error.field == field and problem in error.problem
    assert error.line and error.hint
    assert len(str(error.value)) <= 80  # an excerpt, never the whole value


@pytest.mark.parametrize("old, new, problem", [
    ('citation: "Synthetic study for tests"', "citation: 2019-13-45", "not a valid date"),
    ('citation: "Synthetic study for tests"', "citation: 2019-02-30", "not a valid date"),
    ("claims:", "? [a, b]\n: 1\nclaims:", "a key must be a single value"),
    ('citation: "Synthetic study for tests"', 'citation: "x"\nnotes: &a [*a]',
     "alias refers to the value that contains it"),
    ('citation: "Synthetic study for tests"', 'citation: "x"\nnotes: ' + "[" * 800 + "]" * 800,
     "nested more than"),
    ('citation: "Synthetic study for tests"', 'citation: "Synth\x00etic"', "U+0000"),
    ('citation: "Synthetic study for tests"', 'citation: "Synth\x0betic"', "U+000B"),
    ("claims:", "claims: !!python/object/apply:os.system\n  - echo\nx:", "is not allowed"),
])
def test_yaml_that_safe_load_refuses_is_refused_with_its_line(tmp_path, old, new, problem):
    error = refused(tmp_path, old, new)
    assert problem in error.problem and error.line


def test_a_tab_in_indentation_is_named(tmp_path):
    error = refused(tmp_path, "  - id: event", "\t- id: event")
    assert "tab" in error.hint and "column 1" in error.hint and error.line == 14


def test_billion_laughs_is_refused_at_once(tmp_path):
    levels = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    error = refused(tmp_path, 'citation: "Synthetic study for tests"',
                    'citation: "x"\nnotes:\n' + "\n".join(levels))
    assert "expands to more than" in error.problem


def test_merge_keys_work_as_in_safe_load(tmp_path):
    text = VALID.replace("  - {id: treat, label: Treatment, randomised: 20}\n"
                         "  - {id: control, label: Control, randomised: 20}",
                         "  - &arm {id: treat, label: Treatment, randomised: 20}\n"
                         "  - {<<: *arm, id: control, label: Control}")
    study = load_study(write(tmp_path, text))
    assert [(arm.id, arm.label, arm.randomised) for arm in study.arms] == [
        ("treat", "Treatment", 20), ("control", "Control", 20)]


def test_every_problem_of_a_file_at_once_with_suggestions(tmp_path):
    text = (VALID.replace("sd: 2.10", "stdev: 2.10").replace("events: 5", "evnts: 5")
            .replace("test: t,", "test: welsh_t,").replace("type: continuous", "type: continous"))
    with pytest.raises(StudyFileError) as caught:
        load_study(write(tmp_path, text))
    problems = caught.value.problems
    found = {(p.field, p.hint.split("?")[0]) for p in problems}
    assert found == {("outcomes[0].type", "did you mean 'continuous'"),
                     ("outcomes[1].arms.treat.evnts", "did you mean 'events'"),
                     ("claims[0].reported.test", "did you mean 'welch_t'")}
    # the arms of the outcome whose type is misspelt cannot be read, so 'stdev' is not reached;
    # with the type right, it is reported beside the others
    text = text.replace("type: continous", "type: continuous")
    with pytest.raises(StudyFileError) as caught:
        load_study(write(tmp_path, text))
    fields = [p.field for p in caught.value.problems]
    assert fields == ["outcomes[0].arms.treat.stdev", "outcomes[1].arms.treat.evnts",
                      "claims[0].reported.test"]
    assert all(p.line and p.path.name == STEM + ".yaml" for p in caught.value.problems)
    assert "3 problems" in str(caught.value)
    assert len(caught.value.to_dict()["problems"]) == 3


def test_a_percent_sign_is_dropped_from_a_percentage_and_named_elsewhere(tmp_path):
    study = load_study(write(tmp_path, VALID.replace("percent: 45.0", "percent: 43.3%")))
    assert study.outcomes[1].arms["control"].percent.text == "43.3"
    error = refused(tmp_path, "mean: 8.60", "mean: 8.60%")
    assert "'%'" in error.hint


def test_a_folder_or_a_binary_file_is_said_to_be_one(tmp_path):
    with pytest.raises(StudyFileError, match="is a folder") as caught:
        load_study(tmp_path)
    assert "UTF-8" not in str(caught.value)
    binary = tmp_path / "synthetic-binary.yaml"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(StudyFileError, match="binary file") as caught:
        load_study(binary)
    assert "UTF-8" not in str(caught.value)


def test_check_goes_on_after_a_bad_file(tmp_path, capsys):
    bad = write(tmp_path, VALID.replace("citation: \"Synthetic study for tests\"",
                                        "citation: 2019-13-45"), "synthetic-bad.yaml")
    bad.write_text(bad.read_text().replace(f"id: {STEM}", "id: synthetic-bad"))
    good = write(tmp_path, VALID)
    assert main(["check", str(bad), str(good)]) == 2
    captured = capsys.readouterr()
    assert "synthetic-bad.yaml:2" in captured.err and "lower-score" in captured.out


def test_the_tests_stay_finite_where_an_sd_interval_reaches_zero():
    # The loader refuses a printed SD of 0 (a transcription slip); the rebuilt tests still take
    # an SD interval reaching 0, as "0.0" reads under rounding: true SDs in (0, 0.05].  Means
    # 8.60 and 10.0, n = 20 each: the smallest |t| is at the closest means and the largest SDs,
    # (10.0 - 0.05 - 8.605) / sqrt(2 * 0.05**2 / 20) on 38 df for both tests (equal SDs and n:
    # Welch's df is 38 too); the SDs' lower ends reach 0, so p_min is 0.
    from scipy import stats

    from reanalyse.rebuild.continuous import ArmBox, two_sample_tests
    from reanalyse.kernels.printed import parse_number
    from reanalyse.model.study import ContinuousArm

    t_smallest = (10.0 - 0.05 - 8.605) / math.sqrt(2 * 0.05**2 / 20)
    boxes = [ArmBox.from_arm(ContinuousArm(n=20, mean=parse_number(mean),
                                           sd=parse_number("0.0")), "nearest")
             for mean in ("8.60", "10.0")]
    tests = {spec.name: spec for spec in two_sample_tests(*boxes)}
    assert set(tests) == {"student_t", "welch_t"}
    for spec in tests.values():
        assert spec.p_min == 0.0
        assert spec.p_max == pytest.approx(2 * stats.t.sf(t_smallest, 38), rel=1e-6)
        assert math.isfinite(spec.statistic)
        json.dumps(spec.to_dict(), allow_nan=False)


# k arms: the largest between-group sum of squares against every vertex of the box

def _boxes(rng, k):
    middle = rng.normal(0, rng.choice([0.01, 0.1, 1.0]), k)
    width = rng.choice([0.0, 0.01, 0.1, 1.0], k)
    return middle - width / 2, middle + width / 2, rng.integers(2, 100, k).astype(float)


def test_farthest_means_agree_with_every_vertex():
    rng = np.random.default_rng(7)
    for _ in range(400):
        low, high, n = _boxes(rng, int(rng.integers(2, 9)))
        vertices = np.array(list(itertools.product(*zip(low, high))))
        brute = between_group_ss(vertices, n).max()
        found = farthest_means(low, high, n)
        assert found is not None
        assert between_group_ss(found, n) == pytest.approx(brute, rel=1e-12, abs=1e-15)
        assert largest_ssb_bound(low, high, n) >= brute * (1 - 1e-12)


def test_anova_extremes_agree_with_the_enumeration_of_corners():
    """The old method: F at every vertex of the means' box with the SDs at their low (for the
    largest F) or high (for the smallest) ends; p from scipy's F distribution."""
    from scipy import stats

    rng = np.random.default_rng(11)
    for _ in range(50):
        k = int(rng.integers(3, 7))
        means = np.round(rng.normal(10, 1, k), 1)
        sds = np.round(rng.uniform(1, 3, k), 1)
        n = rng.integers(5, 40, k)
        arms = tuple(ArmBox(int(ni), m, m - 0.05, m + 0.05, s, s - 0.05, s + 0.05)
                     for ni, m, s in zip(n, means, sds))
        anova, _ = k_sample_tests(arms)
        vertices = np.array(list(itertools.product(*[(a.mean_low, a.mean_high) for a in arms])))
        df1, df2 = k - 1, n.sum() - k
        ssw_low = ((n - 1) * (sds - 0.05) ** 2).sum()
        f_max = between_group_ss(vertices, n).max() / df1 / (ssw_low / df2)
        assert anova.p_min == pytest.approx(stats.f.sf(f_max, df1, df2), rel=1e-9)


def test_many_arms_finish():
    rng = np.random.default_rng(3)
    arms = tuple(ArmBox(30, m, m - 0.05, m + 0.05, 2.0, 1.95, 2.05)
                 for m in np.round(rng.normal(5, 1, 60), 1))
    anova, welch = k_sample_tests(arms)
    assert 0 <= anova.p_min <= anova.p <= anova.p_max <= 1
    assert 0 <= welch.p_min <= welch.p_max <= 1
    same = tuple(ArmBox(30, 5.0, 4.95, 5.05, 2.0, 1.95, 2.05) for _ in range(60))
    anova, _ = k_sample_tests(same)  # every band overlaps: the guaranteed bound
    assert "bound" in anova.note and anova.p_min <= anova.p_max


# screens: one bad cell fails its row only

def test_hostile_cells_fail_their_row_only():
    column = read_printed(["8.60", "1e-99999999999", "1" * 5000, "2.5", "1e309"])
    assert list(column.valid) == [True, False, False, True, False]
    assert column.scaled[0] == 860 and column.scaled[3] == 25
    p = read_p(["< .05", "1e-10000000", ".034"])
    assert list(p.valid) == [True, False, True]


# analysis files

def _analysis(tmp_path, body):
    (tmp_path / "study.yaml").write_text("id: study\n")
    (tmp_path / "nb.ipynb").write_text("{}")
    path = tmp_path / "synthetic-analysis.yaml"
    path.write_text("study: study.yaml\nnotebook: nb.ipynb\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, field, line", [
    ("title: 2019-13-45\n", None, 3),
    ("parameters: {when: 2019-01-01}\n", "parameters.when", 3),
    ('title: "a\x00b"\n', None, 3),
    ("expected: {[a]: reproduced}\n", None, 3),
    ("expected: {true: reproduced}\n", "expected.True", 3),
    ("parameters: {x: 1.0e+999}\n", "parameters.x", 3),  # YAML 1.1 floats sign exponents
    ("options: !!python/object/apply:os.system [ls]\n", None, 3),
])
def test_bad_analysis_files_are_analysis_file_errors(tmp_path, body, field, line):
    with pytest.raises(AnalysisFileError) as caught:
        load_analysis(_analysis(tmp_path, body))
    assert caught.value.line == line and caught.value.field == field
    json.dumps(caught.value.to_dict())


# properties (hypothesis): valid result or a ReanalyseError naming file and field

# REANALYSE_FUZZ_EXAMPLES raises the number of examples for a longer search by hand.
PROPERTY = settings(max_examples=int(os.environ.get("REANALYSE_FUZZ_EXAMPLES", "300")),
                    derandomize=True, deadline=2000,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
NUMBER_TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[-+−]?\d{0,25}(\.\d{0,25})?([eE][-+]?\d{1,12})?%?", fullmatch=True),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-10**6, 10**6),
              st.integers(-10**12, 10**12)),
    st.integers(-10**40, 10**40),
)


@PROPERTY
@given(NUMBER_TEXT)
def test_parse_number_reads_or_explains(text):
    try:
        number = parse_number(text)
    except PrintedNumberError as error:
        assert error.problem and error.hint
        return
    assert math.isfinite(number.value)
    for rounding in Rounding:
        lower, upper = number.interval(rounding)
        assert lower <= number.value <= upper


@PROPERTY
@given(st.one_of(NUMBER_TEXT, st.builds(lambda rel, t: rel + str(t),
                                        st.sampled_from(["", "= ", "<", "> ", "p ≤ ", "P="]),
                                        NUMBER_TEXT)))
def test_parse_p_reads_or_explains(text):
    try:
        printed = parse_p(text)
    except PrintedNumberError as error:
        assert error.problem and error.hint
        return
    for rounding in Rounding:
        low, high = printed.interval(0.05, rounding)
        assert 0 <= low <= high <= 1


_VALID_LINES = VALID.splitlines(keepends=True)
_FRAGMENTS = st.one_of(
    st.sampled_from(["1e309", "-1", "0.0", "1e-99999", "2019-13-45", "&a [*a]", "!!set {a}",
                     "!!python/name:os.system", "{<<: {n: 3}}", "[", "]", "{", "? [a]", "\t",
                     "%", "%YAML 1.1", "---", "*undefined", "null", "true", "1" * 60, ".nan",
                     "-.inf", "0x1F", "0o17", "1_000", "'quoted'", "\"\\x00\"", "é", "\u202e",
                     "stdev", "evnts", "ttest", ": ", "- ", "#", "|", ">"]),
    st.text(max_size=12),
    st.from_regex(r"[-+]?\d{1,6}(\.\d{1,4})?(e[-+]?\d{1,6})?", fullmatch=True),
)


@st.composite
def _mutated(draw, lines):
    """A valid file with a few lines changed: a fragment put in, replacing or added."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        fragment = draw(_FRAGMENTS)
        how = draw(st.sampled_from(["value", "insert", "key", "delete"]))
        line = lines[at]
        if how == "value" and ":" in line:
            head, _, _ = line.rpartition(":")
            lines[at] = f"{head}: {fragment}\n"
        elif how == "key":
            indent = line[:len(line) - len(line.lstrip())]
            lines[at] = f"{indent}{fragment}: {line.split(':', 1)[-1].strip()}\n"
        elif how == "delete" and len(lines) > 1:
            del lines[at]
        else:
            lines.insert(at, fragment + "\n")
    return "".join(lines)


@PROPERTY
@given(_mutated(_VALID_LINES))
def test_study_loader_reads_or_explains(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / (STEM + ".yaml")
    path.write_text(text, encoding="utf-8")
    try:
        load_study(path)
    except StudyFileError as error:
        assert error.path == path and error.problem
        for problem in error.problems:
            assert problem.field or problem.line, problem
            assert len(str(problem.value or "")) <= 80
        json.dumps(error.to_dict())


_ANALYSIS = ("study: study.yaml\nnotebook: nb.ipynb\ntitle: A title\n"
             "options:\n  alpha: 0.05\n  rounding: nearest\n  defensible: [student_t, welch_t]\n"
             "parameters: {sweep_points: 21, label: x}\n"
             "expected:\n  lower-score: reproduced\n").splitlines(keepends=True)


@PROPERTY
@given(_mutated(_ANALYSIS))
def test_analysis_loader_reads_or_explains(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "study.yaml").write_text("id: study\n")
    (folder / "nb.ipynb").write_text("{}")
    path = folder / "synthetic-analysis.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        analysis = load_analysis(path)
        json.dumps(analysis.to_dict(), allow_nan=False)
    except ReanalyseError as error:
        assert isinstance(error, AnalysisFileError) and error.path == path and error.problem
        json.dumps(error.to_dict())


def test_the_generated_files_reach_both_outcomes(tmp_path_factory):
    """The mutations are not all refused, nor all harmless: among the first generated study
    and analysis files some load and some are refused, so both paths of the properties above
    are exercised.  Most mutations are refused (a study file is read after about one in
    twenty), so enough examples are drawn that a run with none read would mean the generator
    changed, whatever examples the run draws."""
    outcomes = {"study": set(), "analysis": set()}
    folder = tmp_path_factory.mktemp("outcomes")
    (folder / "study.yaml").write_text("id: study\n")
    (folder / "nb.ipynb").write_text("{}")

    @settings(max_examples=300, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(_mutated(_VALID_LINES), _mutated(_ANALYSIS))
    def load(study_text, analysis_text):
        for kind, text, name, loader in (
                ("study", study_text, STEM + ".yaml", load_study),
                ("analysis", analysis_text, "synthetic-analysis.yaml", load_analysis)):
            path = folder / name
            path.write_text(text, encoding="utf-8")
            try:
                loader(path)
                outcomes[kind].add("read")
            except ReanalyseError:
                outcomes[kind].add("refused")

    load()
    assert outcomes == {"study": {"read", "refused"}, "analysis": {"read", "refused"}}
