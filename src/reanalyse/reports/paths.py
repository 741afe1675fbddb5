"""Paths as a shared report shows them: relative to the project, nothing else of the machine.

A report, its JSON and the index travel to people who do not have the machine that made them.
Files inside the project are named relative to it (``data/x.yaml``); a file outside it by its
name alone; the home folder never appears.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "display_path", "scrub"]


def project_root(analysis_path) -> Path:
    """The project an analysis file belongs to: the folder holding its ``analyses/`` folder.

    That is the folder above the nearest folder named ``analyses`` that holds the file; failing
    that, the folder above the file's own (``<project>/<folder>/<name>.yaml``).  Symbolic links
    are resolved first, so that a link cannot carry a file into or out of a project.
    """
    path = Path(analysis_path).resolve()
    for folder in path.parents:
        if folder.name == "analyses" and folder.parent != folder:
            return folder.parent
    return path.parent.parent


def display_path(path, root) -> str:
    """``path`` relative to ``root`` (with ``/``) when it lies inside it, else its file name."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return path.name


def scrub(text: str, root) -> str:
    """``text`` with the absolute path of ``root`` (followed by a separator) and of the home
    folder taken out: ``/home/me/project/data/x.yaml`` becomes ``data/x.yaml``, another file
    of the home folder ``~/...``.

    The last line of defence for free text (error messages, papermill's record of the
    parameters); structured fields use :func:`display_path`.
    """
    prefixes = [(os.path.abspath(root), ""), (os.path.realpath(root), "")]
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        prefixes.append((os.path.abspath(home), "~/"))
    for prefix, replacement in sorted(set(prefixes), key=lambda item: -len(item[0])):
        if prefix != os.sep:
            text = text.replace(prefix.rstrip(os.sep) + os.sep, replacement)
    return text
