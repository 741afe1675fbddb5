"""Seeded generators of hostile inputs, one per surface, and the check each input must pass.

Every generator takes a ``random.Random`` and returns one input; every ``run_*`` function takes
that input and either returns normally or raises a ``ReanalyseError`` (a clean refusal).  Any
other exception is a finding.  The inputs mix plausible text (numbers as papers print them,
study files that load) with the shapes that broke parsers before: huge and tiny exponents,
NUL and line breaks in cells, long runs of one character, unclosed markup, repeated names.
"""

from __future__ import annotations

import copy
import io
import random
import warnings
import zlib
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# --- printed numbers -----------------------------------------------------------------------

_PIECES = ["0", "1", "5", "9", ".", "-", "+", "e", "E", "e-", "e+", ",", " ", "\u2212", "%",
           "×10^", " x 10^-", "\x00", "\n", "\r", "\t", "\u00a0", "p", "<", ">", "=", "≤", "ns",
           "n.s.", "nan", "inf", "I", "l", "٣", "½", "0x1", "_", "'", '"', "(", ")", "[", "]"]


def printed_number(rng: random.Random) -> str:
    """A text that may or may not be a printed number."""
    roll = rng.random()
    if roll < 0.35:  # a plausible number
        digits = rng.choice([1, 1, 2, 2, 3, 4, 6, 12, 18, 19, 25])
        text = str(rng.randrange(10 ** digits))
        if rng.random() < 0.6:
            cut = rng.randrange(len(text) + 1)
            text = text[:cut] + "." + text[cut:]
        if rng.random() < 0.2:
            text = "-" + text
        if rng.random() < 0.15:
            text += rng.choice(["e", "E", "e-", "e+"]) + str(rng.choice(
                [0, 1, 5, 99, 300, 301, 308, 309, 318, 400, 99999]))
        return text
    if roll < 0.45:  # a long run of one piece
        return rng.choice(["1", "0", " ", ".", "9", "-"]) * rng.choice([50, 199, 201, 5000])
    if roll < 0.55:
        return rng.choice(["0e309", "0e-400", "1e300", "1e-300", "1e99", "1e-99", "0.0", "0",
                           "-0", "9\x00", "\x009", "5\n", "1\n2", "7,61", "0,026", "1,234",
                           "2.3 × 10^-5", "< .001", "= .05", "p = .034", "ns", ".000", "1.",
                           ".", "-", "", " ", "NaN", "Infinity", "1e5000", "0e99999"])
    return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 12)))


def run_parsers(texts: list[str]) -> None:
    """The scalar parsers and the column readers, which must agree on what is a number: each
    text through ``parse_number``, ``parse_p`` and ``parse_cutoff``, and all of them as one
    column through ``read_printed`` and ``read_p``."""
    from reanalyse.kernels.columns import read_p, read_printed
    from reanalyse.kernels.cutoffs import parse_cutoff
    from reanalyse.kernels.printed import PrintedNumberError, parse_number, parse_p

    column = read_printed(texts)
    read_p(texts)
    for i, text in enumerate(texts):
        try:
            number = parse_number(text)
            number.interval("nearest")
            number.interval("truncate")
        except PrintedNumberError:
            number = None
        if number is not None and number.text and abs(number.scaled) < 10**18 \
                and 0 <= number.decimals <= 18:
            if not (column.valid[i] and column.scaled[i] == number.scaled
                    and column.decimals[i] == number.decimals):
                raise AssertionError(f"read_printed reads {text!r} otherwise than parse_number")
        elif number is None and column.valid[i]:
            raise AssertionError(f"read_printed accepts {text!r}, which parse_number refuses")
        try:
            parse_p(text).interval(0.05, "nearest")
        except PrintedNumberError:
            pass
        for relation in (">= ", "< "):
            try:
                parse_cutoff(relation + text)
            except (PrintedNumberError, ValueError):
                pass


# --- study and analysis files --------------------------------------------------------------

def _study_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").glob("*.yaml"))]
    texts += [path.read_text(encoding="utf-8")
              for path in sorted((ROOT / "tests" / "studies").glob("*.yaml"))]
    return texts


_STUDIES: list = []


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, path + (index,))
    else:
        yield path


def _get(node, path):
    for key in path:
        node = node[key]
    return node


