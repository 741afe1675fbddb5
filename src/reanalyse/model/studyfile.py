"""Load and check a study file (``data/<study>.yaml``) into a :class:`~reanalyse.model.study.Study`.

Every problem is a :class:`~reanalyse.errors.StudyFileError` naming the file, the line, the
field (as a path such as ``outcomes[1].arms.control.percent``), the value and a hint.  Numbers
keep their printed decimals even when unquoted in the YAML (see :mod:`reanalyse.model.yamltext`).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from dataclasses import replace
from pathlib import Path

from reanalyse.errors import InputFileError, StudyFileError
from reanalyse.kernels.cutoffs import parse_cutoff
from reanalyse.kernels.pvalues import ALPHA_LIMITS, alpha_problem
from reanalyse.kernels.printed import PrintedNumber, PrintedNumberError, parse_number, parse_p
from reanalyse.model import tests
from reanalyse.model.coherence import file_remarks, reading_remark
from reanalyse.model.study import (ALTERNATIVES, POPULATIONS, Arm, BinaryArm, Claim, ContinuousArm,
                             Estimate, Outcome, Reported, Scale, Source, Study)
from reanalyse.model.yamltext import Located, Text, read_yaml

__all__ = ["load_study", "STUDY_KEYS"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
_KEY_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*\Z")

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
              "population", "source", "compares"},
    "reported": {"test", "statistic", "df", "p", "estimate"},
    "estimate": {"measure", "value", "ci", "level", "adjusted", "percent"},
}
MEASURES = ("OR", "RR", "HR", "IRR", "RD", "MD", "SMD")
#: Measures rebuilt from each outcome type's per-arm numbers (HR and IRR: any outcome, context
#: only, since summary counts hold no times).
_MEASURES_OF = {"binary": ("OR", "RR", "RD", "HR", "IRR"),
                "continuous": ("MD", "SMD", "HR", "IRR")}


#: Names people write for a key or value, and the one meant (beyond what difflib finds; the
#: names of tests are the table of tests' aliases, :mod:`reanalyse.model.tests`).
_SYNONYMS = {"stdev": "sd", "std": "sd", "s.d.": "sd", "std_dev": "sd",
             "standard_deviation": "sd", "pct": "percent", "percentage": "percent",
             "size": "n", "count": "events", "average": "mean", "pvalue": "p", "p_value": "p",
             "test_statistic": "statistic", "dichotomous": "binary", "continous": "continuous",
             "numeric": "continuous"}
#: Largest sample size or count read (a trial arm is far smaller; a larger number is a typo).
MAX_COUNT = 10**8
#: Largest magnitude of a printed summary; beyond it squares overflow (the SD, the mean).
MAX_VALUE = 1e100
#: The rule for a printed spread of 0 or below (SD, SE, or a CI of zero width).
SPREAD_HINT = ("a printed SD or SE of 0 (or 0.0), or below, is a transcription slip: check the "
               "source; if the paper really prints 0, leave the spread out and the claim says "
               "what is missing")
#: Smallest magnitude of a printed summary other than zero; below it squares underflow to 0.
MIN_VALUE = 1e-100


def _suggest(word, options) -> str | None:
    """The option ``word`` most probably meant, or None."""
    word = str(word)
    if word.lower() in _SYNONYMS and _SYNONYMS[word.lower()] in options:
        return _SYNONYMS[word.lower()]
    name = word.lower().replace("-", "_")
    test = tests.lookup(name) or tests.lookup(name.removesuffix("_test"))
    if test is not None and test.name in options:
        return test.name
    lowered = {option.lower(): option for option in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[close[0]] if close else None


def _soft(method):
    """Let a value's problem be recorded and reading go on: the method gives None instead."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except InputFileError:
            return None
    return wrapper


