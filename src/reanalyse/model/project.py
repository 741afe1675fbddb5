"""The project a file belongs to: the folder that holds ``analyses/``, ``reviews/``, ``data/``.

A project is laid out as ``<project>/analyses/<name>.yaml``, ``<project>/reviews/<name>.yaml``,
``<project>/data/<study>.yaml`` and ``<project>/notebooks/``.  Its root is derived once, when an
analysis or review file is read (:attr:`reanalyse.model.analysis.Analysis.root`), and read
everywhere after: by the runner to keep studies inside the project, by the reports to name
files relative to it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "PROJECT_FOLDERS"]

#: The folders of a project that hold the files naming what is run.
PROJECT_FOLDERS = ("analyses", "reviews")


def project_root(path) -> Path:
    """The project the analysis or review file at ``path`` belongs to.

    That is the folder above the nearest folder named ``analyses`` or ``reviews`` that holds
    the file as it is named (``<project>/analyses/<name>.yaml``); failing that, the folder
    above the file's own.  The file's own symbolic link is not followed, so that a link in
    ``analyses/`` to a file elsewhere cannot widen the project to the place it points to; the
    project folder is returned with its links resolved, for comparison with resolved targets.

    Examples
    --------
    >>> project_root("/work/trials/analyses/stamp-1995.yaml").as_posix()
    '/work/trials'
    >>> project_root("/work/analyses/trials/reviews/hahn-2001.yaml").as_posix()
    '/work/analyses/trials'
    """
    path = Path(os.path.abspath(path))
    for folder in path.parents:
        if folder.name in PROJECT_FOLDERS and folder.parent != folder:
            return folder.parent.resolve()
    return path.parent.parent.resolve()
