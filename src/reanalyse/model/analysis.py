"""Analysis files (``analyses/<name>.yaml``): which study, which notebook, which options.

An analysis file names a study file, a notebook template, the options of the check and the
verdicts the evidence team has recorded for each claim::

    # Paths are relative to this file.
    study: ../data/raisi-dehkordi-2019.yaml
    notebook: ../notebooks/claim_check.ipynb
    title: Infant massage and postpartum depression (Raisi Dehkordi 2019)   # optional
    options:                       # optional; see reanalyse.model.options.CheckOptions
      alpha: 0.05                  # default: each claim's own, else the study's
      rounding: nearest            # how the paper rounded its numbers
      defensible: [student_t, welch_t]   # spec names counted as defensible; default: all
      boschloo: when_needed        # when_needed, always or never
    parameters: {}                 # optional extra notebook parameters (scalars)
    expected:                      # claim id -> verdict, written by `reanalyse run --record`
      lower-epds: reproduced

:func:`load_analysis` reads and checks a file without importing the statistics stack (it is
fast enough to read every analysis before deciding which ones to run), the options included:
:attr:`Analysis.options` is the :class:`~reanalyse.model.options.CheckOptions` the check takes.
Every problem is an :class:`~reanalyse.errors.AnalysisFileError` naming the file, line, field
and value with a hint.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from reanalyse.errors import AnalysisFileError, ReanalyseError
from reanalyse.io import path_kind, write_atomic
from reanalyse.kernels.printed import Rounding
from reanalyse.model.options import CheckOptions, option_problem
from reanalyse.model.project import project_root
from reanalyse.model.vocabulary import Verdict
from reanalyse.model.yamltext import Located, Text, read_yaml

__all__ = ["Analysis", "load_analysis", "find_analyses", "analysis_from_parameters",
           "record_expected", "ANALYSIS_KEYS", "OPTION_KEYS", "VERDICTS"]

ANALYSIS_KEYS = ("study", "notebook", "title", "options", "parameters", "expected")
OPTION_KEYS = ("alpha", "rounding", "defensible", "boschloo")
VERDICTS = tuple(verdict.value for verdict in Verdict)
#: The notebook parameters the runner itself passes; ``parameters:`` may not override them.
RESERVED_PARAMETERS = ("analysis_path", "study_path")

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")
_PARAMETER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")
_INT = re.compile(r"^[-+]?[0-9]+\Z")


@dataclass(frozen=True)
class Analysis:
    """One reanalysis: a study checked with some options, presented by a notebook.

    Attributes
    ----------
    name : str
        The file's stem; names the report files (``<name>.html``, ``<name>.json``).
    path : Path or None
        The analysis file (absolute), or None for an analysis made from a study alone.
    study : Path
        The study file (absolute).
    notebook : Path or None
        The notebook template (absolute).
    title : str or None
        A title for the report; the study's citation is used when absent.
    options : CheckOptions
        The options of the check, checked when the file is read.
    parameters : dict
        Extra notebook parameters (names to scalars).
    expected : dict
        Claim id -> recorded verdict.
    inputs : tuple of Path
        Further files the notebook reads (a review's study files); their content enters the
        run key.
    kind : str
        ``analysis``, or ``review`` for a review file (:mod:`reanalyse.model.review`), which
        is then both ``path`` and ``study``.
    root : Path or None
        The project the file belongs to (:func:`~reanalyse.model.project.project_root`),
        derived from ``path`` when the analysis is made; None without a file.
    """

    name: str
    path: Path | None
    study: Path
    notebook: Path | None = None
    title: str | None = None
    options: CheckOptions = CheckOptions()
    parameters: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    inputs: tuple = ()
    kind: str = "analysis"
    root: Path | None = field(default=None, init=False, compare=False)

    def __post_init__(self):  # derived from the path, so replace() derives it anew
        object.__setattr__(self, "root", None if self.path is None else project_root(self.path))

    def to_dict(self) -> dict:
        """JSON-ready form."""
        data = {"name": self.name, "path": None if self.path is None else str(self.path),
                "study": str(self.study),
                "notebook": None if self.notebook is None else str(self.notebook),
                "title": self.title, "options": self.options.to_dict(),
                "parameters": dict(self.parameters), "expected": dict(self.expected)}
        if self.kind != "analysis":
            data["kind"] = self.kind
        if self.inputs:
            data["inputs"] = [str(path) for path in self.inputs]
        return data


class _Reader:
    """Checks the values of one analysis file, raising errors that say where they are."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, problem, *, field=None, value=None, line=None, hint=None):
        raise AnalysisFileError(self.path, problem, field=field, value=value, line=line,
                                hint=hint)

    def mapping(self, value, field, line, keys) -> Located:
        if not isinstance(value, Located):
            self.fail("expected a mapping of 'key: value' lines", field=field, value=value,
                      line=line, hint="allowed keys: " + ", ".join(keys))
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1)
                self.fail("unknown key", field=_join(field, key), value=key,
                          line=value.line_of(key),
                          hint=f"did you mean '{close[0]}'?" if close
                          else "allowed keys: " + ", ".join(keys))
        return value

    def text(self, mapping: Located, key, field, *, required=False) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field '{key}'", field=_join(field, key),
                          line=mapping.line, hint=f"add '{key}:'")
            return None
        if isinstance(value, (Located, list, bool)):
            self.fail("expected text", field=_join(field, key), value=value,
                      line=mapping.line_of(key), hint="quote the text")
        return str(value)

    def file(self, mapping: Located, key, *, suffixes) -> Path:
        written = self.text(mapping, key, "", required=True)
        path = Path(written).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path
        path = Path(os.path.normpath(path))
        if path_kind(path, quiet=True) != "file":  # a name too long is not found either
            self.fail("file not found", field=key, value=written, line=mapping.line_of(key),
                      hint=f"paths are relative to the analysis file's folder "
                           f"({self.path.parent}); e.g. ../data/<study>.yaml")
        if path.suffix not in suffixes:
            self.fail(f"expected a {' or '.join(suffixes)} file", field=key, value=written,
                      line=mapping.line_of(key))
        return path


