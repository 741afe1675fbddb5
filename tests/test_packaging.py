"""The repository's own promises: README commands, CI script, conda environment, notebooks."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name_and_bound(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement.strip())
    return match[1].lower(), match[2].replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_and_bound(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        for requirement in extra:
            name, bound = _name_and_bound(requirement)
            wanted[name] = bound
            if name == "dask":  # dask[distributed] is two packages on conda-forge
                wanted["distributed"] = bound
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = dict(_name_and_bound(item) for item in environment["dependencies"]
                  if isinstance(item, str) and not item.startswith(("python", "pip")))
    assert "conda-forge" in environment["channels"]
    assert listed == wanted


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```(?:bash|sh)\n(.*?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    run_command, test_command = _readme_commands()
    assert "reanalyse run" in run_command and "pip install" in run_command
    assert "pytest" in test_command
    ci_script = (ROOT / ".ci" / "run").read_text()
    assert test_command.strip() in ci_script
