"""Load and check a study file (``data/<study>.yaml``) into a :class:`~reanalyse.model.study.Study`.

Every problem is a :class:`~reanalyse.errors.StudyFileError` naming the file, the line, the
field (as a path such as ``outcomes[1].arms.control.percent``), the value and a hint.  Numbers
keep their printed decimals even when unquoted in the YAML (see :mod:`reanalyse.model.yamltext`).
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

from reanalyse.errors import StudyFileError
from reanalyse.kernels.cutoffs import parse_cutoff
from reanalyse.kernels.printed import PrintedNumber, PrintedNumberError, parse_number, parse_p
from reanalyse.model import tests
from reanalyse.model.study import (ALTERNATIVES, POPULATIONS, Arm, BinaryArm, Claim, ContinuousArm,
                             Estimate, Outcome, Reported, Scale, Source, Study)
from reanalyse.model.yamltext import Located, read_yaml

__all__ = ["load_study", "STUDY_KEYS"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEY_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")

STUDY_KEYS = {
    "study": {"id", "citation", "doi", "alpha", "arms", "outcomes", "claims", "sources", "notes"},
    "arm": {"id", "label", "randomised", "source"},
    "source": {"citation", "kind", "note"},
    "outcome": {"id", "label", "type", "scale", "source", "arms", "baseline", "derived_from",
                "cutoff", "cutoff_candidates"},
    "scale": {"min", "max", "items", "cutoff_candidates"},
    "continuous_arm": {"n", "mean", "sd", "se", "ci", "ci_level"},
    "binary_arm": {"n", "events", "percent"},
    "claim": {"id", "outcome", "text", "reported", "significant", "alternative", "alpha", "arms",
              "population", "source"},
    "reported": {"test", "statistic", "df", "p", "estimate"},
    "estimate": {"measure", "value", "ci", "level", "adjusted"},
}
MEASURES = ("OR", "RR", "HR", "IRR", "RD", "MD", "SMD")


class _Reader:
    """Checks values of one file, raising errors that say where they are."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, problem, *, field, value=None, line=None, hint=None):
        raise StudyFileError(self.path, problem, field=field, value=value, line=line, hint=hint)

    def mapping(self, value, field, line, kind) -> Located:
        if not isinstance(value, Located):
            self.fail(f"expected a mapping of {kind} fields", field=field, value=value, line=line,
                      hint=f"write the {kind} as 'key: value' lines; allowed keys: "
                           + ", ".join(sorted(STUDY_KEYS[kind])))
        unknown = [key for key in value if key not in STUDY_KEYS[kind]]
        for key in unknown:
            close = difflib.get_close_matches(str(key), STUDY_KEYS[kind], n=1)
            hint = (f"did you mean '{close[0]}'?" if close else
                    "allowed keys: " + ", ".join(sorted(STUDY_KEYS[kind])))
            self.fail("unknown key", field=_join(field, key), value=key,
                      line=value.line_of(key), hint=hint)
        return value

    def sequence(self, value, field, line) -> list:
        if not isinstance(value, list) or isinstance(value, str):
            self.fail("expected a list", field=field, value=value, line=line,
                      hint="write one '- ' item per line")
        return value

    def required(self, mapping: Located, key, field):
        if key not in mapping or mapping[key] is None:
            self.fail(f"missing required field '{key}'", field=_join(field, key),
                      line=mapping.line, hint=f"add '{key}:'")
        return mapping[key]

    def string(self, mapping: Located, key, field, *, required=False, pattern=None,
               pattern_hint=None):
        value = self.required(mapping, key, field) if required else mapping.get(key)
        if value is None:
            return None
        if isinstance(value, (Located, list, bool)):
            self.fail("expected text", field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint="quote the text")
        value = str(value)
        if pattern is not None and not pattern.match(value):
            self.fail("invalid identifier", field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint=pattern_hint)
        return value

    def number(self, mapping: Located, key, field) -> PrintedNumber | None:
        value = mapping.get(key)
        if value is None:
            return None
        return self.printed(value, _join(field, key), mapping.line_of(key))

    def printed(self, value, field, line) -> PrintedNumber:
        if isinstance(value, (Located, list, bool)):
            self.fail("expected a number", field=field, value=value, line=line,
                      hint="write the number as printed, e.g. 8.60")
        try:
            return parse_number(str(value))
        except PrintedNumberError as error:
            self.fail(error.problem, field=field, value=value, line=line, hint=error.hint)

    def integer(self, mapping: Located, key, field, *, minimum=0) -> int | None:
        number = self.number(mapping, key, field)
        if number is None:
            return None
        if not number.is_integer:
            self.fail("expected a whole number", field=_join(field, key), value=mapping[key],
                      line=mapping.line_of(key), hint="counts and sample sizes are integers")
        count = int(number.exact)
        if count < minimum:
            self.fail(f"must be at least {minimum}", field=_join(field, key), value=mapping[key],
                      line=mapping.line_of(key),
                      hint="a sample size is at least 1" if minimum else "counts are not negative")
        return count

    def fraction(self, mapping: Located, key, field, *, default=None):
        """A probability-like setting (alpha, confidence level) in (0, 1)."""
        number = self.number(mapping, key, field)
        if number is None:
            return default
        if not 0 < number.value < 1:
            self.fail("must lie strictly between 0 and 1", field=_join(field, key),
                      value=mapping[key], line=mapping.line_of(key),
                      hint="e.g. 0.05 for alpha, 0.95 for a confidence level")
        return number.value

    def boolean(self, mapping: Located, key, field, *, default=None):
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail("expected true or false", field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint="write true or false")
        return value

    def choice(self, mapping: Located, key, field, options, *, default=None):
        value = self.string(mapping, key, field)
        if value is None:
            return default
        if value not in options:
            close = difflib.get_close_matches(value, options, n=1)
            self.fail("unknown value", field=_join(field, key), value=value,
                      line=mapping.line_of(key),
                      hint=(f"did you mean '{close[0]}'? " if close else "")
                      + "use one of: " + ", ".join(options))
        return value

    def cutoff(self, value, field, line) -> str:
        """A cut-off as printed (``">= 13"``), checked by the one cut-off parser."""
        if isinstance(value, (Located, list, bool)) or value is None:
            self.fail("expected a cut-off", field=field, value=value, line=line,
                      hint='write it as ">= 13" or "< 10" (quoted)')
        try:
            return str(parse_cutoff(str(value)))
        except ValueError:
            self.fail("cannot read the cut-off", field=field, value=value, line=line,
                      hint='write it as ">= 13", "> 12", "<= 9" or "< 10" (quoted)')

    def cutoffs(self, mapping: Located, key, field) -> tuple[str, ...]:
        """A list of cut-offs (``cutoff_candidates``), each read by :meth:`cutoff`."""
        if mapping.get(key) is None:
            return ()
        items = self.sequence(mapping[key], _join(field, key), mapping.line_of(key))
        out = tuple(self.cutoff(item, f"{_join(field, key)}[{i}]", mapping.line_of(key))
                    for i, item in enumerate(items))
        if len(set(out)) != len(out):
            self.fail("a cut-off is listed twice", field=_join(field, key), value=list(items),
                      line=mapping.line_of(key), hint="list each conventional cut-off once")
        return out

    def interval(self, mapping: Located, key, field):
        value = mapping.get(key)
        if value is None:
            return None
        line = mapping.line_of(key)
        if not isinstance(value, list) or len(value) != 2:
            self.fail("expected [lower, upper]", field=_join(field, key), value=value, line=line,
                      hint="write the interval as [0.2, 0.94]")
        low, high = (self.printed(item, f"{_join(field, key)}[{i}]", line)
                     for i, item in enumerate(value))
        if low.value > high.value:
            self.fail("lower end above upper end", field=_join(field, key), value=value,
                      line=line, hint="write [lower, upper]")
        return low, high


