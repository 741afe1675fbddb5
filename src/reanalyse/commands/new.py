"""Write a new study file and its analysis from a commented template, ready to fill in.

reanalyse new ID writes data/ID.yaml (every field of a study file, each explained in a
comment, the id already matching the file name) and analyses/ID.yaml (the analysis that runs
it through the claim-check notebook).  The study file loads as it is: fill in the numbers as
the paper printed them, then run reanalyse check data/ID.yaml.

reanalyse new ID --from FILE drafts both files from a trial's abstract or results section
(FILE a .txt, .pdf or .html file, or - for standard input): arms and their sizes, per-arm
means and SDs (or SEs or CIs), counts and percentages, scales and cut-offs, and claims with
their statistics, each number's sentence quoted in a comment, each guess marked "# check:",
each number the text does not print marked "# TODO".  --check then checks the draft at once.

It refuses an id that is not lower-case letters, digits and hyphens, and never overwrites a
file.  Exit status: 0 when both files were written, 2 when the id is bad, a file exists or the
text cannot be read.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reanalyse.errors import excerpt

__all__ = ["add_arguments", "run", "study_template", "analysis_template"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
#: Longest study id: the file names built from it stay far below the file system's limit.
MAX_ID = 100

_STUDY = """\
# Study file: the numbers one trial's paper printed, transcribed with where each stands.
# Every field is explained in a comment; fill in what the paper prints and leave out what it
# does not (a field not in any source stays absent). Quote numbers as printed: "8.60" keeps its
# trailing zero. Then run: reanalyse check data/{id}.yaml

id: {id}                         # must equal the file name; lower-case letters, digits, hyphens
citation: "Author A, Author B. Title of the paper. Journal. Year;Volume(Issue):pages."
# doi: 10.xxxx/xxxxx             # optional: the paper's DOI, without https://doi.org/
# alpha: 0.05                    # optional: the paper's significance level (default 0.05)
# notes: >-                      # optional: what was transcribed from where, and any doubts
#   Every number is from Table 2.
# sources:                       # optional: where numbers came from besides the paper itself
#   - {{citation: "Review R. ...", kind: secondary, note: "gives the dropouts per arm"}}

arms:                            # the randomised groups; ids are used below
  - id: treatment                # a short id of your choosing
    label: Treatment             # the arm's name as a reader should see it
    # randomised: 30             # optional: the number randomised to this arm
  - id: control
    label: Control
    # randomised: 30

outcomes:                        # each measured outcome, with its printed numbers per arm
  - id: main_outcome
    label: Main outcome          # as the paper names it
    type: continuous             # continuous (means) or binary (counts or percentages)
    # scale: {{min: 0, max: 30, items: 1}}  # optional: the score's bounds; items = integer
    #                                      #   items averaged per score (1 for whole numbers)
    # source: "Table 2"          # where in the paper the numbers stand
    # baseline: false            # true for a characteristic measured before randomisation
    arms:                        # per arm id: n analysed, and mean with sd (or se, or ci)
      treatment: {{}}            # e.g. {{n: 30, mean: "7.75", sd: "2.18"}}
      control: {{}}              # binary: {{n: 30, events: 15}} or {{n: 30, percent: "43.3"}}
    # derived_from: other_id     # binary only: the continuous outcome this is a cut-off of
    # cutoff: ">= 13"            # binary only: the cut-off, as the paper states it

claims:                          # what the paper concludes, one entry per claim
  - id: main-claim
    outcome: main_outcome        # the outcome id the claim is about
    text: "The paper's own sentence, quoted"
    significant: true            # true when the paper calls the result significant, else false
    # arms: [treatment, control] # optional: the compared arms, treatment first
    # reported: {{test: t, statistic: "2.20", df: [58], p: "0.03"}}  # every field optional;
    #   test: t, student_t, welch_t, F, anova_f, welch_anova, chi2, pearson_chi2, yates_chi2,
    #   fisher_exact, boschloo_exact, z, z_pooled, r, or regression, ancova, logistic,
    #   mann_whitney; df as printed (Student's t on 30 + 30: 58; the check says when the
    #   arms' n cannot give it); p as printed: "0.034", "< .05", "ns"; an estimate:
    #   estimate: {{measure: OR, value: "0.5", ci: ["0.2", "0.94"], adjusted: true}}
    # alternative: two-sided     # or greater / less (treatment minus control)
    # alpha: 0.05                # optional: this claim's own level
    # population: itt            # itt, per_protocol or completers
