"""Load and check a study file (``data/<study>.yaml``) into a :class:`~reanalyse.model.study.Study`.

Every problem is a :class:`~reanalyse.errors.StudyFileError` naming the file, the line, the
field (as a path such as ``outcomes[1].arms.control.percent``), the value and a hint.  Numbers
keep their printed decimals even when unquoted in the YAML (see :mod:`reanalyse.model.yamltext`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import replace
from pathlib import Path

from reanalyse.errors import StudyFileError
from reanalyse.kernels.printed import PrintedNumberError, parse_p
from reanalyse.model import tests
from reanalyse.model.coherence import file_remarks, reading_remark
from reanalyse.model.fields import STUDY_KEYS, _join, _Reader, _suggest
from reanalyse.model.study import (ALTERNATIVES, POPULATIONS, Arm, BinaryArm, Claim,
                                   ContinuousArm, Estimate, Outcome, Reported, Scale, Source, Study)
from reanalyse.model.yamltext import Located, Text, read_yaml

__all__ = ["load_study", "STUDY_KEYS"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
_KEY_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
MEASURES = ("OR", "RR", "HR", "IRR", "RD", "MD", "SMD")
#: Measures rebuilt from each outcome type's per-arm numbers (HR and IRR: any outcome, context
#: only, since summary counts hold no times).
_MEASURES_OF = {"binary": ("OR", "RR", "RD", "HR", "IRR"),
                "continuous": ("MD", "SMD", "HR", "IRR")}
#: The rule for a printed spread of 0 or below (SD, SE, or a CI of zero width).
SPREAD_HINT = ("a printed SD or SE of 0 (or 0.0), or below, is a transcription slip: check the "
               "source; if the paper really prints 0, leave the spread out and the claim says "
               "what is missing")


def load_study(path) -> Study:
    """Read, check and return the study in ``path``.

    Every problem of the file is reported at once: the error's ``problems`` lists them (the
    error itself carries the first), each with its line, field, value and hint.

    Raises
    ------
    StudyFileError
        Naming the file, line, field, value and a hint, for any problem in the file.
    """
    path = Path(path)
    data = read_yaml(path, StudyFileError)
    reader = _Reader(path)
    try:
        study = _study(reader, path, data)
    except StudyFileError:
        study = None  # recorded; the problems found so far are raised below
    reader.raise_problems()
    return dataclasses.replace(study, remarks=tuple(reader.readings)
                               + file_remarks(study, data, path))


def _study(reader, path, data) -> Study:
    top = reader.mapping(data, "", 1, "study")
    study_id = reader.string(top, "id", "", required=True, pattern=_ID,
                             pattern_hint="lower-case letters, digits and '-' only, e.g. "
                                          "raisi-dehkordi-2019")
    if study_id is not None and study_id != path.stem:
        reader.note("id differs from the file name", field="id", value=study_id,
                    line=top.line_of("id"), hint=f"name the file {study_id}.yaml or set id: "
                                                f"{path.stem}")
    citation = reader.string(top, "citation", "", required=True)
    alpha = reader.alpha(top, "alpha", "", default=0.05)
    arms, lost_arms = _arms(reader, top)
    arm_ids = [arm.id for _, arm in arms]
    outcomes, lost_outcomes = [], set()
    for i, (item, line) in enumerate(_items(reader, top, "outcomes")):
        try:
            outcomes.append((i, _outcome(reader, item, f"outcomes[{i}]", line, arm_ids,
                                         lost_arms)))
        except StudyFileError:
            lost_outcomes.add(_raw_id(item))
    _unique(reader, top, "outcomes", [(i, o.id) for i, o in outcomes])
    outcome_by_id = {outcome.id: outcome for _, outcome in outcomes}
    for i, outcome in outcomes:
        if outcome.derived_from is None:
            continue
        note = functools.partial(reader.note, field=f"outcomes[{i}].derived_from",
                                 value=outcome.derived_from,
                                 line=top["outcomes"][i].line_of("derived_from"))
        continuous = [o.id for _, o in outcomes if o.type == "continuous" and o.id != outcome.id]
        if outcome.type != "binary":
            note("only a binary outcome is derived from another (as a cut-off of it)",
                 hint="put derived_from and cutoff on the binary outcome")
        elif outcome.derived_from in lost_outcomes:
            continue
        elif outcome.derived_from not in outcome_by_id:
            note("derived_from names no outcome", hint="outcomes: " + ", ".join(outcome_by_id))
        elif outcome.derived_from not in continuous:
            note("derived_from must name a continuous outcome this one is a cut-off of",
                 hint="continuous outcomes: " + (", ".join(continuous) or "none"))
    single_arm = len(arms) == 1 and not lost_arms
    claims = []
    for i, (item, line) in enumerate(_items(reader, top, "claims", required=False)):
        try:
            if isinstance(item, Located) and "compares" in item:
                claims.append((i, _comparison(reader, item, f"claims[{i}]", line)))
            else:
                claims.append((i, _claim(reader, item, f"claims[{i}]", line, outcome_by_id,
                                         lost_outcomes, single_arm=single_arm)))
        except StudyFileError:
            pass
    _unique(reader, top, "claims", [(i, c.id) for i, c in claims])
    claims = _resolve_comparisons(reader, claims, outcome_by_id)
    sources = []
    for i, (item, line) in enumerate(_items(reader, top, "sources", required=False)):
        try:
            sources.append(_source(reader, item, f"sources[{i}]", line))
        except StudyFileError:
            pass
    doi, notes = reader.string(top, "doi", ""), reader.string(top, "notes", "")
    if reader.problems:
        return None
    return Study(id=study_id, citation=citation, arms=tuple(arm for _, arm in arms),
                 outcomes=tuple(o for _, o in outcomes), claims=tuple(c for _, c in claims),
                 doi=doi, alpha=alpha, sources=tuple(sources), notes=notes,
                 path=path.resolve())


def _raw_id(item) -> str | None:
    """The id an item was given, as written (to keep one bad item from failing others)."""
    return str(item.get("id")) if isinstance(item, Located) and item.get("id") is not None \
        else None


def _items(reader, mapping, key, *, required=True):
    if key not in mapping and not required:
        return []
    value = reader.required(mapping, key, "") if required else mapping[key]
    if value is None and not required:
        return []
    items = reader.sequence(value, key, mapping.line_of(key))
    return list(zip(items, items.item_lines))


def _unique(reader, top, key, ids):
    """Note ids given twice; ``ids`` are (position in the file's list, id) pairs."""
    seen = {}
    for i, item_id in ids:
        if item_id in seen:
            reader.note(f"duplicate id (also {key}[{seen[item_id]}])", field=f"{key}[{i}].id",
                        value=item_id, line=top[key][i].line_of("id"), hint="ids must be unique")
        seen[item_id] = i


def _arms(reader, top):
    arms, lost = [], set()
    for i, (item, line) in enumerate(_items(reader, top, "arms")):
        field = f"arms[{i}]"
        try:
            item = reader.mapping(item, field, line, "arm")
            arm_id = reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                                   pattern_hint="letters, digits, '_' and '-' only")
            if arm_id is None:
                lost.add(_raw_id(item))
                continue
            arms.append((i, Arm(
                id=arm_id, label=reader.string(item, "label", field) or arm_id,
                randomised=reader.integer(item, "randomised", field, minimum=1),
                source=reader.string(item, "source", field))))
        except StudyFileError:
            lost.add(_raw_id(item))
    if not arms and not lost:
        reader.note("a study needs at least one arm", field="arms", line=top.line_of("arms"),
                    hint="list each arm (each randomised arm of a trial) with an id")
    _unique(reader, top, "arms", [(i, arm.id) for i, arm in arms])
    return arms, lost


