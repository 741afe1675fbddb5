"""Paths as a shared report shows them: relative to the project, nothing else of the machine.

A report, its JSON and the index travel to people who do not have the machine that made them.
Files inside the project are named relative to it (``data/x.yaml``); a file outside it by its
name alone; the home folder never appears.
"""

from __future__ import annotations

import os
import re
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

    The last line of defence for free text (error messages, papermill's record of the
    parameters); structured fields use :func:`display_path`.
    """
    prefixes = [(os.path.abspath(root), ""), (os.path.realpath(root), "")]
    prefixes += [(function(folder), "") for folder in folders
                 for function in (os.path.abspath, os.path.realpath)]
    home = os.path.expanduser("~")
    if home not in ("", "/", "~"):
        prefixes.append((os.path.abspath(home), "~/"))
    for prefix, replacement in sorted(set(prefixes), key=lambda item: -len(item[0])):
        if prefix != os.sep:
            text = text.replace(prefix.rstrip(os.sep) + os.sep, replacement)
    return text


# an absolute path of two parts or more, not part of a URL or of a relative path
_ABSOLUTE = re.compile(r"(?<![\w:/.~-])/(?:[^\s/'\"<>&;:]+/)+")


def scrub_all(text: str, root) -> str:
    """:func:`scrub`, then every other absolute path cut to its last part (``/tmp/x/y.yaml``
    becomes ``y.yaml``): for pages of plain text and markup that hold no scripts, such as a
    page saying why an analysis could not run."""
    return _ABSOLUTE.sub("", scrub(text, root))
