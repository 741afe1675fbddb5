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
    """The project an analysis file belongs to: the folder that holds its ``analyses/`` folder
    (``analyses/<name>.yaml`` is the project's layout), else the analysis file's own folder."""
    folder = Path(os.path.abspath(analysis_path)).parent
    return folder.parent if folder.name == "analyses" else folder


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
    prefixes = [(os.path.abspath(root), "")]
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        prefixes.append((os.path.abspath(home), "~/"))
    for prefix, replacement in sorted(prefixes, key=lambda item: -len(item[0])):
        if prefix != os.sep:
            text = text.replace(prefix.rstrip(os.sep) + os.sep, replacement)
    return text
