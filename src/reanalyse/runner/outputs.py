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
import json
import os
import tempfile
import threading
from pathlib import Path

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


def write_atomic(path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part.

    The data go to a temporary file in the same folder, are flushed to disk, and the file is
    renamed over ``path``.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


PAGE_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.muted { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
         border-bottom: 1px solid #d0d7de; }
th { background: #f6f8fa; }
pre { white-space: pre-wrap; background: #fff5f5; border: 1px solid #f0b4b4; padding: .8rem;
      border-radius: 4px; }
.status-failed, .status-bad_input { color: #a40e26; font-weight: 600; }
.status-ran, .status-up_to_date { color: #1a7f37; }
"""


def error_page(name: str, error: dict) -> str:
    """A standalone HTML page for an analysis that could not run: what is wrong and how to fix.

    ``error`` has ``message`` and optionally ``hint``; everything is escaped.
    """
    hint = error.get("hint")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(name)}: not run</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<h1>{html.escape(name)}: not run</h1>
<p class="status-failed">{html.escape(error.get("summary") or "The analysis could not run.")}</p>
<pre>{html.escape(error.get("message", ""))}</pre>
{f'<p><strong>How to fix it:</strong> {html.escape(hint)}</p>' if hint else ''}
<p class="muted">Details as JSON:</p>
<pre>{html.escape(json.dumps(error, indent=2, default=str))}</pre>
</body>
</html>
"""