def _join(field: str | None, key) -> str:
    return f"{field}.{key}" if field else str(key)


def load_analysis(path) -> Analysis:
    """Read and check the analysis file at ``path``.

    Relative paths in the file are taken from the file's own folder; the study file and the
    notebook must exist.

    Raises
    ------
    AnalysisFileError
        Naming the file, line, field, value and a hint, for any problem in the file.
    """
    path = Path(os.path.abspath(path))
    data = read_yaml(path, AnalysisFileError)
    reader = _Reader(path)
    if not _NAME.match(path.stem):
        reader.fail("the file name cannot name report files", value=path.name,
                    hint="use lower-case letters, digits, '.', '_' and '-', e.g. "
                         "raisi-dehkordi-2019.yaml")
    top = reader.mapping(data, None, 1, ANALYSIS_KEYS)
    study = reader.file(top, "study", suffixes=(".yaml", ".yml"))
    notebook = reader.file(top, "notebook", suffixes=(".ipynb",))
    return Analysis(name=path.stem, path=path, study=study, notebook=notebook,
                    title=reader.text(top, "title", None), options=_options(reader, top),
                    parameters=_parameters(reader, top), expected=_expected(reader, top))


def _options(reader: _Reader, top: Located) -> CheckOptions:
    """The ``options`` mapping as :class:`CheckOptions`, each option judged by the one rule of
    :func:`~reanalyse.model.options.option_problem` and every bad one named with its line."""
    if top.get("options") is None:
        return CheckOptions()
    options = reader.mapping(top["options"], "options", top.line_of("options"), OPTION_KEYS)
    found = {}

    def judged(name, value, written=None):
        problem = option_problem(name, value)
        if problem is not None:
            reader.fail(problem[0], field=f"options.{name}",
                        value=value if written is None else written,
                        line=options.line_of(name), hint=problem[1])
        return problem is None

    if options.get("alpha") is not None:
        written = options["alpha"]
        try:
            alpha = float(written) if isinstance(written, Text) else None
        except ValueError:
            alpha = None
        if judged("alpha", alpha, written):
            found["alpha"] = alpha
    rounding = reader.text(options, "rounding", "options")
    if rounding is not None and judged("rounding", rounding):
        found["rounding"] = Rounding.parse(rounding)
    if options.get("defensible") is not None:
        names = options["defensible"]
        if isinstance(names, list) and names:   # each name judged, so every bad one is named
            good = all([judged("defensible", [name], name) for name in names])
        else:
            good = judged("defensible", names if isinstance(names, list) else str(names), names)
        if good:
            found["defensible"] = tuple(names)
    boschloo = reader.text(options, "boschloo", "options")
    if boschloo is not None and judged("boschloo", boschloo):
        found["boschloo"] = boschloo
    return CheckOptions(**found)


