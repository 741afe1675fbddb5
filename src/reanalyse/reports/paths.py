"""Paths as a shared report shows them: relative to the project, nothing else of the machine.

A report, its JSON and the index travel to people who do not have the machine that made them.
Files inside the project are named relative to it (``data/x.yaml``); a file outside it by its
name alone; the home folder never appears, nor do the folders of the Python that ran (its
prefixes, standard library and site-packages, where a traceback's frames lie), of this
package's own source, or of temporary files: ``/venv/lib/python3.11/site-packages/papermill/
execute.py`` is shown as ``papermill/execute.py``.
"""

from __future__ import annotations

import functools
import os
import re
import site
import sys
import sysconfig
import tempfile
from pathlib import Path

__all__ = ["display_path", "scrub", "scrub_all"]


def display_path(path, root) -> str:
    """``path`` relative to ``root`` (with ``/``) when it lies inside it, else its file name."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return path.name


def scrub(text: str, root, *folders) -> str:
    """``text`` with the absolute path of ``root`` (followed by a separator) and of the home
    folder taken out: ``/home/me/project/data/x.yaml`` becomes ``data/x.yaml``, another file
    of the home folder ``~/...``; a path in one of ``folders`` (the folders of a study or
    notebook outside the project) becomes its file's name.

    The folders of the machine's Python (:func:`_machine_prefixes`: site-packages, the
    standard library, the prefixes) and of this package's source are taken out too, so that a
    traceback names ``papermill/execute.py``, not where it lies; a path in the temporary
    folder becomes its file's name.

    The last line of defence for free text (error messages, papermill's record of the
    parameters, tracebacks); structured fields use :func:`display_path`.
    """
    prefixes = [(os.path.abspath(root), ""), (os.path.realpath(root), "")]
    prefixes += [(function(folder), "") for folder in folders
                 for function in (os.path.abspath, os.path.realpath)]
    prefixes += _machine_prefixes()
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        prefixes.append((os.path.abspath(home), "~/"))
    for prefix, replacement in sorted(set(prefixes), key=lambda item: -len(item[0])):
        if prefix != os.sep:
            text = text.replace(prefix.rstrip(os.sep) + os.sep, replacement)
    return _TEMPORARY.sub("", text) if _TEMPORARY is not None else text


@functools.lru_cache(maxsize=1)
def _machine_prefixes() -> tuple[tuple[str, str], ...]:
    """(folder, "") for each folder of this machine a shared text must not show: the
    site-packages and standard library folders, the interpreter's prefixes and the folder
    holding this package (an editable install's source), each as written and with its links
    resolved.  (A path in the temporary folder is cut to its file's name: :data:`_TEMPORARY`.)"""
    folders = [*site.getsitepackages(), site.getusersitepackages(), sys.prefix, sys.exec_prefix,
               sys.base_prefix, sys.base_exec_prefix, str(Path(__file__).resolve().parents[2])]
    folders += [path for name in ("stdlib", "platstdlib", "purelib", "platlib")
                if (path := sysconfig.get_paths().get(name))]
    found = {(function(folder), "") for folder in folders if folder
             for function in (os.path.abspath, os.path.realpath)}
    return tuple(item for item in found if item[0] != os.sep)


def _temporary_paths() -> re.Pattern | None:
    """The temporary folder and the folders under it, up to a file's name."""
    folders = {function(tempfile.gettempdir()) for function in (os.path.abspath, os.path.realpath)}
    folders = sorted((folder for folder in folders if folder != os.sep), key=len, reverse=True)
    if not folders:
        return None
    return re.compile("(?:" + "|".join(re.escape(folder.rstrip(os.sep) + os.sep)
                                       for folder in folders) + r")(?:[^\s/'\"<>&;:]+/)*")


#: A path in the temporary folder, up to its file's name (``/tmp/rea-1-x/page.html`` becomes
#: ``page.html``).
_TEMPORARY = _temporary_paths()


# an absolute path of two parts or more, not part of a URL or of a relative path
_ABSOLUTE = re.compile(r"(?<![\w:/.~-])/(?:[^\s/'\"<>&;:]+/)+")


def scrub_all(text: str, root) -> str:
    """:func:`scrub`, then every other absolute path cut to its last part (``/tmp/x/y.yaml``
    becomes ``y.yaml``): for pages of plain text and markup that hold no scripts, such as a
    page saying why an analysis could not run."""
    return _ABSOLUTE.sub("", scrub(text, root))
