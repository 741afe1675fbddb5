"""Rating scales a trial names, with their range and conventional cut-offs, each cited.

A draft gives an outcome measured on a scale in this table its ``scale`` (``min``, ``max``,
``items: 1``: every total below is a sum of integer item scores, so a total is a whole number)
and its conventional cut-offs as ``cutoff_candidates``, marked for checking: the trial's own
cut-off, when it prints one, is what counts.  Each entry cites where its range and cut-offs
are stated.

>>> [scale.name for scale in find_scales("assessed with the Edinburgh Postnatal Depression Scale")]
['EPDS']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KnownScale", "SCALES", "find_scales"]


@dataclass(frozen=True)
class KnownScale:
    """One rating scale.

    Attributes
    ----------
    name : str
        The abbreviation papers use (``EPDS``).
    title : str
        The full name.
    min, max : int
        The range of the total score.
    items : int
        How many items are summed.
    cutoffs : tuple of str
        Conventional cut-offs, in the study file's form (``">= 13"``).
    citation : str
        Where the range and the cut-offs are stated.
    patterns : tuple of str
        Regular expressions (case-insensitive unless upper-case only) naming the scale in text.
    """

    name: str
    title: str
    min: int
    max: int
    items: int
    cutoffs: tuple[str, ...]
    citation: str
    patterns: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "min": self.min, "max": self.max,
                "items": self.items, "cutoffs": list(self.cutoffs), "citation": self.citation}


SCALES = (
    KnownScale("EPDS", "Edinburgh Postnatal Depression Scale", 0, 30, 10, (">= 10", ">= 13"),
               "Cox JL, Holden JM, Sagovsky R. Detection of postnatal depression: development of "
               "the 10-item Edinburgh Postnatal Depression Scale. Br J Psychiatry "
               "1987;150:782-786 (10 items scored 0-3; 12/13 for probable depression, 9/10 for "
               "possible depression)",
               (r"\bEPDS\b", r"(?i:edinburgh\s+(?:(?:postnatal|postpartum|perinatal)\s+)?depression)")),
    KnownScale("PHQ-9", "Patient Health Questionnaire-9", 0, 27, 9,
               (">= 5", ">= 10", ">= 15", ">= 20"),
               "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
               "severity measure. J Gen Intern Med 2001;16(9):606-613 (9 items scored 0-3; 5, 10, "
               "15 and 20 for mild, moderate, moderately severe and severe depression)",
               (r"\bPHQ-?9\b", r"(?i:patient\s+health\s+questionnaire)")),
    KnownScale("BDI-II", "Beck Depression Inventory-II", 0, 63, 21, (">= 14", ">= 20", ">= 29"),
               "Beck AT, Steer RA, Brown GK. Manual for the Beck Depression Inventory-II. San "
               "Antonio, TX: Psychological Corporation; 1996 (21 items scored 0-3; 14-19 mild, "
               "20-28 moderate, 29-63 severe)",
               (r"\bBDI-?II\b", r"(?i:beck'?s?\s+depression\s+inventory[- ]+(?:II|2)\b)")),
    KnownScale("BDI", "Beck Depression Inventory", 0, 63, 21, (">= 10", ">= 19", ">= 30"),
               "Beck AT, Steer RA, Garbin MG. Psychometric properties of the Beck Depression "
               "Inventory: twenty-five years of evaluation. Clin Psychol Rev 1988;8(1):77-100 "
               "(21 items scored 0-3; 10-18 mild to moderate, 19-29 moderate to severe, 30-63 "
               "severe)",
               (r"\bBDI\b(?!-?II)", r"(?i:beck'?s?\s+depression\s+inventory(?![- ]*(?:II|2)\b))",
                r"(?i:beck'?s?\s+depression(?!\s+inventory))")),
    KnownScale("HADS", "Hospital Anxiety and Depression Scale (each subscale)", 0, 21, 7,
               (">= 8", ">= 11"),
               "Zigmond AS, Snaith RP. The Hospital Anxiety and Depression Scale. Acta Psychiatr "
               "Scand 1983;67(6):361-370 (7 items per subscale scored 0-3; 8-10 doubtful, 11 or "
               "more definite cases)",
               (r"\bHADS\b", r"(?i:hospital\s+anxiety\s+and\s+depression\s+scale)")),
    KnownScale("GAD-7", "Generalized Anxiety Disorder 7-item scale", 0, 21, 7,
               (">= 5", ">= 10", ">= 15"),
               "Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing "
               "generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097 "
               "(7 items scored 0-3; 5, 10 and 15 for mild, moderate and severe anxiety)",
               (r"\bGAD-?7\b", r"(?i:generali[sz]ed\s+anxiety\s+disorder\s*(?:-\s*)?7)")),
    KnownScale("CES-D", "Center for Epidemiologic Studies Depression Scale", 0, 60, 20, (">= 16",),
               "Radloff LS. The CES-D Scale: a self-report depression scale for research in the "
               "general population. Appl Psychol Meas 1977;1(3):385-401 (20 items scored 0-3; "
               "16 or more for depressive symptoms)",
               (r"\bCES-?D\b", r"(?i:cent(?:er|re)\s+for\s+epidemiologic(?:al)?\s+studies)")),
    KnownScale("K10", "Kessler Psychological Distress Scale", 10, 50, 10, (">= 16", ">= 22", ">= 30"),
               "Kessler RC, et al. Short screening scales to monitor population prevalences and "
               "trends in non-specific psychological distress. Psychol Med 2002;32(6):959-976 "
               "(10 items scored 1-5); bands 16-21, 22-29 and 30-50 from Andrews G, Slade T. Aust "
               "N Z J Public Health 2001;25(6):494-497",
               (r"\bK-?10\b", r"(?i:kessler\s+psychological\s+distress)")),
    KnownScale("STAI", "State-Trait Anxiety Inventory (state or trait form)", 20, 80, 20, (">= 40",),
               "Spielberger CD, Gorsuch RL, Lushene R, Vagg PR, Jacobs GA. Manual for the "
               "State-Trait Anxiety Inventory. Palo Alto, CA: Consulting Psychologists Press; "
               "1983 (20 items per form scored 1-4); a cut-off of 39-40 for clinically "
               "significant anxiety in Julian LJ. Arthritis Care Res 2011;63(S11):S467-S472",
               (r"\bSTAI\b", r"(?i:state[- ]trait\s+anxiety)", r"(?i:spiel\s*berger)")),
    KnownScale("BAI", "Beck Anxiety Inventory", 0, 63, 21, (),
               "Beck AT, Epstein N, Brown G, Steer RA. An inventory for measuring clinical "
               "anxiety: psychometric properties. J Consult Clin Psychol 1988;56(6):893-897 "
               "(21 items scored 0-3)",
               (r"\bBAI\b", r"(?i:beck'?s?\s+anxiety)")),
    KnownScale("MADRS", "Montgomery-Asberg Depression Rating Scale", 0, 60, 10, (),
               "Montgomery SA, Asberg M. A new depression scale designed to be sensitive to "
               "change. Br J Psychiatry 1979;134:382-389 (10 items scored 0-6)",
               (r"\bMADRS\b", r"(?i:montgomery[- ]+[aå]sberg)")),
    KnownScale("HAM-D", "Hamilton Rating Scale for Depression (17 items)", 0, 52, 17, (),
               "Hamilton M. A rating scale for depression. J Neurol Neurosurg Psychiatry "
               "1960;23:56-62 (17 items scored 0-2 or 0-4)",
               (r"\bHAM-?D(?:17)?\b", r"\bHRSD\b", r"(?i:hamilton\s+(?:rating\s+scale\s+for\s+)?depression)")),
    KnownScale("PSS-10", "Perceived Stress Scale (10 items)", 0, 40, 10, (),
               "Cohen S, Kamarck T, Mermelstein R. A global measure of perceived stress. J Health "
               "Soc Behav 1983;24(4):385-396 (items scored 0-4)",
               (r"\bPSS-?10\b",)),
)

_COMPILED = tuple((scale, tuple(re.compile(p) for p in scale.patterns)) for scale in SCALES)


def find_scales(text: str) -> list[KnownScale]:
    """The scales ``text`` names, in the order of their first mention."""
    found = []
    for scale, patterns in _COMPILED:
        starts = [m.start() for pattern in patterns for m in [pattern.search(text)] if m]
        if starts:
            found.append((min(starts), scale))
    return [scale for _, scale in sorted(found, key=lambda item: item[0])]