def _parameters(reader: _Reader, top: Located) -> dict:
    if top.get("parameters") is None:
        return {}
    written = top["parameters"]
    if not isinstance(written, Located):
        reader.fail("expected a mapping of parameter names to values", field="parameters",
                    value=written, line=top.line_of("parameters"),
                    hint="e.g. parameters: {sweep_points: 21}")
    parameters = {}
    for name, value in written.items():
        line = written.line_of(name)
        if not isinstance(name, str) or not _PARAMETER.match(name):
            reader.fail("not a Python name", field=f"parameters.{name}", value=name, line=line)
        if name in RESERVED_PARAMETERS:
            reader.fail("set by the runner", field=f"parameters.{name}", value=name, line=line,
                        hint="the study is named by 'study:'; remove this parameter")
        if isinstance(value, Text):  # a number as written: an int or a float
            try:
                value = int(value) if _INT.match(value) else float(value)
            except ValueError:
                value = None
            if value is None or not math.isfinite(value):
                reader.fail("a number Python cannot read as a finite number",
                            field=f"parameters.{name}", value=str(written[name]), line=line,
                            hint="write a plain decimal number, or quote the value to pass text")
        elif isinstance(value, (Located, list)):
            reader.fail("expected a single value", field=f"parameters.{name}", value=value,
                        line=line, hint="parameters are text, numbers, true/false or null")
        elif not isinstance(value, (str, bool, type(None))):
            # a date, a timestamp or bytes: not a JSON value, so not a notebook parameter
            reader.fail(f"a {type(value).__name__}, not text, a number, true/false or null",
                        field=f"parameters.{name}", value=str(value), line=line,
                        hint=f"quote it to pass it as text: '{value}'")
        parameters[name] = value
    return parameters


def _expected(reader: _Reader, top: Located) -> dict:
    if top.get("expected") is None:
        return {}
    written = top["expected"]
    if not isinstance(written, Located):
        reader.fail("expected a mapping of claim ids to verdicts", field="expected",
                    value=written, line=top.line_of("expected"),
                    hint="run `reanalyse run --record` to write it")
    expected = {}
    for claim, verdict in written.items():
        if not isinstance(claim, str):
            reader.fail("a claim id is text", field=f"expected.{claim}", value=claim,
                        line=written.line_of(claim), hint=f"quote it: '{claim}'")
        if not isinstance(verdict, str) or verdict not in VERDICTS:
            close = difflib.get_close_matches(str(verdict), VERDICTS, n=1) \
                if isinstance(verdict, str) else None
            reader.fail("unknown verdict", field=f"expected.{claim}", value=verdict,
                        line=written.line_of(claim),
                        hint=(f"did you mean '{close[0]}'? " if close else "")
                        + "verdicts: " + ", ".join(VERDICTS))
        expected[str(claim)] = str(verdict)
    return expected


def find_analyses(directory) -> list[Path]:
    """The analysis files (``*.yaml``, ``*.yml``) directly in ``directory``, sorted by name."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


def analysis_from_parameters(analysis_path=None, study_path=None) -> Analysis:
    """The analysis a notebook was given: by its file, by a study file alone, or both.

    This is what a notebook template calls with its papermill parameters.  With only
    ``study_path`` the study is checked with the default options and no recorded verdicts;
    with both, ``study_path`` takes the place of the study the analysis names.  Relative paths
    are taken from the working directory.

    Raises
    ------
    AnalysisFileError
        For a bad analysis file.
    ReanalyseError
        When neither path is given.
    """
    if analysis_path:
        analysis = load_analysis(analysis_path)
        if study_path:
            analysis = replace(analysis, study=Path(os.path.abspath(study_path)))
        return analysis
    if study_path:
        study = Path(os.path.abspath(study_path))
        return Analysis(name=study.stem, path=None, study=study)
    raise ReanalyseError("no analysis given: pass -p analysis_path analyses/<name>.yaml "
                         "(or -p study_path data/<study>.yaml) to the notebook")


def record_expected(path, verdicts: dict) -> bool:
    """Write ``verdicts`` (claim id -> verdict) as the ``expected:`` block of the file at ``path``.

    The rest of the file (comments included) is kept as written; the block is replaced, or
    added at the end.  The file is replaced atomically.

    Returns
    -------
    bool
        Whether the file changed.
    """
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^expected\s*:", line)), None)
    if start is None:
        kept_before, kept_after = lines, []
        if kept_before and not kept_before[-1].endswith("\n"):
            kept_before[-1] += "\n"
    else:
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        # keep blank lines and comments that lead into the next top-level key
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1][0] == "#"):
            end -= 1
        kept_before, kept_after = lines[:start], lines[end:]
    block = ["expected:\n"] if verdicts else ["expected: {}\n"]
    block += [f"  {_yaml_key(claim)}: {verdict}\n" for claim, verdict in verdicts.items()]
    text = "".join(kept_before + block + kept_after)
    if text == source:
        return False
    write_atomic(path, text)
    return True


def _yaml_key(claim: str) -> str:
    """``claim`` as a YAML key that reads back as the same text: plain when it can be, else
    double-quoted with every character outside printable ASCII escaped (a line break inside
    quotes would otherwise be folded into a space)."""
    if _PLAIN_KEY.match(claim) and claim.lower() not in ("true", "false", "yes", "no", "null",
                                                          "on", "off", "y", "n"):
        return claim
    return '"' + "".join(_escaped(character) for character in claim) + '"'


def _escaped(character: str) -> str:
    code = ord(character)
    if character in '"\\':
        return "\\" + character
    if 0x20 <= code < 0x7F:
        return character
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