def _source(reader, item, field, line):
    item = reader.mapping(item, field, line, "source")
    return Source(citation=reader.string(item, "citation", field, required=True),
                  kind=reader.choice(item, "kind", field, ("primary", "secondary"),
                                     default="primary"),
                  note=reader.string(item, "note", field))


def _outcome(reader, item, field, line, arm_ids, lost_arms):
    item = reader.mapping(item, field, line, "outcome")
    outcome_id = reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                               pattern_hint="letters, digits, '_' and '-' only")
    outcome_type = reader.choice(item, "type", field, ("continuous", "binary"))
    scale = None
    if item.get("scale") is not None:
        scale_field = _join(field, "scale")
        scale_map = reader.mapping(item["scale"], scale_field, item.line_of("scale"), "scale")
        low = reader.number(scale_map, "min", scale_field)
        high = reader.number(scale_map, "max", scale_field)
        if low is not None and high is not None and low.value >= high.value:
            reader.note("scale min must be below max", field=scale_field,
                        value=f"{low} to {high}", line=scale_map.line, hint="write min: 0, max: 30")
        scale = Scale(min=None if low is None else low.value,
                      max=None if high is None else high.value,
                      items=reader.integer(scale_map, "items", scale_field, minimum=1),
                      cutoff_candidates=reader.cutoffs(scale_map, "cutoff_candidates",
                                                       scale_field) or ())
    derived_from = reader.string(item, "derived_from", field)
    cutoff = None
    if item.get("cutoff") is not None:
        cutoff = reader.cutoff(item["cutoff"], _join(field, "cutoff"), item.line_of("cutoff"))
    candidates = reader.cutoffs(item, "cutoff_candidates", field) or ()
    if candidates and (outcome_type != "binary" or derived_from is None):
        reader.note("cutoff_candidates belong to a binary outcome derived from a scale",
                    field=_join(field, "cutoff_candidates"), value=list(candidates),
                    line=item.line_of("cutoff_candidates"),
                    hint="put them on the binary outcome with derived_from, or on the "
                         "continuous outcome's scale")
    label = reader.string(item, "label", field) or outcome_id
    source = reader.string(item, "source", field)
    baseline = reader.boolean(item, "baseline", field, default=False)
    if outcome_type is None:
        if "type" not in item or item["type"] is None:
            reader.fail("missing required field 'type'", field=_join(field, "type"),
                        line=item.line, hint="type: continuous or type: binary")
        raise reader.problems[-1]  # the arms cannot be read without their type
    arms_field = _join(field, "arms")
    arms_map = reader.required(item, "arms", field)
    if not isinstance(arms_map, Located):
        reader.fail("expected a mapping from arm id to its numbers", field=arms_field,
                    value=arms_map, line=item.line_of("arms"),
                    hint="e.g. arms: {massage: {n: 60, mean: 7.75, sd: 2.18}}")
    summaries, complete = {}, True
    for arm_id, summary in arms_map.items():
        arm_field = _join(arms_field, arm_id)
        arm_line = arms_map.line_of(arm_id)
        if arm_id not in arm_ids:
            complete = False
            if str(arm_id) not in lost_arms:
                close = _suggest(arm_id, arm_ids)
                reader.note("names no arm of the study", field=arm_field, value=arm_id,
                            line=arm_line, hint=(f"did you mean '{close}'? " if close else "")
                            + "arms: " + ", ".join(arm_ids))
            continue
        summary = summary if summary is not None else Located({}, arm_line, {})
        read = _continuous_arm if outcome_type == "continuous" else _binary_arm
        try:
            summaries[arm_id] = read(reader, summary, arm_field, arm_line, scale)
        except StudyFileError:
            complete = False
    if not complete or outcome_id is None:
        raise reader.problems[-1]
    return Outcome(
        id=outcome_id, label=label, type=outcome_type, arms=summaries, scale=scale,
        source=source, baseline=baseline, derived_from=derived_from, cutoff=cutoff,
        cutoff_candidates=candidates)


