"""YAML is read from libyaml's events (when PyYAML has it) and composed in Python: positions
libyaml gives in bytes of UTF-8 are turned into the characters a reader counts."""

import pytest

from reanalyse.errors import InputFileError
from reanalyse.model.yamltext import MAX_NODES, read_yaml


def test_a_control_character_after_accented_text_is_placed_by_characters(tmp_path):
    path = tmp_path / "study.yaml"
    # nine two-byte characters on line 2; the control character is the 10th character of line 3
    path.write_text('id: x\ncitation: "ééééééééé"\nnotes: ab\x01c\n', encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        read_yaml(path)
    assert raised.value.line == 3
    assert "U+0001) at column 10" in str(raised.value)


def test_nodes_are_still_counted_as_they_are_composed(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("notes: [" + "1, " * MAX_NODES + "1]\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=f"more than {MAX_NODES:,} values"):
        read_yaml(path)


def test_numbers_keep_their_printed_text_and_lines(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("id: x\narms:\n  - {n: 20, mean: 8.60}\n", encoding="utf-8")
    data = read_yaml(path)
    arm = data["arms"][0]
    assert arm["mean"] == "8.60" and arm["mean"].line == 3
    assert data.line_of("arms") == 2