def _join(field: str, key) -> str:
    return f"{field}.{key}" if field else str(key)


def load_study(path) -> Study:
    """Read, check and return the study in ``path``.

    Raises
    ------
    StudyFileError
        Naming the file, line, field, value and a hint, for any problem in the file.
    """
    path = Path(path)
    data = read_yaml(path, StudyFileError)
    reader = _Reader(path)
    top = reader.mapping(data, "", 1, "study")
    study_id = reader.string(top, "id", "", required=True, pattern=_ID,
                             pattern_hint="lower-case letters, digits and '-' only, e.g. "
                                          "raisi-dehkordi-2019")
    if study_id != path.stem:
        reader.fail("id differs from the file name", field="id", value=study_id,
                    line=top.line_of("id"), hint=f"name the file {study_id}.yaml or set id: "
                                                f"{path.stem}")
    alpha = reader.fraction(top, "alpha", "", default=0.05)
    arms = _arms(reader, top)
    arm_ids = [arm.id for arm in arms]
    outcomes = tuple(
        _outcome(reader, item, f"outcomes[{i}]", line, arm_ids)
        for i, (item, line) in enumerate(_items(reader, top, "outcomes")))
    _unique(reader, top, "outcomes", [o.id for o in outcomes])
    outcome_by_id = {outcome.id: outcome for outcome in outcomes}
    for i, outcome in enumerate(outcomes):
        if outcome.derived_from is None:
            continue
        fail = functools.partial(reader.fail, field=f"outcomes[{i}].derived_from",
                                 value=outcome.derived_from,
                                 line=top["outcomes"][i].line_of("derived_from"))
        continuous = [o.id for o in outcomes if o.type == "continuous" and o.id != outcome.id]
        if outcome.type != "binary":
            fail("only a binary outcome is derived from another (as a cut-off of it)",
                 hint="put derived_from and cutoff on the binary outcome")
        if outcome.derived_from not in outcome_by_id:
            fail("derived_from names no outcome", hint="outcomes: " + ", ".join(outcome_by_id))
        if outcome.derived_from not in continuous:
            fail("derived_from must name a continuous outcome this one is a cut-off of",
                 hint="continuous outcomes: " + (", ".join(continuous) or "none"))
    claims = tuple(
        _claim(reader, item, f"claims[{i}]", line, outcome_by_id, single_arm=len(arms) == 1)
        for i, (item, line) in enumerate(_items(reader, top, "claims", required=False)))
    _unique(reader, top, "claims", [c.id for c in claims])
    sources = tuple(_source(reader, item, f"sources[{i}]", line)
                    for i, (item, line) in enumerate(_items(reader, top, "sources", required=False)))
    return Study(id=study_id, citation=reader.string(top, "citation", "", required=True),
                 arms=arms, outcomes=outcomes, claims=claims,
                 doi=reader.string(top, "doi", ""), alpha=alpha, sources=sources,
                 notes=reader.string(top, "notes", ""), path=path.resolve())