def _continuous_arm(reader, item, field, line, scale):
    item = reader.mapping(item, field, line, "continuous_arm")
    problems = len(reader.problems)
    n = reader.integer(item, "n", field, minimum=1)
    mean = reader.number(item, "mean", field)
    spreads = {key: reader.number(item, key, field) for key in ("sd", "se")}
    ci = reader.interval(item, "ci", field)
    given = [key for key in ("sd", "se", "ci") if item.get(key) is not None]
    if len(given) > 1:
        reader.note("more than one spread given", field=field, value=", ".join(given),
                    line=line, hint="give one of sd, se or ci, as printed")
    if n == 1 and given:
        reader.note(f"a spread ({given[0]}) needs at least two participants",
                    field=_join(field, "n"),
                    value=item["n"], line=item.line_of("n"),
                    hint="check n against the source; a single participant has no spread")
    for key, number in spreads.items():
        if number is not None and number.scaled <= 0:
            reader.note(f"{key.upper()} must be positive", field=_join(field, key),
                        value=item[key], line=item.line_of(key), hint=SPREAD_HINT)
    if ci is not None and ci[0].exact == ci[1].exact:
        reader.note("a confidence interval of zero width (it implies an SD of 0)",
                    field=_join(field, "ci"), value=item["ci"], line=item.line_of("ci"),
                    hint=SPREAD_HINT)
    if scale is not None and (mean is not None or ci is not None):
        low = -float("inf") if scale.min is None else scale.min
        high = float("inf") if scale.max is None else scale.max
        centre = mean.value if mean is not None else (ci[0].value + ci[1].value) / 2
        if not low <= centre <= high:
            key = "mean" if mean is not None else "ci"
            reader.note("mean outside the scale" if mean is not None else
                        f"the CI's midpoint, the mean it implies ({centre:g}), lies outside the "
                        "scale", field=_join(field, key), value=item[key],
                        line=item.line_of(key), hint=f"the scale runs from {low} to {high}")
    ci_level = reader.fraction(item, "ci_level", field, default=0.95)
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return ContinuousArm(n=n, mean=mean, sd=spreads["sd"], se=spreads["se"], ci=ci,
                         ci_level=ci_level)


