"""Why an analysis did not run: one record for every kind of failure a run reports.

A :class:`RunError` travels from a worker to the run (it is pickled by the local pool and by
Dask), onto the analysis's failure page, the index and the terminal.  Each kind of failure has
one constructor, which holds its wording:

=================  ==========================================================================
kind               made by
=================  ==========================================================================
``study file``,    :meth:`RunError.from_input_error`: a study or analysis file is not valid
``analysis file``  (and :meth:`RunError.bad_analysis` for an analysis file the run could
                   not prepare)
``missing_file``   :meth:`RunError.missing_file`: a worker does not see an input file
``notebook``       :meth:`RunError.no_parameters_cell`, :meth:`RunError.unknown_parameters`
``no_result``      :meth:`RunError.no_result`: the notebook ran but published no verdicts
``bad_result``     :meth:`RunError.bad_result`: it published a claim id or verdict that
                   cannot be recorded
``cell``           :meth:`RunError.cell_raised`: a cell raised
``timeout``        :meth:`RunError.timeout`: the notebook ran past its timeout
``dead_kernel``    :meth:`RunError.dead_kernel`: the kernel died while the notebook ran
``kernel``         :meth:`RunError.kernel`: the kernel failed (e.g. it did not start)
``worker``         :meth:`RunError.lost`: the worker process or Dask task was lost
``output``         :meth:`RunError.output`: the report files could not be written
``internal``       :meth:`RunError.internal`: an unexpected exception
=================  ==========================================================================
"""

from __future__ import annotations

import re
import traceback
import dataclasses

from reanalyse.errors import AnalysisFileError, InputFileError, ReanalyseError, StudyFileError

__all__ = ["RunError"]

#: The kinds of :class:`~reanalyse.errors.InputFileError`: their records keep every field of
#: the error, null when unknown (the form ``reanalyse check --format json`` prints).
INPUT_FILE_KINDS = frozenset(cls.kind for cls in (InputFileError, StudyFileError,
                                                  AnalysisFileError))

_LOCATION = ("path", "line", "field", "value", "hint")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LONGEST = 200  # characters of an exception's text a summary quotes