def _items(reader, mapping, key, *, required=True):
    if key not in mapping and not required:
        return []
    value = reader.required(mapping, key, "") if required else mapping[key]
    items = reader.sequence(value, key, mapping.line_of(key))
    return list(zip(items, items.item_lines))


def _unique(reader, top, key, ids):
    seen = {}
    for i, item_id in enumerate(ids):
        if item_id in seen:
            reader.fail(f"duplicate id (also {key}[{seen[item_id]}])", field=f"{key}[{i}].id",
                        value=item_id, line=top[key][i].line_of("id"), hint="ids must be unique")
        seen[item_id] = i


def _arms(reader, top):
    arms = []
    for i, (item, line) in enumerate(_items(reader, top, "arms")):
        field = f"arms[{i}]"
        item = reader.mapping(item, field, line, "arm")
        arms.append(Arm(
            id=reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                             pattern_hint="letters, digits, '_' and '-' only"),
            label=reader.string(item, "label", field) or reader.string(item, "id", field),
            randomised=reader.integer(item, "randomised", field, minimum=1),
            source=reader.string(item, "source", field)))
    if not arms:
        reader.fail("a study needs at least one arm", field="arms", line=top.line_of("arms"),
                    hint="list each arm (each randomised arm of a trial) with an id")
    _unique(reader, top, "arms", [arm.id for arm in arms])
    return tuple(arms)


def _source(reader, item, field, line):
    item = reader.mapping(item, field, line, "source")
    return Source(citation=reader.string(item, "citation", field, required=True),
                  kind=reader.choice(item, "kind", field, ("primary", "secondary"),
                                     default="primary"),
                  note=reader.string(item, "note", field))