def _binary_arm(reader, item, field, line, scale=None):
    item = reader.mapping(item, field, line, "binary_arm")
    problems = len(reader.problems)
    n = reader.integer(item, "n", field, minimum=1)
    events = reader.integer(item, "events", field, minimum=0)
    written = item.get("percent")
    if isinstance(written, str) and written.rstrip().endswith("%"):
        # "43.3%": the percent sign is dropped (the field holds a percentage)
        item = Located({**item, "percent": Text(written.rstrip()[:-1], None)}, item.line,
                       item.key_lines)
    percent = reader.number(item, "percent", field)
    if events is not None and n is not None and events > n:
        reader.note("more events than participants", field=_join(field, "events"),
                    value=item["events"], line=item.line_of("events"), hint=f"n is {n}")
    if percent is not None and not 0 <= percent.value <= 100:
        reader.note("percentage outside 0 to 100", field=_join(field, "percent"),
                    value=item["percent"], line=item.line_of("percent"),
                    hint="write a percentage, e.g. 43.3 for 43.3%")
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return BinaryArm(n=n, events=events, percent=percent)


def _claim(reader, item, field, line, outcome_by_id, lost_outcomes, *, single_arm=False):
    item = reader.mapping(item, field, line, "claim")
    problems = len(reader.problems)
    claim_id = reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                             pattern_hint="letters, digits, '_' and '-' only")
    alternative = reader.choice(item, "alternative", field, ALTERNATIVES, default="two-sided")
    reported = _claim_reported(reader, item, field)
    text = reader.string(item, "text", field)
    significant = reader.boolean(item, "significant", field)
    alpha = reader.alpha(item, "alpha", field)
    population = reader.choice(item, "population", field, POPULATIONS)
    source = reader.string(item, "source", field)
    outcome_id = reader.string(item, "outcome", field, required=True)
    if outcome_id is None or outcome_id in lost_outcomes:
        raise reader.problems[-1]  # recorded where the outcome or this field failed
    if outcome_id not in outcome_by_id:
        close = _suggest(outcome_id, list(outcome_by_id))
        reader.fail("names no outcome of the study", field=_join(field, "outcome"),
                    value=outcome_id, line=item.line_of("outcome"),
                    hint=(f"did you mean '{close}'? " if close else "")
                    + "outcomes: " + ", ".join(outcome_by_id))
    outcome = outcome_by_id[outcome_id]
    arms = ()
    if item.get("arms") is not None:
        arms_value = reader.sequence(item["arms"], _join(field, "arms"), item.line_of("arms"))
        arms = tuple(str(arm) for arm in arms_value)
        for arm_id in arms:
            if arm_id not in outcome.arms:
                reader.fail("names an arm with no numbers for this outcome",
                            field=_join(field, "arms"), value=arm_id, line=item.line_of("arms"),
                            hint=f"outcome '{outcome_id}' has arms: " + ", ".join(outcome.arms))
        if len(arms) < 2 or len(set(arms)) != len(arms):
            reader.fail("a comparison needs two or more different arms",
                        field=_join(field, "arms"), value=list(arms), line=item.line_of("arms"),
                        hint="e.g. arms: [massage, control]")
    compared = arms or tuple(outcome.arms)
    if single_arm and len(compared) == 1:
        pass  # one group measured over time: the check says what a within-group test needs
    elif len(compared) < 2:
        reader.fail("a comparison needs two or more arms, but the outcome has numbers for "
                    f"{len(compared)}", field=_join(field, "outcome"), value=outcome_id,
                    line=item.line_of("outcome"),
                    hint=f"list each compared arm under outcome '{outcome_id}' arms, with what "
                         "the paper printed for it ({} when it printed nothing)")
    if outcome.type == "binary" and len(compared) != 2 and not single_arm:
        reader.fail("a binary outcome is compared two arms at a time",
                    field=_join(field, "arms"), value=list(compared), line=item.line,
                    hint="name the two arms the claim compares, e.g. arms: [massage, control]")
    estimate = reported.estimate
    if estimate is not None and estimate.measure not in _MEASURES_OF.get(outcome.type, MEASURES):
        reader.note(f"a {estimate.measure} is not a measure of a {outcome.type} outcome",
                    field=_join(field, "reported.estimate.measure"), value=estimate.measure,
                    hint=f"outcome '{outcome_id}' is {outcome.type}: one of "
                         + ", ".join(_MEASURES_OF[outcome.type]))
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return Claim(id=claim_id, outcome=outcome_id, text=text, reported=reported,
                 significant=significant, alternative=alternative, alpha=alpha, arms=arms,
                 population=population, source=source, line=line)


