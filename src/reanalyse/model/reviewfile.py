"""Load and check a review file (``reviews/<review>.yaml``) into a :class:`~reanalyse.model.review.Review`.

A review names its pooled analyses.  Each has a measure, the method as the review printed
it, its included studies and the pooled line it printed, which is judged like a claim::

    id: michael-2013                     # the file stem; [a-z0-9-] only
    citation: "Michael RB, et al. ... Psychon Bull Rev. 2013;20(4):720-5."
    doi: 10.3758/s13423-013-0391-6       # optional
    title: Brain images and persuasion   # optional; the report's heading
    alpha: 0.05                          # optional; default 0.05, two-sided
    sources:                             # optional, as in study files
      - {citation: "...", kind: secondary, note: "..."}
    notes: "..."                         # optional
    pools:
      - id: agreement                    # [A-Za-z0-9_-]
        label: Agreement with the article's conclusion (1 to 4)
        measure: MD                      # MD | SMD | OR | RR | RD (treatment v control)
        method: "random effects"         # the method as printed (text)
        model: random                    # optional: random | common, as printed
        estimator: REML                  # optional: FE | DL | REML | PM | MH | PETO
        hksj: false                      # optional: the Hartung-Knapp adjustment was used
        arms: [Brain image, No brain image]   # optional labels: treatment, control
        source: "Table 1"                # where the per-study rows were read
        studies:
          - id: experiment-1             # printed per-study numbers, with their source
            label: Experiment 1
            treat: {n: 98, mean: 2.86, sd: 0.61}     # or {n: 30, events: 4}
            control: {n: 99, mean: 2.90, sd: 0.58}
            source: "Table 1, row 2"
          - study: ../data/onozawa-2001.yaml     # or a study file: its outcome and arms
            outcome: epds_post
            arms: [massage, control]
        printed:                         # the pooled line as printed; every field optional
          text: "0.07, 95% CI [0.00, 0.14], z = 1.84, p = .07"
          estimate: 0.07                 # on the ratio scale for OR and RR
          ci: [0.00, 0.14]
          level: 0.95
          z: 1.84                        # or t: ... (with the Hartung-Knapp adjustment)
          p: ".07"
          tau2: 0.004
          chi2: 15.73                    # Cochran's Q (RevMan's Chi²)
          df: 11
          i2: 29                         # percent
          significant: false             # optional; else what p (or the CI) says
          source: "Results, p. 723"
    expected: {agreement: reproduced}    # written by `reanalyse run --record`

Numbers keep their printed decimals (as in study files).  :func:`load_review` reports every
problem of the file at once, each as a :class:`~reanalyse.errors.ReviewFileError` naming the
file, line, field, value and a hint.  A study file named by a pool is read too, and its
outcome and arms must exist in it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reanalyse.errors import ReviewFileError, StudyFileError
from reanalyse.kernels.printed import PrintedNumberError, PrintedP, parse_p
from reanalyse.model.analysis import VERDICTS
from reanalyse.model.fields import _join, _Reader, _soft, _suggest
from reanalyse.model.review import (COUNT_ESTIMATORS, ESTIMATORS, MEASURES, MODELS,
                                    RATIO_MEASURES, REVIEW_KEYS, IncludedStudy, Pool,
                                    PrintedPool, Review)
from reanalyse.model.study import Source
from reanalyse.model.studyfile import _binary_arm, _continuous_arm, load_study
from reanalyse.model.yamltext import Located, read_yaml

__all__ = ["load_review"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
_KEY_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
#: Most pools in a review and studies in a pool (a review with more is a typo or a table).
MAX_POOLS, MAX_STUDIES = 200, 2000


class _ReviewReader(_Reader):
    error_type = ReviewFileError
    keys = REVIEW_KEYS

    @_soft
    def p_value(self, mapping: Located, key, field) -> PrintedP | None:
        value = mapping.get(key)
        if value is None:
            return None
        try:
            return parse_p(str(value))
        except PrintedNumberError as error:
            self.fail(error.problem, field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint=error.hint)


def load_review(path) -> Review:
    """Read, check and return the review in ``path``; every problem of the file at once.

    Raises
    ------
    ReviewFileError
        Naming the file, line, field, value and a hint, for each problem in the file.
    """
    path = Path(os.path.abspath(path))
    data = read_yaml(path, ReviewFileError)
    reader = _ReviewReader(path)
    try:
        review = _review(reader, path, data)
    except ReviewFileError:
        review = None  # recorded; raised below with the others
    reader.raise_problems()
    return review


def _review(reader, path: Path, data) -> Review:
    top = reader.mapping(data, "", 1, "review")
    review_id = reader.string(top, "id", "", required=True, pattern=_ID,
                              pattern_hint="lower-case letters, digits and '-', e.g. "
                                           "michael-2013")
    if review_id is not None and review_id != path.stem:
        reader.note("id differs from the file name", field="id", value=review_id,
                    line=top.line_of("id"),
                    hint=f"name the file {review_id}.yaml or set id: {path.stem}")
    citation = reader.string(top, "citation", "", required=True)
    alpha = reader.fraction(top, "alpha", "", default=0.05)
    sources = _sources(reader, top)
    pools = []
    written = top.get("pools")
    if written is None:
        reader.note("missing required field 'pools'", field="pools", line=top.line,
                    hint="list the review's pooled analyses under 'pools:'")
    elif reader.sequence(written, "pools", top.line_of("pools")) is not None:
        if len(written) > MAX_POOLS:
            reader.fail(f"more than {MAX_POOLS} pooled analyses", field="pools",
                        value=len(written), line=top.line_of("pools"),
                        hint="split the review into several files")
        for i, item in enumerate(written):
            try:
                pools.append(_pool(reader, item, f"pools[{i}]", _line(written, i, top),
                                   alpha))
            except ReviewFileError:
                continue
    ids = [pool.id for pool in pools]
    for pool_id in {i for i in ids if ids.count(i) > 1}:
        reader.note("two pools have the same id", field="pools", value=pool_id,
                    line=top.line_of("pools"), hint="give each pool its own id")
    notebook = None
    if top.get("notebook") is not None:
        try:
            notebook = _file(reader, top, "notebook", "", ".ipynb")
        except ReviewFileError:
            notebook = None
    return Review(id=review_id, citation=citation, path=path, pools=tuple(pools),
                  doi=reader.string(top, "doi", ""), title=reader.string(top, "title", ""),
                  alpha=alpha, sources=sources, notes=reader.string(top, "notes", ""),
                  expected=_expected(reader, top, ids), notebook=notebook)


def _line(items, i, parent) -> int:
    lines = getattr(items, "item_lines", None)
    return lines[i] if lines and i < len(lines) else parent.line


def _sources(reader, top) -> tuple[Source, ...]:
    if top.get("sources") is None:
        return ()
    items = reader.sequence(top["sources"], "sources", top.line_of("sources"))
    found = []
    for i, item in enumerate(items):
        item = reader.mapping(item, f"sources[{i}]", _line(items, i, top), "source")
        kind = reader.choice(item, "kind", f"sources[{i}]", ("primary", "secondary"),
                             default="primary")
        citation = reader.string(item, "citation", f"sources[{i}]", required=True)
        if citation is not None:
            found.append(Source(citation, kind, reader.string(item, "note", f"sources[{i}]")))
    return tuple(found)


def _file(reader, mapping, key, field, suffix: str) -> Path:
    written = str(mapping[key])
    target = Path(os.path.normpath(reader.path.parent / Path(written).expanduser()))
    if target.suffix != suffix and not (suffix == ".yaml" and target.suffix == ".yml"):
        reader.fail(f"expected a {suffix} file", field=_join(field, key), value=written,
                    line=mapping.line_of(key), hint=f"name a {suffix} file")
    if not target.is_file():
        reader.fail("no such file", field=_join(field, key), value=written,
                    line=mapping.line_of(key),
                    hint="paths are relative to the review file, e.g. ../data/x.yaml")
    return target


def _pool(reader, item, field, line, alpha) -> Pool:
    item = reader.mapping(item, field, line, "pool")
    problems = len(reader.problems)
    pool_id = reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                            pattern_hint="letters, digits, '_' and '-', e.g. agreement")
    measure = reader.choice(item, "measure", field, MEASURES)
    if measure is None and "measure" not in item:
        reader.note("missing required field 'measure'", field=_join(field, "measure"),
                    line=item.line, hint="one of " + ", ".join(MEASURES))
    model = reader.choice(item, "model", field, MODELS)
    estimator = reader.choice(item, "estimator", field, ESTIMATORS)
    if model is not None and estimator is not None and \
            (estimator in ("DL", "REML", "PM")) != (model == "random"):
        reader.note(f"a {model}-effect model cannot use {estimator}",
                    field=_join(field, "estimator"), value=estimator,
                    line=item.line_of("estimator"),
                    hint="random effects: DL, REML or PM; common effect: FE, MH or PETO")
    if estimator in COUNT_ESTIMATORS and measure not in COUNT_ESTIMATORS[estimator] + (None,):
        reader.note(f"{estimator} does not pool {measure}", field=_join(field, "estimator"),
                    value=estimator, line=item.line_of("estimator"),
                    hint=f"{estimator} pools " + ", ".join(COUNT_ESTIMATORS[estimator]))
    kind = "binary" if measure in ("OR", "RR", "RD") else "continuous"
    arms = _pair(reader, item, "arms", field)
    studies = _studies(reader, item, field, kind)
    printed = _printed(reader, item, field, measure)
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return Pool(id=pool_id, label=reader.string(item, "label", field) or pool_id,
                measure=measure, type=kind, method=reader.string(item, "method", field),
                model=model, estimator=estimator, hksj=reader.boolean(item, "hksj", field, default=False),
                studies=studies, printed=printed, arms=arms,
                source=reader.string(item, "source", field))


@_soft
def _pair(reader, item, key, field):
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(v, str) and not isinstance(v, bool) for v in value):
        reader.fail("expected two names: [treatment, control]", field=_join(field, key),
                    value=value, line=item.line_of(key), hint="e.g. arms: [massage, control]")
    return str(value[0]), str(value[1])


def _studies(reader, item, field, kind) -> tuple[IncludedStudy, ...]:
    written = item.get("studies")
    if written is None:
        reader.note("missing required field 'studies'", field=_join(field, "studies"),
                    line=item.line, hint="list the pool's included studies")
        return ()
    rows = reader.sequence(written, _join(field, "studies"), item.line_of("studies"))
    if len(rows) > MAX_STUDIES:
        reader.fail(f"more than {MAX_STUDIES} studies in one pool", field=_join(field, "studies"),
                    value=len(rows), line=item.line_of("studies"),
                    hint="a pool this large is a table: use `reanalyse meta TABLE.csv`")
    found = []
    for i, row in enumerate(rows):
        try:
            found.append(_row(reader, row, f"{_join(field, 'studies')}[{i}]",
                              _line(rows, i, item), kind))
        except ReviewFileError:
            continue
    ids = [study.id for study in found]
    for study_id in {i for i in ids if ids.count(i) > 1}:
        reader.note("two studies of a pool have the same id", field=_join(field, "studies"),
                    value=study_id, line=item.line_of("studies"),
                    hint="give each included study its own id")
    return tuple(found)


def _row(reader, row, field, line, kind) -> IncludedStudy:
    row = reader.mapping(row, field, line, "row")
    if row.get("study") is not None:
        return _study_row(reader, row, field, kind)
    row_id = reader.string(row, "id", field, required=True, pattern=_KEY_ID,
                           pattern_hint="letters, digits, '_' and '-', e.g. smith-2004")
    arm = _continuous_arm if kind == "continuous" else _binary_arm
    arms = {}
    for key in ("treat", "control"):
        if row.get(key) is None:
            reader.fail(f"missing required field '{key}'", field=_join(field, key),
                        line=row.line, hint="give the arm's printed numbers, e.g. "
                        + ("{n: 30, mean: 8.60, sd: 2.10}" if kind == "continuous"
                           else "{n: 30, events: 4}"))
        arms[key] = arm(reader, row[key], _join(field, key), row.line_of(key), None)
        missing = arms[key].missing()
        if missing or (kind == "binary" and arms[key].events is None):
            reader.fail("the arm lacks " + ", ".join(missing or ("events",)),
                        field=_join(field, key), value=row[key], line=row.line_of(key),
                        hint="a pooled study needs n with mean and sd (or se or ci), or n "
                             "with events, as printed")
    return IncludedStudy(id=row_id, label=reader.string(row, "label", field) or row_id,
                         treat=arms["treat"], control=arms["control"],
                         source=reader.string(row, "source", field))


def _study_row(reader, row, field, kind) -> IncludedStudy:
    path = _file(reader, row, "study", field, ".yaml")
    for key in ("treat", "control"):
        if row.get(key) is not None:
            reader.note("a study file gives the arms' numbers itself", field=_join(field, key),
                        value=row[key], line=row.line_of(key),
                        hint="name the outcome and arms of the study file, or give printed "
                             "rows without 'study:'")
    try:
        study = load_study(path)
    except StudyFileError as error:
        reader.fail(f"the study file is not valid ({len(error.problems)} problem"
                    f"{'s' if len(error.problems) > 1 else ''})", field=_join(field, "study"),
                    value=str(row["study"]), line=row.line_of("study"),
                    hint=f"run `reanalyse check {path.name}`: " + error.problems[0].problem)
    outcomes = {outcome.id: outcome for outcome in study.outcomes}
    outcome_id = reader.string(row, "outcome", field, required=True)
    if outcome_id not in outcomes:
        close = _suggest(outcome_id, list(outcomes))
        reader.fail("no such outcome in the study file", field=_join(field, "outcome"),
                    value=outcome_id, line=row.line_of("outcome"),
                    hint=(f"did you mean '{close}'? " if close else "") + "outcomes: "
                    + ", ".join(outcomes))
    outcome = outcomes[outcome_id]
    if outcome.type != kind:
        reader.fail(f"a {outcome.type} outcome in a pool of {kind} outcomes",
                    field=_join(field, "outcome"), value=outcome_id,
                    line=row.line_of("outcome"),
                    hint="pool mean differences of continuous outcomes, ratios and risk "
                         "differences of binary ones")
    arms = _pair(reader, row, "arms", field)
    if arms is None:
        arms = tuple(arm.id for arm in study.arms[:2])
    for arm_id in arms:
        if arm_id not in outcome.arms:
            reader.fail("the outcome has no such arm", field=_join(field, "arms"),
                        value=arm_id, line=row.line_of("arms"),
                        hint="arms of this outcome: " + ", ".join(outcome.arms))
    treat, control = (outcome.arms[arm_id] for arm_id in arms)
    gaps = [f"{arm_id} lacks {', '.join(summary.missing())}"
            for arm_id, summary in zip(arms, (treat, control)) if summary.missing()]
    if gaps:
        reader.fail("the study file does not print what pooling needs: " + "; ".join(gaps),
                    field=_join(field, "outcome"), value=outcome_id,
                    line=row.line_of("outcome"),
                    hint="pool it from printed rows, or add the numbers to the study file")
    label = reader.string(row, "label", field) or study.id
    return IncludedStudy(id=reader.string(row, "id", field) or study.id, label=label,
                         treat=treat, control=control, source=study.citation,
                         study_path=path, outcome=outcome_id, arms=tuple(arms))


def _printed(reader, item, field, measure) -> PrintedPool:
    if item.get("printed") is None:
        return PrintedPool()
    field = _join(field, "printed")
    printed = reader.mapping(item["printed"], field, item.line_of("printed"), "printed")
    if printed.get("z") is not None and printed.get("t") is not None:
        reader.note("both z and t given", field=field, value="z, t", line=printed.line,
                    hint="give the statistic the review printed: z, or t under Hartung-Knapp")
    if printed.get("chi2") is not None and printed.get("q") is not None:
        reader.note("both chi2 and q given", field=field, value="chi2, q", line=printed.line,
                    hint="Cochran's Q is RevMan's Chi²: give it once")
    kind = "t" if printed.get("t") is not None else "z" if printed.get("z") is not None \
        else None
    estimate = reader.number(printed, "estimate", field)
    ci = reader.interval(printed, "ci", field)
    for name, number in (("estimate", estimate), ("ci", ci and ci[0])):
        if measure in RATIO_MEASURES and number is not None and number.value <= 0:
            reader.note(f"a {measure} is positive", field=_join(field, name),
                        value=printed[name], line=printed.line_of(name),
                        hint=f"write the {measure} itself, not its logarithm")
    i2 = reader.number(printed, "i2", field)
    if i2 is not None and not 0 <= i2.value <= 100:
        reader.note("I² outside 0 to 100", field=_join(field, "i2"), value=printed["i2"],
                    line=printed.line_of("i2"), hint="write I² as a percentage, e.g. 29")
    tau2 = reader.number(printed, "tau2", field)
    if tau2 is not None and tau2.value < 0:
        reader.note("τ² is not negative", field=_join(field, "tau2"), value=printed["tau2"],
                    line=printed.line_of("tau2"), hint="check the source")
    q_key = "chi2" if printed.get("chi2") is not None else "q"
    return PrintedPool(
        text=reader.string(printed, "text", field), estimate=estimate, ci=ci,
        level=reader.fraction(printed, "level", field, default=0.95),
        statistic=reader.number(printed, kind, field) if kind else None, statistic_kind=kind,
        p=reader.p_value(printed, "p", field), tau2=tau2,
        q=reader.number(printed, q_key, field), df=reader.integer(printed, "df", field),
        i2=i2, significant=reader.boolean(printed, "significant", field),
        source=reader.string(printed, "source", field))


def _expected(reader, top, ids) -> dict:
    written = top.get("expected")
    if written is None:
        return {}
    if not isinstance(written, Located):
        reader.fail("expected a mapping of pool ids to verdicts", field="expected",
                    value=written, line=top.line_of("expected"),
                    hint="run `reanalyse run --record` to write it")
    expected = {}
    for pool_id, verdict in written.items():
        if not isinstance(verdict, str) or verdict not in VERDICTS:
            close = _suggest(str(verdict), VERDICTS)
            reader.note("unknown verdict", field=f"expected.{pool_id}", value=verdict,
                        line=written.line_of(pool_id),
                        hint=(f"did you mean '{close}'? " if close else "")
                        + "verdicts: " + ", ".join(VERDICTS))
            continue
        expected[str(pool_id)] = verdict
    return expected