def _nearby(rng: random.Random, value):
    """A number near ``value`` as a paper might print it: a digit changed, scaled, rounded."""
    roll = rng.random()
    if isinstance(value, int):
        return max(0, value + rng.choice([-2, -1, 1, 2, value, -value // 2]))
    if roll < 0.4:
        return f"{value * rng.choice([0.5, 0.9, 1.1, 2, 10]):.{rng.choice([0, 1, 2, 3])}f}"
    if roll < 0.7:
        return f"{value:.{rng.choice([0, 1, 2, 3, 4])}f}"
    return f"{value + rng.choice([-1, -0.1, 0.01, 0.1, 1]):.2f}"


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


_EXTRA_KEYS = {"alpha": ["0.999", "1e-300", "0.5", "1e-10", "0", "1", "nan", "0.05"],
               "scale": [{"min": 0, "max": 1000, "items": 10}, {"min": 0, "max": 30, "items": 1},
                         {"min": 30, "max": 0}, {"min": 0, "max": 1e99, "items": 1}],
               "cutoff": [">= 13", "> 12", ">= 1e309", "<= -5", ">= 13 points"],
               "significant": [True, False, "yes", None],
               "sd": ["0", "1e99", "1e-300", "1e-99", "-2", "32.5"],
               "se": ["3.43", "0", "1e-300"],
               "percent": ["0e309", "100", "101", "33.3", "7,61", "0.001"],
               "events": [0, 1, 10**9, -1, "5"],
               "n": [1, 2, 10**8, 10**9, 0, "20"]}


def study_text(rng: random.Random) -> tuple[str, str]:
    """A study file's text (from the project's own study files, changed) and its stem."""
    if not _STUDIES:  # each source parsed once; libyaml keeps the generator cheap
        _STUDIES.extend((text, yaml.load(text, Loader=_YAML_LOADER)) for text in _study_texts())
    text, data = rng.choice(_STUDIES)
    stem = data.get("id", "study") if isinstance(data, dict) else "study"
    roll = rng.random()
    if roll < 0.6:  # change values in the parsed structure and write it back
        data = copy.deepcopy(data)
        leaves = list(_leaves(data))
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            path = rng.choice(leaves)
            key = path[-1]
            old = _get(data, path)
            if isinstance(old, (int, float)) and not isinstance(old, bool) \
                    and rng.random() < 0.5:
                value = _nearby(rng, old)  # a plausible slip: the file mostly still loads
            elif key in _EXTRA_KEYS and rng.random() < 0.5:
                value = rng.choice(_EXTRA_KEYS[key])
            elif rng.random() < 0.7:
                value = printed_number(rng)
            else:
                value = rng.choice([None, [], {}, True, "x" * 300, "a\nb", "nl\n", 10**30,
                                    -1, 0.1, "=HYPERLINK(\"http://x\")"])
            try:
                _set(data, path, value)
            except (KeyError, IndexError, TypeError):
                pass
        if rng.random() < 0.2 and isinstance(data, dict):
            key = rng.choice(list(_EXTRA_KEYS))
            data[key] = rng.choice(_EXTRA_KEYS[key])
        return yaml.dump(data, Dumper=_YAML_DUMPER, allow_unicode=True,
                         sort_keys=False), stem
    lines = text.splitlines(keepends=True)
    for _ in range(rng.choice([1, 2, 4])):  # change the text line by line
        i = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.3:
            del lines[i]
        elif action < 0.5:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif action < 0.9 and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {printed_number(rng)!r}\n" if rng.random() < 0.5 \
                else f"{head}: {printed_number(rng)}\n"
        else:
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)] + rng.choice(
                ["[", "{", "&a", "*a", "!!python/object:os.system", "\t", "\x00", "\u2028",
                 "? ", "- ", "'", '"']) + "\n"
    if rng.random() < 0.02:  # a long list, refused early by count
        lines.append("notes: [" + "1, " * rng.choice([1000, 50_000]) + "1]\n")
    return "".join(lines), stem


_GOOD_ANALYSIS = """\
study: {study}
notebook: {notebook}
options:
  rounding: nearest
  alpha: 0.05
expected:
  lower-score: reproduced
parameters:
  points: 5
"""


def analysis_text(rng: random.Random) -> str:
    """An analysis file's text, changed line by line."""
    lines = _GOOD_ANALYSIS.splitlines(keepends=True)
    for _ in range(rng.choice([1, 2, 3])):
        i = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.2:
            del lines[i]
            if not lines:
                lines = ["study: x\n"]
        elif action < 0.7 and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            value = rng.choice([printed_number(rng), "../" * rng.randrange(1, 40) + "etc/passwd",
                                "/etc/passwd", "nl\n.yaml", "x" * 5000, "'a\\nb'", "[1, 2]",
                                "{a: 1}", "null", "sideways", "1e-300"])
            lines[i] = f"{head}: {value}\n"
        else:
            lines.insert(i, rng.choice(["alpha: 2\n", "  defensible: [welch_t]\n",
                                        "  boschloo: always\n", "unknown: 1\n",
                                        "  lower-score\n: x\n", "expected: {a: b}\n"]))
    return "".join(lines)


def run_check(path: Path) -> None:
    """``check_file`` on a study file."""
    from reanalyse.claims.assess import check_file

    check_file(path).to_dict()


def run_analysis(path: Path) -> None:
    """An analysis file loaded as ``reanalyse run`` loads it, and its study checked with its
    options (what the notebook does first)."""
    from reanalyse.claims.assess import check_file
    from reanalyse.model.analysis import load_analysis
    from reanalyse.runner.batch import _check_inside

    analysis = load_analysis(path)
    _check_inside(analysis, analysis.root)
    check_file(analysis.study, analysis.options).to_dict()


# --- screens ------------------------------------------------------------------------------

def screen_table(rng: random.Random) -> tuple[str, pd.DataFrame]:
    """A table for one check: its columns, with cells from :func:`printed_number` or plausible
    ones."""
    from reanalyse.screens.tables import CHECK_COLUMNS

    check = rng.choice(list(CHECK_COLUMNS) + ["debit"])
    columns = list(CHECK_COLUMNS.get(check, ("mean", "sd", "n")))
    if rng.random() < 0.3:
        columns += rng.sample(["items", "one_sided", "df1", "df2", "group", "direction",
                               "count", "percent", "reported_p", "statistic"], 2)
    plausible = {"n": ["20", "28", "100", "2"], "mean": ["5.19", "3.5", "12.10"],
                 "sd": ["1.2", "2.10", "0.5"], "p": [".04", "< .05", "ns", ".000"],
                 "statistic": ["t", "F", "chi2", "r", "z", "Q", "x"], "value": ["2.20", "1"],
                 "df1": ["28", "1", ""], "df2": ["40", ""], "scale_min": ["0", "1"],
                 "scale_max": ["30", "63", "7"], "cutoff": ["13", "10"],
                 "percent": ["45.0", "33.3"], "items": ["1", "3", ""],
                 "trial": ["a", "b"], "variable": ["age", "bmi"]}
    rows = rng.choice([1, 2, 3, 10, 50])
    table = {}
    for column in columns:
        cells = []
        for _ in range(rows):
            if rng.random() < 0.6:
                cells.append(rng.choice(plausible.get(column, ["1"])))
            else:
                cells.append(printed_number(rng))
        table[column] = cells
    return check, pd.DataFrame(table, dtype=object)


def run_screen(check: str, table: pd.DataFrame) -> None:
    """The check on the table, and the result written as CSV, JSON and HTML."""
    from reanalyse.screens import screen, write_result

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = screen(table, check=check)
    for fmt in ("csv", "json", "html"):
        write_result(result, check, fmt, io.StringIO())


def table_file(rng: random.Random, folder: Path) -> Path:
    """A CSV or Excel file for ``read_table``, sometimes malformed."""
    roll = rng.random()
    if roll < 0.1:
        path = folder / "table.xlsx"
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "mean", "n", "5.19", 28
        if rng.random() < 0.5:
            sheet[rng.choice(["XFD1048576", "A1048576", "ZZ100", "C3"])] = 1
        book.save(path)
        return path
    path = folder / "table.csv"
    if roll < 0.2:
        path.write_bytes(rng.choice([b"", b"\n", b"\x00\x00", b"mean\n", b",,,\n",
                                     b"mean," * 30_000 + b"\n1\n", b"\xff\xfe\x00",
                                     b'"mean\n', b"mean;n\n5,19;28\n"]))
        return path
    check, table = screen_table(rng)
    table.to_csv(path, index=False)
    return path


# --- articles -----------------------------------------------------------------------------

_RESULTS = ["t(28) = 2.20, p = .06", "F(2, 87) = 3.1, p < .05", "χ2(1, N = 120) = 4.48, p = .034",
            "r(58) = .31, p = .02", "z = 2.1, p = .04", "t(40) = 6.1, p = 1.1e-06",
            "p = 2.3 × 10⁻⁵", "F(1, 4000) = 1,234.56, p < .001", "Q(9) = 12.3, p = .20",
            "t = 2.5, p < .05", "F(I, 40) = 2.0, p = .16", "one-tailed", "directional"]
_JUNK = ["t", "(", ")", "1", "11111", ",", " ", "=", "p", ".", "\n", "-", "−", "χ", "²", "F",
         "x 10^", "e-", "ns", "ﬁ", "\u00ad", "\u200b", "\f", "< ", "I", "l", "-\n"]


def article_text(rng: random.Random) -> str:
    """Text with APA results, junk, and long runs of the characters the patterns look at."""
    parts = []
    for _ in range(rng.randrange(1, 12)):
        roll = rng.random()
        if roll < 0.4:
            result = rng.choice(_RESULTS)
            if rng.random() < 0.5:  # one character changed
                i = rng.randrange(len(result))
                result = result[:i] + rng.choice(_JUNK) + result[i + 1:]
            parts.append(result)
        elif roll < 0.8:
            parts.append("".join(rng.choice(_JUNK) for _ in range(rng.randrange(1, 30))))
        else:
            unit = rng.choice(["1", " ", "t(", "t = ", "F(", "111,", "-\n", ". ", "\n",
                               "χ", "p = ", "one-sided ", "(", "e"])
            parts.append(unit * rng.choice([10, 100, 2000]))
    return " ".join(parts)


def run_text(text: str) -> None:
    from reanalyse.screens.extract import screen_text

    screen_text(text, source="fuzz")


_TAGS = ["<p>", "</p>", "<br>", "<br/>", "<sup>", "</sup>", "<script>", "</script>", "<style>",
         "<head>", "</head>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml?>", "<!DOCTYPE html>",
         "</", "<", ">", "<a b='", "'>", "&#", "&#x", "&amp;", "&lt;", "&#8722;", "&", "<svg/>",
         "<td>", "<math>", "</math>"]


def article_html(rng: random.Random) -> bytes:
    """HTML with APA results among tags, unclosed markup and character references."""
    parts = []
    for _ in range(rng.randrange(1, 20)):
        roll = rng.random()
        if roll < 0.5:
            parts.append(rng.choice(_TAGS))
        elif roll < 0.8:
            parts.append(rng.choice(_RESULTS))
        elif roll < 0.9:
            parts.append(rng.choice(["&#", "&#x", "</", "<a", "<!--", "<a b='", "<?", "<!"])
                         * rng.choice([10, 1000, 20_000]))
        else:
            parts.append("&#" + "9" * rng.choice([8, 100, 5000]) + ";")
    return "".join(parts).encode("utf-8")


def run_html(data: bytes) -> None:
    from reanalyse.screens.articles import UnreadableArticle, _html_text
    from reanalyse.screens.extract import screen_text

    try:
        screen_text(_html_text(data), source="fuzz")
    except UnreadableArticle:
        pass


def _pdf(content: bytes, pages: int = 1) -> bytes:
    """A small PDF whose pages show ``content`` (a content stream), compressed."""
    stream = zlib.compress(content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
               + b"] /Count %d >>" % pages,
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
                       b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1"
                       b" /BaseFont /Helvetica >> >> >> >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def article_pdf(rng: random.Random) -> bytes:
    """A PDF with text operators (sometimes very many), sometimes corrupted."""
    lines = [b"BT /F1 10 Tf 72 720 Td"]
    for _ in range(rng.randrange(1, 10)):
        text = rng.choice(_RESULTS).encode("latin-1", "replace")
        lines.append(b"(" + text.replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj 0 -12 Td")
    if rng.random() < 0.05:
        lines.append(b"(x) Tj " * rng.choice([1000, 20_000, 80_000]))
    lines.append(b"ET")
    data = _pdf(b"\n".join(lines), pages=rng.choice([1, 1, 2, 5]))
    if rng.random() < 0.3:  # corrupt a few bytes
        data = bytearray(data)
        for _ in range(rng.randrange(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = bytes(data)
    return data


def run_pdf(data: bytes) -> None:
    from reanalyse.screens.articles import ReadLimits, UnreadableArticle, _pdf_text
    from reanalyse.screens.extract import screen_text

    try:
        screen_text(_pdf_text(data, ReadLimits()), source="fuzz", paged=True)
    except UnreadableArticle:
        pass
