"""Read YAML with ``yaml.safe_load`` semantics, keeping numbers as printed and lines known.

``yaml.safe_load`` turns an unquoted ``8.60`` into the float 8.6 and forgets where each value
stood.  :func:`read_yaml` composes the document with PyYAML's safe loader and builds plain
Python data in which every int and float scalar is kept as its source text (a :class:`Text`,
a ``str`` that also knows its line), and every mapping is a :class:`Located` dict that knows the
line of each key.  Everything else (strings, booleans, nulls, dates) is constructed exactly as
``safe_load`` would, and what ``safe_load`` refuses (``!!python/...`` tags, unhashable keys,
impossible dates) is refused here, with the line.

Two differences from ``safe_load``, both refusals: a key written twice in one mapping (which
``safe_load`` silently lets the last one win; merge keys ``<<`` still work as there), and
documents whose aliases would expand to more than :data:`MAX_VALUES` values or that nest more
than :data:`MAX_DEPTH` levels deep (a "billion laughs" file is refused at once; an alias is
otherwise shared, not copied, as ``safe_load`` shares it).  Files larger than
:data:`MAX_BYTES` are not read.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from reanalyse.errors import InputFileError
from reanalyse.io import path_kind

__all__ = ["Text", "Located", "read_yaml", "MAX_BYTES", "MAX_VALUES", "MAX_DEPTH", "MAX_NODES"]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

#: Largest file read (bytes).
MAX_BYTES = 2_000_000
#: Most values (scalars, mappings and sequences, each alias counted as often as it is used)
#: a document may expand to.
MAX_VALUES = 200_000
#: Deepest nesting of mappings and sequences.
MAX_DEPTH = 100
#: Most nodes (scalars, mappings and sequences as written) a document may hold: counted while
#: it is composed, so that a file of 200,000 list items is refused before they are all built
#: (a study file holds some hundreds).
MAX_NODES = 20_000


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


class _Refused(Exception):
    """A problem found while building, with its line; turned into the caller's error type."""

    def __init__(self, problem, line=None, hint=None, field=None, value=None):
        super().__init__(problem)
        self.problem, self.line, self.hint, self.field, self.value = (problem, line, hint,
                                                                      field, value)


_Parser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_BASES = ((yaml.composer.Composer, _Parser, yaml.constructor.SafeConstructor,
           yaml.resolver.Resolver) if _Parser is not None else (yaml.SafeLoader,))