class _Reader:
    """Checks values of one file, recording every problem with where it is.

    :meth:`fail` records a problem and raises it, to abandon the value (or the item) it is
    about; the readers of single values catch it and give None, so that the rest of the file
    is still read and every problem is reported at once (:meth:`raise_problems`).
    """

    #: The error type of the file read, and the keys allowed in each kind of mapping.
    error_type = StudyFileError
    keys = STUDY_KEYS

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[InputFileError] = []
        self.readings: list = []  # numbers read by a documented rule (a decimal comma)

    def note(self, problem, *, field, value=None, line=None, hint=None) -> InputFileError:
        error = self.error_type(self.path, problem, field=field, value=value, line=line,
                                hint=hint)
        self.problems.append(error)
        return error

    def fail(self, problem, *, field, value=None, line=None, hint=None):
        raise self.note(problem, field=field, value=value, line=line, hint=hint)

    def raise_problems(self) -> None:
        if self.problems:
            raise self.error_type.collect(self.problems)

    def mapping(self, value, field, line, kind) -> Located:
        if not isinstance(value, Located):
            self.fail(f"expected a mapping of {kind} fields", field=field, value=value, line=line,
                      hint=f"write the {kind} as 'key: value' lines; allowed keys: "
                           + ", ".join(sorted(self.keys[kind])))
        unknown = [key for key in value if key not in self.keys[kind]]
        keys = list(value)
        for key in unknown:
            split = _comma_split(value, keys, key)
            if split is not None:
                before, number = split
                self.note("a decimal comma split this number: inside {...} YAML reads "
                          f"'{before}: {number}' as '{before}: {value[before]}' and a key "
                          f"'{key}'", field=_join(field, before), value=number,
                          line=value.line_of(key),
                          hint=f"quote it ('{number}', read as {value[before]}.{key}) or "
                               f"write it with a decimal point: {value[before]}.{key}")
                continue
            close = _suggest(key, sorted(self.keys[kind]))
            hint = (f"did you mean '{close}'? " if close else "") + "allowed keys: " + \
                ", ".join(sorted(self.keys[kind]))
            self.note("unknown key", field=_join(field, key), value=key,
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

    @_soft
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

    @_soft
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
            number = parse_number(str(value))
        except PrintedNumberError as error:
            self.fail(error.problem, field=field, value=value, line=line, hint=error.hint)
        if abs(number.value) > MAX_VALUE:
            self.fail(f"larger than {MAX_VALUE:g}", field=field, value=value, line=line,
                      hint="no printed summary is this large; check the source (or rescale "
                           "the unit)")
        if "," in number.text:
            self.readings.append(reading_remark(self.path, field, line, number.text,
                                                f"{number.value:g}"))
        if number.scaled and abs(number.value) < MIN_VALUE:
            self.fail(f"smaller than {MIN_VALUE:g} (and not zero)", field=field, value=value,
                      line=line, hint="no printed summary is this small; check the exponent (or "
                                      "rescale the unit)")
        return number

    @_soft
    def integer(self, mapping: Located, key, field, *, minimum=0) -> int | None:
        number = self.number(mapping, key, field)
        if number is None:
            return None
        if not number.is_integer:
            self.fail("expected a whole number", field=_join(field, key), value=mapping[key],
                      line=mapping.line_of(key), hint="counts and sample sizes are integers")
        count = int(number.exact)
        if count > MAX_COUNT:
            self.fail(f"more than {MAX_COUNT:,}", field=_join(field, key), value=mapping[key],
                      line=mapping.line_of(key),
                      hint="no trial arm is this large; check the source for a typo")
        if count < minimum:
            self.fail(f"must be at least {minimum}", field=_join(field, key), value=mapping[key],
                      line=mapping.line_of(key),
                      hint="a sample size is at least 1" if minimum else "counts are not negative")
        return count

    @_soft
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

    @_soft
    def alpha(self, mapping: Located, key, field, *, default=None):
        """A significance level, within the limits every part of the package accepts."""
        alpha = self.fraction(mapping, key, field, default=default)
        if alpha is not None and key in mapping and alpha_problem(alpha):
            low, high = ALPHA_LIMITS
            self.fail(f"a significance level must lie between {low:g} and {high:g}",
                      field=_join(field, key), value=mapping[key], line=mapping.line_of(key),
                      hint="e.g. 0.05, or the level the paper states")
        return alpha

    @_soft
    def boolean(self, mapping: Located, key, field, *, default=None):
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail("expected true or false", field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint="write true or false")
        return value

    @_soft
    def choice(self, mapping: Located, key, field, options, *, default=None):
        value = self.string(mapping, key, field)
        if value is None:
            return default
        if value not in options:
            close = _suggest(value, options)
            self.fail("unknown value", field=_join(field, key), value=value,
                      line=mapping.line_of(key),
                      hint=(f"did you mean '{close}'? " if close else "")
                      + "use one of: " + ", ".join(options))
        return value

    @_soft
    def cutoff(self, value, field, line) -> str:
        """A cut-off as printed (``">= 13"``), checked by the one cut-off parser."""
        if isinstance(value, (Located, list, bool)) or value is None:
            self.fail("expected a cut-off", field=field, value=value, line=line,
                      hint='write it as ">= 13" or "< 10" (quoted)')
        try:
            return str(parse_cutoff(str(value)))
        except PrintedNumberError as error:
            self.fail(error.problem, field=field, value=value, line=line, hint=error.hint)

    @_soft
    def cutoffs(self, mapping: Located, key, field) -> tuple[str, ...]:
        """A list of cut-offs (``cutoff_candidates``), each read by :meth:`cutoff`."""
        if mapping.get(key) is None:
            return ()
        items = self.sequence(mapping[key], _join(field, key), mapping.line_of(key))
        read = [self.cutoff(item, f"{_join(field, key)}[{i}]", mapping.line_of(key))
                for i, item in enumerate(items)]
        out = tuple(cutoff for cutoff in read if cutoff is not None)
        if len(set(out)) != len(out):
            self.fail("a cut-off is listed twice", field=_join(field, key), value=list(items),
                      line=mapping.line_of(key), hint="list each conventional cut-off once")
        return out

    @_soft
    def interval(self, mapping: Located, key, field):
        value = mapping.get(key)
        if value is None:
            return None
        line = mapping.line_of(key)
        if not isinstance(value, list) or len(value) != 2:
            commas = isinstance(value, list) and len(value) in (3, 4) and all(
                isinstance(item, Text) and item.isdigit() for item in value)
            self.fail("expected [lower, upper]", field=_join(field, key), value=value, line=line,
                      hint="write the interval as [0.2, 0.94]" + (
                          "; inside [...] a comma separates items, so a decimal comma splits "
                          "a number: quote each end ('0,2') or use decimal points"
                          if commas else ""))
        low, high = (self.printed(item, f"{_join(field, key)}[{i}]", line)
                     for i, item in enumerate(value))
        if low.value > high.value:
            self.fail("lower end above upper end", field=_join(field, key), value=value,
                      line=line, hint="write [lower, upper]")
        return low, high


def _join(field: str, key) -> str:
    return f"{field}.{key}" if field else str(key)


def _comma_split(mapping: Located, keys: list, key) -> tuple[str, str] | None:
    """``(field, "7,61")`` when ``key`` is the digits after a decimal comma that YAML took as
    an item separator inside ``{...}`` (``mean: 7,61`` read as ``mean: 7`` and a key ``61``);
    else None."""
    position = keys.index(key)
    if position == 0 or mapping[key] is not None or not str(key).isdigit():
        return None
    before = keys[position - 1]
    value = mapping[before]
    if not (isinstance(value, Text) and value.lstrip("+-").isdigit()) \
            or mapping.line_of(before) != mapping.line_of(key):
        return None
    return str(before), f"{value},{key}"


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
    reported = Reported()
    if item.get("reported") is not None:
        try:
            reported = _reported(reader, item["reported"], _join(field, "reported"),
                                 item.line_of("reported"))
        except StudyFileError:
            pass
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
            reader.note(f"a comparison takes its outcome and arms from the claims it compares",
                        field=_join(field, key), value=item[key], line=item.line_of(key),
                        hint=f"remove '{key}:'")
    reported = Reported()
    if item.get("reported") is not None:
        try:
            reported = _reported(reader, item["reported"], _join(field, "reported"),
                                 item.line_of("reported"))
        except StudyFileError:
            pass
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
