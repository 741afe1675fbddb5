"""Reading the fields of a study file: each value checked for its type and range, every problem
recorded with the file, line, field, value and a hint, and reading going on past it, so that a
file's problems are reported at once (:class:`_Reader`).
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

from reanalyse.errors import InputFileError, StudyFileError
from reanalyse.kernels.cutoffs import parse_cutoff
from reanalyse.kernels.pvalues import ALPHA_LIMITS, alpha_problem
from reanalyse.kernels.printed import PrintedNumber, PrintedNumberError, parse_number
from reanalyse.model import tests
from reanalyse.model.coherence import reading_remark
from reanalyse.model.yamltext import Located, Text

__all__ = ["STUDY_KEYS", "MAX_COUNT", "MAX_VALUE", "MIN_VALUE"]


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