class _Loader(*_BASES):
    """PyYAML's safe loader, refusing documents nested deeper than :data:`MAX_DEPTH` or with
    more than :data:`MAX_NODES` nodes as it composes them (before Python's recursion limit is
    reached, and before the nodes are all built).

    The events come from libyaml when PyYAML was built with it (about five times faster than
    PyYAML's own scanner); the nodes are composed here, in Python, so that they are counted.
    """

    def __init__(self, stream):
        if _Parser is None:
            yaml.SafeLoader.__init__(self, stream)
        else:
            _Parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        self.depth += 1
        self.nodes += 1
        try:
            if self.nodes > MAX_NODES:
                raise _Refused(f"more than {MAX_NODES:,} values written",
                               line=self.peek_event().start_mark.line + 1,
                               hint="a study file holds some hundred values; is this the right "
                                    "file?")
            if self.depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep",
                               line=self.peek_event().start_mark.line + 1,
                               hint="a study file nests a few levels; check the brackets")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _read_source(path: Path, error_type) -> str:
    """The file's text, or an error that says why it is not a YAML text file."""
    kind = path_kind(path, quiet=True)
    if kind == "folder":
        raise error_type(path, "is a folder, not a file",
                         hint="give a .yaml file (a folder's files are given one by one)")
    if kind == "other":
        raise error_type(path, "not a regular file (a device, a pipe or a socket)",
                         hint="give a .yaml file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise error_type(path, "file not found", hint="check the path") from None
    except OSError as error:
        raise error_type(path, f"cannot read the file ({error.strerror or error})",
                         hint="check that it exists and can be read") from None
    if len(data) > MAX_BYTES:
        raise error_type(path, f"larger than {MAX_BYTES // 1_000_000} MB",
                         hint="a study or analysis file is a few kilobytes; is this the right "
                              "file?")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise error_type(path, "UTF-16 text", hint="save it as UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        sample = data[:8192]
        if b"\0" in sample or sum(byte < 9 or 13 < byte < 32 for byte in sample) > len(
                sample) // 20:
            raise error_type(path, "a binary file, not YAML text",
                             hint="give the .yaml text file, not a spreadsheet, PDF or "
                                  "archive") from None
        line = data[:error.start].count(b"\n") + 1
        raise error_type(path, f"not UTF-8 text (byte {data[error.start]:#04x} at byte "
                               f"{error.start})", line=line,
                         hint="save it as UTF-8 text") from None


def read_yaml(path: Path, error_type: type[InputFileError] = InputFileError):
    """Load one YAML document from ``path`` keeping printed numbers as text.

    Raises
    ------
    InputFileError (or ``error_type``)
        For an unreadable, binary or overlarge file, a YAML syntax error, a tag or key
        ``safe_load`` refuses, a duplicate key, too much nesting or alias expansion, or more
        than one document.
    """
    path = Path(path)
    source = _read_source(path, error_type)
    loader = None
    try:
        loader = _Loader(source)
        node = loader.get_single_node()
        if node is None:
            raise error_type(path, "the file is empty", line=1,
                             hint="a study file starts with 'id:'")
        _check_size(node)
        return _Builder(loader).build(node, 0)
    except _Refused as refused:
        raise error_type(path, refused.problem, line=refused.line, hint=refused.hint,
                         field=refused.field, value=refused.value) from None
    except yaml.reader.ReaderError as error:
        position = error.position
        if _Parser is not None:  # libyaml counts bytes of the UTF-8 text
            position = len(source.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line = source.count("\n", 0, position) + 1
        column = position - (source.rfind("\n", 0, position) + 1) + 1
        character = error.character if isinstance(error.character, str) else chr(
            error.character)
        raise error_type(path, f"a control character (U+{ord(character):04X}) at column {column}",
                         line=line, hint="YAML text cannot hold control characters; delete it "
                                         "or write it as an escape in a quoted string") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        hint = "check indentation and that text with ':' or '#' is quoted"
        text = source.splitlines()[mark.line] if mark and mark.line < len(
            source.splitlines()) else ""
        if "\t" in text[:len(text) - len(text.lstrip(" \t"))] or "'\\t'" in problem:
            column = text.index("\t") + 1 if "\t" in text else mark.column + 1
            hint = (f"line {line} has a tab at column {column}; YAML indents with spaces only, "
                    "so replace the tab by spaces")
        raise error_type(path, f"YAML syntax error: {problem}", line=line, hint=hint) from None
    except yaml.YAMLError as error:
        raise error_type(path, f"YAML error: {error}",
                         hint="the file must hold one YAML document") from None
    except RecursionError:
        raise error_type(path, f"nested more than {MAX_DEPTH} levels deep",
                         hint="a study file nests a few levels; check the brackets") from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_size(root) -> None:
    """Refuse a document that nests too deeply or whose aliases expand to too many values.

    The expanded size of each node is computed once (aliases share nodes), so that a file
    whose aliases double at each of many levels is refused in microseconds.
    """
    sizes: dict[int, int] = {}
    # iterative post-order walk, so that depth does not depend on Python's recursion limit
    stack = [(root, 0, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_VALUES:
                raise _Refused(f"the document expands to more than {MAX_VALUES:,} values",
                               line=node.start_mark.line + 1,
                               hint="aliases (*name) repeat what they point at; a study file "
                                    "needs no more than a few hundred values")
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _Refused("an alias refers to the value that contains it",
                           line=node.start_mark.line + 1,
                           hint="a value cannot contain itself; write it out")
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep",
                           line=node.start_mark.line + 1,
                           hint="a study file nests a few levels; check the brackets")
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _Builder:
    """Builds the data of a composed document; each node once (aliases are shared)."""

    def __init__(self, loader):
        self.loader = loader
        self.built: dict[int, object] = {}

    def build(self, node, depth):
        key = id(node)
        if key not in self.built:
            self.built[key] = self._build(node, depth)
        return self.built[key]

    def _build(self, node, depth):
        line = node.start_mark.line + 1
        if node.tag not in self.loader.yaml_constructors and node.tag != _MERGE:
            raise _Refused(f"the YAML tag {node.tag!r} is not allowed", line=line,
                           hint="only plain YAML values are read (as yaml.safe_load reads "
                                "them); remove the '!' tag")
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self._mapping(node, line, depth)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return _ListAt([self.build(item, depth + 1) for item in node.value], line,
                           [item.start_mark.line + 1 for item in node.value])
        if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _FLOAT):
            return Text(node.value, line)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            mark = error.problem_mark or node.start_mark
            raise _Refused(f"YAML error: {error.problem}", line=mark.line + 1,
                           hint="write plain text, numbers, lists and 'key: value' "
                                "mappings") from None
        except (ValueError, OverflowError, TypeError) as error:
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise _Refused(f"not a valid date ({error})", line=line, value=node.value,
                               hint="quote it to keep it as text, e.g. "
                                    f"'{node.value[:40]}'") from None
            raise _Refused(f"cannot read the value ({error})", line=line, value=node.value,
                           hint="quote it to keep it as text") from None

    def _mapping(self, node, line, depth):
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
        self.loader.flatten_mapping(node)  # merge keys (<<) as safe_load does
        merged = len(node.value) - own  # flatten_mapping puts merged pairs first
        items, key_lines = {}, {}
        for position, (key_node, value_node) in enumerate(node.value):
            key = self.build(key_node, depth + 1)
            key_line = key_node.start_mark.line + 1
            if isinstance(key, Text):
                key = str(key)
            try:
                hash(key)
            except TypeError:
                raise _Refused("a key must be a single value (text or a number), not a list "
                               "or mapping", line=key_line,
                               hint="write 'name: value'; a '?' or '[...]' before ':' makes a "
                                    "complex key") from None
            if key in items and position >= merged and key_lines.get(key, 0) >= 0:
                raise _Refused("duplicate key", field=str(key), line=key_line,
                               hint=f"the key first appears on line {key_lines[key]}; "
                                    "keep one of them")
            items[key] = self.build(value_node, depth + 1)
            # a merged key may be overridden by the mapping's own (as in safe_load)
            key_lines[key] = key_line if position >= merged else -key_line
        return Located(items, line, {key: abs(at) for key, at in key_lines.items()})