def _outcome(reader, item, field, line, arm_ids):
    item = reader.mapping(item, field, line, "outcome")
    outcome_type = reader.choice(item, "type", field, ("continuous", "binary"))
    if outcome_type is None:
        reader.fail("missing required field 'type'", field=_join(field, "type"), line=item.line,
                    hint="type: continuous or type: binary")
    scale = None
    if item.get("scale") is not None:
        scale_field = _join(field, "scale")
        scale_map = reader.mapping(item["scale"], scale_field, item.line_of("scale"), "scale")
        low = reader.number(scale_map, "min", scale_field)
        high = reader.number(scale_map, "max", scale_field)
        if low is not None and high is not None and low.value >= high.value:
            reader.fail("scale min must be below max", field=scale_field,
                        value=f"{low} to {high}", line=scale_map.line, hint="write min: 0, max: 30")
        scale = Scale(min=None if low is None else low.value,
                      max=None if high is None else high.value,
                      items=reader.integer(scale_map, "items", scale_field, minimum=1),
                      cutoff_candidates=reader.cutoffs(scale_map, "cutoff_candidates",
                                                       scale_field))
    arms_field = _join(field, "arms")
    arms_map = reader.required(item, "arms", field)
    if not isinstance(arms_map, Located):
        reader.fail("expected a mapping from arm id to its numbers", field=arms_field,
                    value=arms_map, line=item.line_of("arms"),
                    hint="e.g. arms: {massage: {n: 60, mean: 7.75, sd: 2.18}}")
    summaries = {}
    for arm_id, summary in arms_map.items():
        arm_field = _join(arms_field, arm_id)
        arm_line = arms_map.line_of(arm_id)
        if arm_id not in arm_ids:
            close = difflib.get_close_matches(str(arm_id), arm_ids, n=1)
            reader.fail("names no arm of the study", field=arm_field, value=arm_id, line=arm_line,
                        hint=(f"did you mean '{close[0]}'? " if close else "")
                        + "arms: " + ", ".join(arm_ids))
        summary = summary if summary is not None else Located({}, arm_line, {})
        if outcome_type == "continuous":
            summaries[arm_id] = _continuous_arm(reader, summary, arm_field, arm_line, scale)
        else:
            summaries[arm_id] = _binary_arm(reader, summary, arm_field, arm_line)
    derived_from = reader.string(item, "derived_from", field)
    cutoff = None
    if item.get("cutoff") is not None:
        cutoff = reader.cutoff(item["cutoff"], _join(field, "cutoff"), item.line_of("cutoff"))
    candidates = reader.cutoffs(item, "cutoff_candidates", field)
    if candidates and (outcome_type != "binary" or derived_from is None):
        reader.fail("cutoff_candidates belong to a binary outcome derived from a scale",
                    field=_join(field, "cutoff_candidates"), value=list(candidates),
                    line=item.line_of("cutoff_candidates"),
                    hint="put them on the binary outcome with derived_from, or on the "
                         "continuous outcome's scale")
    return Outcome(
        id=reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                         pattern_hint="letters, digits, '_' and '-' only"),
        label=reader.string(item, "label", field) or reader.string(item, "id", field),
        type=outcome_type, arms=summaries, scale=scale, source=reader.string(item, "source", field),
        baseline=reader.boolean(item, "baseline", field, default=False),
        derived_from=derived_from, cutoff=cutoff, cutoff_candidates=candidates)


def _continuous_arm(reader, item, field, line, scale):
    item = reader.mapping(item, field, line, "continuous_arm")
    n = reader.integer(item, "n", field, minimum=1)
    mean = reader.number(item, "mean", field)
    spreads = {key: reader.number(item, key, field) for key in ("sd", "se")}
    ci = reader.interval(item, "ci", field)
    given = [key for key in ("sd", "se", "ci") if item.get(key) is not None]
    if len(given) > 1:
        reader.fail("more than one spread given", field=field, value=", ".join(given),
                    line=line, hint="give one of sd, se or ci, as printed")
    if n == 1 and given:
        reader.fail(f"a spread ({given[0]}) needs at least two participants",
                    field=_join(field, "n"),
                    value=item["n"], line=item.line_of("n"),
                    hint="check n against the source; a single participant has no spread")
    for key, number in spreads.items():
        if number is not None and number.value <= 0:
            reader.fail(f"{key.upper()} must be positive", field=_join(field, key),
                        value=item[key], line=item.line_of(key),
                        hint="a printed SD of 0 or below is a transcription error; check the source")
    if scale is not None and mean is not None:
        low = -float("inf") if scale.min is None else scale.min
        high = float("inf") if scale.max is None else scale.max
        if not low <= mean.value <= high:
            reader.fail("mean outside the scale", field=_join(field, "mean"), value=item["mean"],
                        line=item.line_of("mean"), hint=f"the scale runs from {low} to {high}")
    return ContinuousArm(n=n, mean=mean, sd=spreads["sd"], se=spreads["se"], ci=ci,
                         ci_level=reader.fraction(item, "ci_level", field, default=0.95))