def _comparison(reader, item, field, line):
    """A claim about the difference between two other claims' results (``compares``)."""
    item = reader.mapping(item, field, line, "claim")
    problems = len(reader.problems)
    claim_id = reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                             pattern_hint="letters, digits, '_' and '-' only")
    raw = reader.sequence(item["compares"], _join(field, "compares"), item.line_of("compares"))
    compares = tuple(str(value) for value in raw)
    if len(compares) != 2 or compares[0] == compares[1]:
        reader.note("a comparison names two different claims", field=_join(field, "compares"),
                    value=list(compares), line=item.line_of("compares"),
                    hint="e.g. compares: [benefit-low-risk, benefit-high-risk]")
    for key in ("outcome", "arms"):
        if key in item:
            reader.note("a comparison takes its outcome and arms from the claims it compares",
                        field=_join(field, key), value=item[key], line=item.line_of(key),
                        hint=f"remove '{key}:'")
    reported = _claim_reported(reader, item, field)
    claim = Claim(id=claim_id or "", outcome="", text=reader.string(item, "text", field),
                  reported=reported, significant=reader.boolean(item, "significant", field),
                  alpha=reader.fraction(item, "alpha", field),
                  source=reader.string(item, "source", field), compares=compares)
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return claim


def _resolve_comparisons(reader, claims, outcome_by_id):
    """Check what each comparison names, and give it the first compared claim's outcome."""
    by_id = {claim.id: claim for _, claim in claims}
    resolved = []
    for i, claim in claims:
        if not claim.compares:
            resolved.append((i, claim))
            continue
        field = f"claims[{i}].compares"
        named = [by_id.get(claim_id) for claim_id in claim.compares]
        problem = None
        if any(other is None for other in named):
            missing = [c for c, other in zip(claim.compares, named) if other is None]
            problem = ("names no claim of the study", missing,
                       "claims: " + ", ".join(c for c in by_id if not by_id[c].compares))
        elif any(other.compares for other in named):
            problem = ("compares a comparison", list(claim.compares),
                       "name two claims about results, each with its outcome")
        elif len({outcome_by_id[other.outcome].type for other in named}) != 1:
            problem = ("compares a binary with a continuous result", list(claim.compares),
                       "a difference is tested on one scale: compare two binary results or "
                       "two continuous ones")
        if problem is not None:
            reader.note(problem[0], field=field, value=problem[1], hint=problem[2])
            continue
        resolved.append((i, replace(claim, outcome=named[0].outcome)))
    return resolved


