"""Report files: atomic writes, the HTML of an executed notebook, and an error page.

An analysis that runs leaves ``<name>.ipynb``, ``<name>.html`` and ``<name>.json`` in the
output folder; one that fails leaves ``<name>.failed.ipynb`` (when a notebook ran) and
``<name>.failed.html``, and does not touch the files of its last good run.  Every file is
written to a temporary name in the same folder and renamed over the old one, so an
interrupted run never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import copy
import html
import threading
from pathlib import Path

from reanalyse import style
from reanalyse.io import write_atomic
from reanalyse.runner.errors import RunError

__all__ = ["write_atomic", "report_files", "failed_files", "render_html", "error_page",
           "prepare_exporter", "HIDE_INPUT_TAG"]

#: Tag put (in a copy) on code cells whose source the HTML leaves out.
HIDE_INPUT_TAG = "reanalyse-hide-input"

#: nbconvert's JupyterLab template without the scripts it loads from CDNs (require.js, MathJax,
#: Mermaid): a shared report must open offline, and the notebooks need none of them.
_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
_TEMPLATE_NAME = "reanalyse-report.html.j2"


def report_files(out: Path, name: str) -> dict[str, Path]:
    """The files of a good run: ``{"notebook": .ipynb, "html": .html, "json": .json}``."""
    return {"notebook": out / f"{name}.ipynb", "html": out / f"{name}.html",
            "json": out / f"{name}.json"}


def failed_files(out: Path, name: str) -> dict[str, Path]:
    """The files of a failed run: ``{"notebook": .failed.ipynb, "html": .failed.html}``."""
    return {"notebook": out / f"{name}.failed.ipynb", "html": out / f"{name}.failed.html"}


_local = threading.local()


def prepare_exporter(show_code: bool = False) -> None:
    """Make this thread's HTML exporter now and render a small notebook with it, so that its
    templates are compiled (a pool does this before forking its workers: each renders its
    first report about 0.3 s sooner)."""
    from nbformat import v4

    _exporter(show_code)
    cell = v4.new_code_cell("x = 1", outputs=[
        v4.new_output("display_data", data={"text/html": "<b>x</b>", "text/plain": "x"}),
        v4.new_output("stream", name="stdout", text="x")])
    render_html(v4.new_notebook(cells=[v4.new_markdown_cell("# x\n\n*x* `x`"), cell]),
                title="x", show_code=show_code)


def _exporter(show_code: bool):
    """An HTML exporter, made once per thread and setting (making one costs ~0.3 s)."""
    exporters = getattr(_local, "exporters", None)
    if exporters is None:
        exporters = _local.exporters = {}
    if show_code not in exporters:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
                                template_file=_TEMPLATE_NAME,
                                exclude_input_prompt=not show_code,
                                exclude_output_prompt=not show_code)
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_input_tags=(HIDE_INPUT_TAG,), enabled=True),
            enabled=True)
        exporters[show_code] = exporter
    return exporters[show_code]


def _failed(cell) -> bool:
    return any(output.get("output_type") == "error" for output in cell.get("outputs", ()))


def render_html(notebook, *, title: str, show_code: bool = False) -> str:
    """The HTML of an executed notebook, with code cells hidden unless ``show_code``.

    A cell that raised keeps its code, so that a reader sees what failed and why.  Text from
    the notebook (outputs, the title) is escaped by nbconvert.
    """
    notebook = copy.deepcopy(notebook)
    notebook.metadata["title"] = title
    if not show_code:
        for cell in notebook.cells:
            if cell.cell_type == "code" and not _failed(cell):
                cell.metadata.setdefault("tags", []).append(HIDE_INPUT_TAG)
    body, _ = _exporter(show_code).from_notebook_node(notebook)
    return body


PAGE_STYLE = style.PAGE_STYLE


#: How the fields of a failure's details read on its page, in this order; others follow.
_DETAIL_NAMES = {"kind": "Kind", "path": "File", "line": "Line", "field": "Field",
                 "value": "Value", "problem": "Problem", "ename": "Error", "evalue": "Error text",
                 "cell": "Cell", "worker": "Worker"}


def _message_without_hint(message: str, hint: str | None) -> str:
    """``message`` without the ``hint: ...`` line it may end with, when the hint is shown on
    its own."""
    if hint:
        lines = message.rstrip().splitlines()
        while lines and lines[-1].strip() in (f"hint: {hint}".strip(), hint.strip()):
            lines.pop()
        message = "\n".join(lines)
    return message


def _details(error: RunError) -> str:
    shown = {key: value for key, value in error.to_dict().items()
             if key not in ("summary", "message", "hint") and value not in (None, "", [], {})}
    keys = [key for key in _DETAIL_NAMES if key in shown] + sorted(
        key for key in shown if key not in _DETAIL_NAMES)
    if not keys:
        return ""
    rows = []
    for key in keys:
        value = shown[key]
        if isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        name = _DETAIL_NAMES.get(key, key.replace("_", " ").capitalize())
        text = html.escape(str(value))
        rows.append(f"<dt>{html.escape(name)}</dt><dd>"
                    + (f"<pre>{text}</pre>" if "\n" in str(value) else text) + "</dd>")
    return f'<h2>Details</h2><dl class="details">{"".join(rows)}</dl>'


def error_page(name: str, error: RunError) -> str:
    """A standalone HTML page for an analysis that could not run: what is wrong and how to fix.

    The page shows the error's message once, its hint once and its other fields (``kind``,
    ``path``, ``line``, ``field``, ``value``, the details) as a list; everything is escaped.
    """
    hint = error.hint
    summary = error.summary or "The analysis could not run."
    message = _message_without_hint(error.message or "", hint)
    message_html = (f"<pre>{html.escape(message)}</pre>"
                    if message and message.strip() != summary.strip() else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(name)}: not run</title>
<style>{PAGE_STYLE}
.hint {{ background: #f6f8fa; border-left: 4px solid #0969da; padding: .6rem .9rem; }}</style>
</head>
<body>
<h1>{html.escape(name)}: not run</h1>
<p class="status-failed">{html.escape(summary)}</p>
{message_html}
{f'<p class="hint"><strong>How to fix it:</strong> {html.escape(hint)}</p>' if hint else ''}
{_details(error)}
</body>
</html>
"""
