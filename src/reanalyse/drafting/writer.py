"""The draft as YAML text, every number with a comment quoting where it came from.

The study file is written by hand rather than by a YAML library, so that comments sit where a
reviewer reads them: above each arm's numbers, the sentence they came from (``# from: "..."``);
at the end of a line, what was guessed (``# check: ...``) or what the text does not print
(``# TODO: ...``).  Strings are written as JSON strings, which YAML reads as double-quoted
scalars; numbers are quoted so that their printed decimals are kept.
"""

from __future__ import annotations

import json

__all__ = ["Line", "render", "scalar", "flow", "QUOTE_LIMIT"]

#: Longest quotation in a comment (a longer sentence is cut, marked with "...").
QUOTE_LIMIT = 400


class Line:
    """One line of the file: indentation, content, and trailing comments."""

    def __init__(self, indent: int, content: str, *, check: str | None = None,
                 todo: str | None = None, comment: str | None = None):
        self.indent, self.content = indent, content
        self.check, self.todo, self.comment = check, todo, comment

    def text(self) -> str:
        notes = [f"check: {self.check}" if self.check else None,
                 f"TODO: {self.todo}" if self.todo else None, self.comment]
        notes = [note for note in notes if note]
        line = " " * self.indent + self.content
        if notes:
            line += ("   " if self.content else "") + "# " + "; ".join(_one_line(n) for n in notes)
        return line


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def quote(sentence: str) -> str:
    """A sentence for a comment: on one line, cut at :data:`QUOTE_LIMIT` characters."""
    text = _one_line(sentence)
    return json.dumps(text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 3] + "...",
                      ensure_ascii=False)


def scalar(value) -> str:
    """A value as YAML: booleans and integers bare, everything else a JSON string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def flow(mapping: dict) -> str:
    """A mapping as a YAML flow mapping (``{n: 60, mean: "7.75"}``); lists as flow lists."""
    parts = []
    for key, value in mapping.items():
        if isinstance(value, (list, tuple)):
            text = "[" + ", ".join(scalar(item) for item in value) + "]"
        elif isinstance(value, dict):
            text = flow(value)
        else:
            text = scalar(value)
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def render(lines: list[Line]) -> str:
    """The file's text."""
    return "\n".join(line.text() for line in lines) + "\n"