"""

_ANALYSIS = """\
# Analysis: the claim check of data/{id}.yaml. Paths are relative to this file.
study: ../data/{id}.yaml
notebook: ../notebooks/claim_check.ipynb
# title: "..."                   # optional: the report's title (default: first author and year)
options:
  rounding: nearest              # how the paper rounded: nearest, half_up, half_down, half_even,
                                 #   truncate, ceiling, floor
  # alpha: 0.05                  # optional: one level for every claim
  # boschloo: when_needed        # when_needed, always or never
# expected:                      # the verdicts the team has recorded (reanalyse run --record)
#   main-claim: reproduced
"""


def study_template(study_id: str) -> str:
    """The commented study file for ``study_id``."""
    return _STUDY.format(id=study_id)


def analysis_template(study_id: str) -> str:
    """The analysis file that runs ``data/<study_id>.yaml`` through the claim-check notebook."""
    return _ANALYSIS.format(id=study_id)


def add_arguments(parser) -> None:
    """Arguments of ``reanalyse new``."""
    parser.add_argument("id", metavar="ID",
                        help="the study's id, e.g. smith-2020 (lower-case letters, digits, "
                             "hyphens); the files are data/ID.yaml and analyses/ID.yaml")
    parser.add_argument("--from", dest="source", metavar="FILE", default=None,
                        help="draft the files from this text (.txt, .pdf, .html; - reads "
                             "standard input) instead of writing the empty template")
    parser.add_argument("--check", action="store_true",
                        help="with --from: check the draft at once and print its verdicts")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder holding data/ and analyses/ (default: the "
                             "current folder)")


def run(args) -> int:
    """Write both files, or explain why not; return the exit status."""
    study_id = args.id
    if not _ID.match(study_id) or len(study_id) > MAX_ID:
        suggestion = re.sub(r"[^a-z0-9-]+", "-", study_id.lower()).strip("-")
        print(f"reanalyse new: {excerpt(study_id)!r} is not a study id: use at most {MAX_ID} "
              "lower-case letters, digits and hyphens, starting with a letter or digit",
              file=sys.stderr)
        if suggestion and _ID.match(suggestion) and len(suggestion) <= MAX_ID:
            print(f"  hint: reanalyse new {suggestion}", file=sys.stderr)
        return 2
    if getattr(args, "check", False) and getattr(args, "source", None) is None:
        print("reanalyse new: --check needs --from FILE (there is nothing to check in an "
              "empty template)", file=sys.stderr)
        print(f"  hint: reanalyse new {study_id} --from abstract.txt --check", file=sys.stderr)
        return 2
    study_path = args.root / "data" / f"{study_id}.yaml"
    analysis_path = args.root / "analyses" / f"{study_id}.yaml"
    for path in (study_path, analysis_path):
        if path.exists():
            print(f"reanalyse new: {path} already exists; nothing was written", file=sys.stderr)
            print("  hint: choose another id, or edit the existing file", file=sys.stderr)
            return 2
    drafted = None
    if getattr(args, "source", None) is not None:
        from reanalyse.drafting import draft, read_text

        name = "standard input" if args.source == "-" else Path(args.source).name
        drafted = draft(read_text(args.source, stdin=sys.stdin), study_id, source=name)
        files = {study_path: drafted.text, analysis_path: drafted.analysis}
    else:
        files = {study_path: study_template(study_id),
                 analysis_path: analysis_template(study_id)}
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(text)
        print(f"wrote {path}")
    if drafted is None:
        print(f"next: fill in data/{study_id}.yaml from the paper, then run "
              f"reanalyse check data/{study_id}.yaml")
        return 0
    print(f"drafted {len(drafted.study.arms)} arms, {len(drafted.study.outcomes)} outcomes and "
          f"{len(drafted.study.claims)} claims, with {len(drafted.guesses)} guesses to check "
          f"('# check:') and {len(drafted.todos)} gaps ('# TODO') in {study_path}")
    if not args.check:
        print(f"next: review the '# check:' lines, then run reanalyse check {study_path}")
        return 0
    from reanalyse.claims.assess import CheckOptions, check_file
    from reanalyse.commands.check import format_table, summary_line, use_colour

    result = check_file(study_path, CheckOptions())
    print(format_table([result], colour=use_colour(sys.stdout)), end="")
    print(summary_line([result]))
    print("these verdicts rest on a draft: review its '# check:' lines before citing them")
    return 0
