"""Read YAML with ``yaml.safe_load`` semantics, keeping numbers as printed and lines known.

``yaml.safe_load`` turns an unquoted ``8.60`` into the float 8.6 and forgets where each value
stood.  :func:`read_yaml` composes the document with PyYAML's safe loader and builds plain
Python data in which every int and float scalar is kept as its source text (a :class:`Text`,
a ``str`` that also knows its line), and every mapping is a :class:`Located` dict that knows the
line of each key.  Everything else (strings, booleans, nulls, dates) is constructed exactly as
``safe_load`` would.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from reanalyse.errors import InputFileError

__all__ = ["Text", "Located", "read_yaml"]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class Text(str):
    """A scalar kept as its source text, with the 1-based line it stood on."""

    line: int | None = None

    def __new__(cls, text: str, line: int | None):
        self = super().__new__(cls, text)
        self.line = line
        return self


class Located(dict):
    """A YAML mapping that knows the line of the mapping and of each of its keys."""

    def __init__(self, items, line: int, key_lines: dict):
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines

    def line_of(self, key) -> int:
        """Line of ``key`` (the mapping's own line if the key is absent)."""
        return self.key_lines.get(key, self.line)


class _ListAt(list):
    """A YAML sequence that knows its line and the line of each item."""

    def __init__(self, items, line: int, item_lines: list[int]):
        super().__init__(items)
        self.line = line
        self.item_lines = item_lines


def read_yaml(path: Path, error_type: type[InputFileError] = InputFileError):
    """Load one YAML document from ``path`` keeping printed numbers as text.

    Raises
    ------
    InputFileError (or ``error_type``)
        For an unreadable file, a YAML syntax error, a duplicate key or more than one document.
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error_type(path, "file not found", hint="check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise error_type(path, f"cannot read the file ({error})",
                         hint="save it as UTF-8 text") from None
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            raise error_type(path, "the file is empty", line=1,
                             hint="a study file starts with 'id:'")
        return _build(node, loader, path, error_type)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        raise error_type(path, f"YAML syntax error: {problem}", line=line,
                         hint="check indentation and that text with ':' or '#' is quoted") from None
    except yaml.YAMLError as error:
        raise error_type(path, f"YAML error: {error}",
                         hint="the file must hold one YAML document") from None
    finally:
        loader.dispose()


def _build(node, loader, path, error_type):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # merge keys (<<) as safe_load does
        items, key_lines = {}, {}
        for key_node, value_node in node.value:
            key = _build(key_node, loader, path, error_type)
            key = str(key) if isinstance(key, Text) else key
            key_line = key_node.start_mark.line + 1
            if key in items:
                raise error_type(path, "duplicate key", field=str(key), line=key_line,
                                 hint=f"the key first appears on line {key_lines[key]}; "
                                      "keep one of them")
            items[key] = _build(value_node, loader, path, error_type)
            key_lines[key] = key_line
        return Located(items, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return _ListAt([_build(item, loader, path, error_type) for item in node.value], line,
                       [item.start_mark.line + 1 for item in node.value])
    if node.tag in (_INT, _FLOAT):
        return Text(node.value, line)
    return loader.construct_object(node, deep=True)
