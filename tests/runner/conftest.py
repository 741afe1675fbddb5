"""The runner tests' shared fixture: a copy of the fixture project."""

import shutil

import pytest

from run_fixtures import FIXTURES


@pytest.fixture
def workspace(tmp_path):
    """A project: the fixtures' studies, notebooks and analyses, and an empty report folder."""
    for part in ("studies", "notebooks", "analyses"):
        shutil.copytree(FIXTURES / part, tmp_path / part)
    return tmp_path