def _cut(text: str, limit: int = _LONGEST) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclasses.dataclass(frozen=True)
class RunError:
    """Why one analysis did not run (see the module for the kinds and their constructors).

    Attributes
    ----------
    kind : str or None
        What failed (None for an analysis file refused for a reason that is not a field's).
    summary : str
        One line, for the index and the terminal.
    message : str
        The whole message (a traceback, a kernel's last output, every problem of a file).
    path, line, field, value : optional
        Where the problem is: the file, its 1-based line, the dotted field and the offending
        value (an excerpt, as text).
    hint : str, optional
        How to put it right.
    details : dict
        What only this kind has: the failing cell (``cell``, ``execution_count``, ``ename``,
        ``evalue``, ``source``), an input file's ``problem`` and ``problems``.
    """

    kind: str | None
    summary: str
    message: str
    path: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    details: dict = dataclasses.field(default_factory=dict, hash=False)

    def to_dict(self) -> dict:
        """JSON-ready form: ``kind`` (when known), ``summary``, ``message``, the location
        fields that are known (all of them for an input file) and the details."""
        data = {} if self.kind is None else {"kind": self.kind}
        every = self.kind in INPUT_FILE_KINDS
        data.update((name, getattr(self, name)) for name in _LOCATION
                    if every or getattr(self, name) is not None)
        data.update(self.details)
        data.update(summary=self.summary, message=self.message)
        return data

    # --- inputs --------------------------------------------------------------------------

    @classmethod
    def from_input_error(cls, error: InputFileError, summary: str | None = None) -> "RunError":
        """An invalid study or analysis file; ``summary`` defaults to ``bad <kind>:
        <problem>`` (the message quotes an excerpt of the offending value:
        :func:`reanalyse.errors.excerpt`)."""
        data = error.to_dict()
        details = {"problem": data["problem"]}
        if "problems" in data:
            details["problems"] = data["problems"]
        return cls(error.kind, summary or f"bad {error.kind}: {error.problem}", str(error),
                   path=data["path"], line=data["line"], field=data["field"],
                   value=data["value"], hint=data["hint"], details=details)

    @classmethod
    def bad_analysis(cls, error: BaseException) -> "RunError":
        """An analysis file the run could not prepare: not valid, named like another, or an
        unexpected exception while reading it (with its traceback)."""
        if isinstance(error, InputFileError):
            return cls.from_input_error(error, f"bad analysis file: {error.problem}")
        if isinstance(error, ReanalyseError):
            return cls(None, f"bad analysis file: {error}", str(error))
        first = (str(error).splitlines() or [""])[0]
        return cls("internal", "could not prepare the analysis: "
                               f"{type(error).__name__}: {_cut(first)}", _traceback(error))

    @classmethod
    def missing_file(cls, path: str) -> "RunError":
        """The worker running the analysis does not see the input file ``path`` (the page is
        shared, so it does not name the worker's machine)."""
        return cls("missing_file", f"{path} not found by the worker", f"{path}: file not found",
                   hint="workers must see the analyses, studies and notebooks at the same "
                        "paths as the machine that starts the run")

    @classmethod
    def no_parameters_cell(cls, notebook: str) -> "RunError":
        """The notebook has no cell tagged ``parameters`` (papermill could not inject)."""
        return cls("notebook", "the notebook has no cell tagged 'parameters'",
                   f"{notebook}: no cell is tagged 'parameters'", path=notebook,
                   hint="tag the cell that sets analysis_path and study_path 'parameters'")

    @classmethod
    def unknown_parameters(cls, notebook: str, unknown, declared) -> "RunError":
        """The run would pass parameters ``unknown`` the notebook does not ``declared``."""
        names = ", ".join(unknown)
        return cls("notebook", "unknown notebook parameters: " + names,
                   f"{notebook} does not declare {names} in its parameters cell "
                   f"(it declares: {', '.join(sorted(declared)) or 'nothing'})", path=notebook,
                   hint="declare them in the notebook's parameters cell, or remove them from "
                        "the analysis file's parameters")

    # --- execution -----------------------------------------------------------------------

    @classmethod
    def no_result(cls) -> "RunError":
        """The notebook ran to its end without displaying the check's result."""
        return cls("no_result", "the notebook published no verdicts",
                   "No output carried the check's result.",
                   hint="display reanalyse.reports.report.verdict_table(result) in the notebook")

    @classmethod
    def bad_result(cls, problem: str) -> "RunError":
        """The notebook published verdicts that cannot be recorded (``problem`` says which)."""
        return cls("bad_result", f"the notebook published {problem}", problem,
                   hint="publish the check's result as the report does: "
                        "reanalyse.reports.report.verdict_table(result)")

    @classmethod
    def cell_raised(cls, error) -> "RunError":
        """A cell raised: ``error`` is papermill's ``PapermillExecutionError``."""
        first = f"{error.ename}: {error.evalue}".strip()
        return cls("cell", f"cell [{error.exec_count}] raised {first}",
                   _ANSI.sub("", "\n".join(error.traceback)),
                   details={"cell": error.cell_index, "execution_count": error.exec_count,
                            "ename": error.ename, "evalue": error.evalue,
                            "source": error.source})

    @classmethod
    def timeout(cls, cell: int | None, seconds: float) -> "RunError":
        """The notebook ran past its timeout of ``seconds`` (in ``cell``, when one ran)."""
        summary = f"the notebook ran past its {seconds:g} s timeout"
        return cls("timeout", summary, summary, details={"cell": cell})

    @classmethod
    def dead_kernel(cls, cell: int | None, kernel_output: str) -> "RunError":
        """The kernel died while the notebook ran; ``kernel_output`` is its last lines."""
        summary = "the kernel died while the notebook ran"
        return cls("dead_kernel", summary, summary + "\n\nKernel output:\n" + kernel_output,
                   details={"cell": cell})

    @classmethod
    def kernel(cls, cell: int | None, error: BaseException, kernel_output: str) -> "RunError":
        """The kernel failed with ``error`` (before any cell ran: it did not start)."""
        summary = f"{type(error).__name__}: {error}"
        return cls("kernel", summary, summary + "\n\nKernel output:\n" + kernel_output,
                   details={"cell": cell})

    @classmethod
    def lost(cls, error: BaseException,
             summary: str = "the worker process stopped unexpectedly") -> "RunError":
        """The worker running the analysis (a pool's process, a Dask task) was lost."""
        return cls("worker", summary, f"{type(error).__name__}: {error}")

    @classmethod
    def internal(cls, error: BaseException) -> "RunError":
        """An unexpected exception while running the analysis, with its traceback."""
        return cls("internal", f"{type(error).__name__}: {_cut(str(error))}",
                   _traceback(error))

    # --- the run -------------------------------------------------------------------------

    @classmethod
    def output(cls, problem: str) -> "RunError":
        """The analysis ran but its report files could not be written (``problem``)."""
        return cls("output", f"its report could not be written: {problem}", problem)


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))