def _claim_reported(reader, item, field: str) -> Reported:
    """A claim's ``reported`` block, or an empty one when it is absent or has problems (which
    the reader has recorded)."""
    if item.get("reported") is None:
        return Reported()
    try:
        return _reported(reader, item["reported"], _join(field, "reported"),
                         item.line_of("reported"))
    except StudyFileError:
        return Reported()


def _reported(reader, item, field, line):
    item = reader.mapping(item, field, line, "reported")
    problems = len(reader.problems)
    p = None
    if item.get("p") is not None:
        try:
            p = parse_p(str(item["p"]))
            if p.number is not None and "," in p.number.text:
                reader.readings.append(reading_remark(reader.path, _join(field, "p"),
                                                      item.line_of("p"), p.text,
                                                      f"{p.number.value:g}"))
        except PrintedNumberError as error:
            reader.note(error.problem, field=_join(field, "p"), value=item["p"],
                        line=item.line_of("p"), hint=error.hint)
    df = ()
    if item.get("df") is not None:
        raw = item["df"]
        values = raw if isinstance(raw, list) else [raw]
        try:
            df = tuple(reader.printed(value, _join(field, "df"), item.line_of("df"))
                       for value in values)
            if len(df) > 2 or any(d.value <= 0 for d in df):
                reader.fail("degrees of freedom must be one or two positive numbers",
                            field=_join(field, "df"), value=raw, line=item.line_of("df"),
                            hint="e.g. df: 28, or df: [2, 87] for F")
        except StudyFileError:
            df = ()
    estimate = None
    if item.get("estimate") is not None:
        try:
            estimate = _estimate(reader, item["estimate"], _join(field, "estimate"),
                                 item.line_of("estimate"))
        except StudyFileError:
            pass
    reported = Reported(test=reader.choice(item, "test", field, tests.printed_names()),
                        statistic=reader.number(item, "statistic", field), df=df, p=p,
                        estimate=estimate)
    if len(reader.problems) > problems:
        raise reader.problems[-1]
    return reported


def _estimate(reader, item, field, line):
    item = reader.mapping(item, field, line, "estimate")
    measure = reader.choice(item, "measure", field, MEASURES)
    if measure is None and item.get("measure") is not None:
        raise reader.problems[-1]
    if measure is None:
        reader.fail("missing required field 'measure'", field=_join(field, "measure"),
                    line=item.line, hint="one of: " + ", ".join(MEASURES))
    value = reader.number(item, "value", field)
    ci = reader.interval(item, "ci", field)
    estimate = Estimate(measure=measure, value=value, ci=ci,
                        level=reader.fraction(item, "level", field, default=0.95),
                        adjusted=reader.boolean(item, "adjusted", field, default=False),
                        percent=reader.boolean(item, "percent", field, default=False))
    if estimate.percent and measure != "RD":
        reader.fail("only a risk difference is printed in percentage points",
                    field=_join(field, "percent"), value=item["percent"],
                    line=item.line_of("percent"), hint="remove 'percent:' or use measure: RD")
    if estimate.is_ratio:
        for name, number in (("value", value), ("ci", ci[0] if ci else None)):
            if number is not None and number.value <= 0:
                reader.fail(f"a ratio ({measure}) must be positive", field=_join(field, name),
                            value=item[name], line=item.line_of(name),
                            hint="ratios are above 0; a difference would be RD or MD")
    return estimate