def _binary_arm(reader, item, field, line):
    item = reader.mapping(item, field, line, "binary_arm")
    n = reader.integer(item, "n", field, minimum=1)
    events = reader.integer(item, "events", field, minimum=0)
    percent = reader.number(item, "percent", field)
    if events is not None and n is not None and events > n:
        reader.fail("more events than participants", field=_join(field, "events"),
                    value=item["events"], line=item.line_of("events"), hint=f"n is {n}")
    if percent is not None and not 0 <= percent.value <= 100:
        reader.fail("percentage outside 0 to 100", field=_join(field, "percent"),
                    value=item["percent"], line=item.line_of("percent"),
                    hint="write a percentage, e.g. 43.3 for 43.3%")
    return BinaryArm(n=n, events=events, percent=percent)


def _claim(reader, item, field, line, outcome_by_id, *, single_arm=False):
    item = reader.mapping(item, field, line, "claim")
    outcome_id = reader.string(item, "outcome", field, required=True)
    if outcome_id not in outcome_by_id:
        close = difflib.get_close_matches(outcome_id, list(outcome_by_id), n=1)
        reader.fail("names no outcome of the study", field=_join(field, "outcome"),
                    value=outcome_id, line=item.line_of("outcome"),
                    hint=(f"did you mean '{close[0]}'? " if close else "")
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
    alternative = reader.choice(item, "alternative", field, ALTERNATIVES, default="two-sided")
    reported = Reported()
    if item.get("reported") is not None:
        reported = _reported(reader, item["reported"], _join(field, "reported"),
                             item.line_of("reported"))
    return Claim(
        id=reader.string(item, "id", field, required=True, pattern=_KEY_ID,
                         pattern_hint="letters, digits, '_' and '-' only"),
        outcome=outcome_id, text=reader.string(item, "text", field), reported=reported,
        significant=reader.boolean(item, "significant", field),
        alternative=alternative, alpha=reader.fraction(item, "alpha", field), arms=arms,
        population=reader.choice(item, "population", field, POPULATIONS),
        source=reader.string(item, "source", field))


def _reported(reader, item, field, line):
    item = reader.mapping(item, field, line, "reported")
    p = None
    if item.get("p") is not None:
        try:
            p = parse_p(str(item["p"]))
        except PrintedNumberError as error:
            reader.fail(error.problem, field=_join(field, "p"), value=item["p"],
                        line=item.line_of("p"), hint=error.hint)
    df = ()
    if item.get("df") is not None:
        raw = item["df"]
        values = raw if isinstance(raw, list) else [raw]
        df = tuple(reader.printed(value, _join(field, "df"), item.line_of("df")) for value in values)
        if len(df) > 2 or any(d.value <= 0 for d in df):
            reader.fail("degrees of freedom must be one or two positive numbers",
                        field=_join(field, "df"), value=raw, line=item.line_of("df"),
                        hint="e.g. df: 28, or df: [2, 87] for F")
    estimate = None
    if item.get("estimate") is not None:
        estimate = _estimate(reader, item["estimate"], _join(field, "estimate"),
                             item.line_of("estimate"))
    return Reported(test=reader.choice(item, "test", field, tests.printed_names()),
                    statistic=reader.number(item, "statistic", field), df=df, p=p,
                    estimate=estimate)


def _estimate(reader, item, field, line):
    item = reader.mapping(item, field, line, "estimate")
    measure = reader.choice(item, "measure", field, MEASURES)
    if measure is None:
        reader.fail("missing required field 'measure'", field=_join(field, "measure"),
                    line=item.line, hint="one of: " + ", ".join(MEASURES))
    value = reader.number(item, "value", field)
    ci = reader.interval(item, "ci", field)
    estimate = Estimate(measure=measure, value=value, ci=ci,
                        level=reader.fraction(item, "level", field, default=0.95),
                        adjusted=reader.boolean(item, "adjusted", field, default=False))
    if estimate.is_ratio:
        for name, number in (("value", value), ("ci", ci[0] if ci else None)):
            if number is not None and number.value <= 0:
                reader.fail(f"a ratio ({measure}) must be positive", field=_join(field, name),
                            value=item[name], line=item.line_of(name),
                            hint="ratios are above 0; a difference would be RD or MD")
    return estimate
