"""The report's title and, at its end, the provenance: files, hashes, options, versions."""

from __future__ import annotations

import re

from reanalyse.reports.markup import REPORT_STYLE, Html, escape, wrap
from reanalyse.reports.paths import display_path
from reanalyse.text import sentence

__all__ = ["short_title", "study_header", "provenance", "file_fact", "sources_fact",
           "provenance_section"]


def _author_year(citation: str) -> str | None:
    """``Raisi Dehkordi et al. 2019`` from a Vancouver-style citation, if it reads as one."""
    first = re.split(r"[,.]", citation, maxsplit=1)[0].strip()
    surname = re.sub(r"\s+[A-Z]{1,3}$", "", first).strip()
    year = re.search(r"\b(19|20)\d{2}\b", citation)
    if not surname or year is None or len(surname) > 40:
        return None
    several = "," in citation.split(".", 1)[0]
    return f"{surname}{' et al.' if several else ''} {year.group(0)}"


def short_title(study, analysis=None) -> str:
    """The report's title: the analysis's ``title``, else first author and year, else the
    study's id."""
    if analysis is not None and analysis.title:
        return analysis.title
    return _author_year(study.citation or "") or study.id


def study_header(study, analysis=None) -> Html:
    """The report's title (short), the full citation in small type, and the DOI.

    Parameters
    ----------
    study : Study
    analysis : Analysis, optional
        Its ``title``, when set, is the report's title.
    """
    parts = [f"<style>{REPORT_STYLE}</style>",
             f'<h1 class="rea-title">{escape(short_title(study, analysis))}</h1>']
    citation = escape(study.citation)
    if study.doi:
        doi = escape(study.doi)
        citation += f' DOI: <a href="https://doi.org/{doi}">{doi}</a>'
    parts.append(f'<p class="rea-citation">{citation}</p>')
    return wrap("".join(parts))


def provenance(study, analysis=None) -> Html:
    """Where the report comes from, in a collapsed section: the files (relative to the
    project) with their hashes, the sources of the numbers, the arms, the options and the
    versions.

    Parameters
    ----------
    study : Study
    analysis : Analysis, optional
        Adds the analysis file and the options in force; its project (``analysis.root``) is
        the folder the paths are shown from.
    """
    root = analysis.root if analysis is not None else None
    facts = []
    if study.path is not None:
        facts.append(file_fact("Study file", study.path, root))
    if analysis is not None and analysis.path is not None:
        facts.append(file_fact("Analysis file", analysis.path, root))
    if study.sources:
        facts.append(sources_fact(study.sources))
    arms = ", ".join(f"{escape(arm.label)}" + (f" ({arm.randomised} randomised)"
                                           if arm.randomised is not None else "")
                     for arm in study.arms)
    facts.append(("Arms", arms))
    if study.notes:
        facts.append(("Notes", escape(sentence(study.notes))))
    if analysis is not None:
        options = analysis.options.to_dict()
        alpha = (f"{options['alpha']:g}" if options["alpha"] is not None
                 else f"each claim's own (study: {study.alpha:g})")
        defensible = ("all rebuilt tests" if options["defensible"] is None
                      else ", ".join(options["defensible"]))
        facts.append(("Options", f"alpha {escape(alpha)}; printed numbers rounded "
                      f"<em>{escape(options['rounding'])}</em>; defensible tests: "
                      f"{escape(defensible)}; Boschloo's test: {escape(options['boschloo'])}"))
    return provenance_section(facts)


def file_fact(label: str, path, root) -> tuple[str, str]:
    """A provenance row: a file shown relative to the project ``root`` (its name alone without
    one), with its content hash."""
    from reanalyse.io import file_digest

    shown = display_path(path, root) if root is not None else path.name
    return label, (f"<code>{escape(shown)}</code><br>"
                   f'<span class="rea-muted">{escape(file_digest(path))}</span>')


def sources_fact(sources) -> tuple[str, str]:
    """A provenance row listing where the numbers were read, primary or secondary."""
    return "Sources of the numbers", "<ul>" + "".join(
        f"<li>{escape(source.citation)} <em>({escape(source.kind)})</em>"
        + (f": {escape(source.note)}" if source.note else "") + "</li>"
        for source in sources) + "</ul>"


def provenance_section(facts) -> Html:
    """The collapsed provenance section: ``facts`` (label, HTML) and the version computing it."""
    from reanalyse._version import __version__

    facts = [*facts, ("Computed by", f"reanalyse {escape(__version__)}")]
    body = "<dl>" + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts) + "</dl>"
    return wrap('<details class="rea-provenance"><summary>Provenance: files, hashes, options '
                 f"and versions</summary>{body}</details>")
