"""Arms, time points, claims, cut-offs and scales read from sentences (expected values are the
sentences' own words and numbers, read by eye)."""

import pytest

import reanalyse as ra
from reanalyse.drafting.arms import counts_in, find_arms
from reanalyse.drafting.claims import find_claims
from reanalyse.drafting.context import first_time, time_of
from reanalyse.drafting.scales import SCALES, find_scales
from reanalyse.drafting.text import sentences


def arms_of(text):
    return [(arm.label, arm.randomised, arm.analysed) for arm in find_arms(sentences(text))]


@pytest.mark.parametrize("text, expected", [
    ("60 mothers were randomly assigned to infant massage (n = 30) or routine care (n = 30).",
     [("Infant massage", 30, None), ("Routine care", 30, None)]),
    ("Women were randomised to the intervention (n=90) or the control group (n=90).",
     [("Intervention", 90, None), ("Control", 90, None)]),
    ("Of 771 women randomised, 257 in the intervention group, and 514 in the control group.",
     [("Intervention", 257, None), ("Control", 514, None)]),
    ("36 were randomised: 18 to the intervention and 18 to usual care.",
     [("Intervention", 18, None), ("Usual care", 18, None)]),
    ("366 women were randomly assigned into control (244 subjects) and intervention (122 subjects) groups.",
     [("Intervention", 122, None), ("Control", 244, None)]),
    ("We randomly assigned 54 mothers (n=27 per group) to the intervention and control groups.",
     [("Intervention", 27, None), ("Control", 27, None)]),
    ("Participants were randomly assigned to a computer program (intervention, n=23) or printed "
     "materials (control, n=23).", [("Intervention", 23, None), ("Control", 23, None)]),
    ("The intervention group (n = 12) received training. The control group (n = 12) received care.",
     [("Intervention", 12, None), ("Control", 12, None)]),
])
def test_arms_and_their_sizes(text, expected):
    assert arms_of(text) == expected


def test_randomised_and_analysed_numbers_are_kept_apart():
    text = ("Mothers were randomised to massage (n = 64) or control (n = 71). At 8 weeks, 60 in the "
            "massage group and 66 in the control group completed the follow-up.")
    assert arms_of(text) == [("Massage", 64, 60), ("Control", 71, 66)]
    # analysed only, recognised by the number completing in the sentence before
    text = "Ninety-three mothers completed the study. Data of the massage group (n = 50) and the control group (n = 43)."
    assert arms_of(text) == [("Massage", None, 50), ("Control", None, 43)]
    assert {93, 50} <= counts_in("Ninety-three of 50")


@pytest.mark.parametrize("text, expected", [
    ("the pretest mean score", ("pre", True)), ("at baseline", ("pre", True)),
    ("In week 8 after delivery", ("week_8", False)), ("one month after the intervention", ("month_1", False)),
    ("after 6 weeks", ("week_6", False)), ("at follow-up", ("followup", False)),
    ("the posttest score", ("post", False)),
])
def test_time_points(text, expected):
    assert time_of(text, len(text)) == expected == first_time(text)


@pytest.mark.parametrize("sentence, significant, p", [
    ("Scores were significantly lower than in the control group (P < 0.001).", True, "< 0.001"),
    ("The groups did not significantly differ (P = 0.46).", False, "0.46"),
    ("There was no significant difference between the groups.", False, None),
    ("Pain was lower in the experimental group than the control group (p≤0.05).", True, "<= 0.05"),
    ("The massage group had significantly fewer complications than the control group.", True, None),
    # a p printed equal to alpha counts as significant, as statcheck and the claim check read it
    ("Anxiety was lower in the massage group than the control group (P = 0.05).", True, "0.05"),
    # "< 0.10" states no decision at 0.05: drafted as not significant
    ("Sleep was longer in the massage group than the control group (P < 0.10).", False, "< 0.10"),
])
def test_claims_read_their_significance_and_p(sentence, significant, p):
    (claim,) = find_claims(sentences(sentence), sentence)
    assert (claim.significant, claim.reported.get("p")) == (significant, p)


def test_a_claim_takes_its_statistic_df_and_estimate_as_printed():
    text = ("Depression was lower in the massage group than in the control group, t(58) = 2.20, "
            "p = .03; the adjusted odds ratio was 0.5 (95% CI 0.2 to 0.94), p = 0.003.")
    first, second = find_claims(sentences(text), text + " logistic regression")
    assert first.reported == {"test": "t", "statistic": "2.20", "df": "58", "p": ".03"}
    assert second.reported["estimate"] == {"measure": "OR", "value": "0.5", "ci": ["0.2", "0.94"],
                                           "adjusted": True}


def test_within_group_and_background_sentences_make_no_claim():
    text = ("Background: Massage has been found to have significant effects (P < 0.05). Results: "
            "Depression decreased significantly in the intervention group (P < 0.001). "
            "Conclusion: Massage is significantly better than usual care.")
    assert find_claims(sentences(text), text) == []


@pytest.mark.parametrize("phrase, cutoff", [
    ("Mothers with scores of 13 and above were considered depressed.", ">= 13"),
    ("Depression was defined as EPDS ≥ 13.", ">= 13"),
    ("Depression was defined as scores above 12.", "> 12"),
])
def test_cut_offs_as_printed(phrase, cutoff):
    text = ("Mothers were randomised to massage (n = 30) or usual care (n = 30). Depression was "
            "measured with the EPDS. " + phrase + " After 6 weeks, mean EPDS scores were "
            "7.75 ± 2.18 vs. 9.2 ± 2.04 and 10 (33%) vs. 16 (53%) mothers had depression.")
    study = ra.draft(text, "cutoff-1").study
    binary = [o for o in study.outcomes if o.type == "binary"][0]
    assert (binary.cutoff, binary.derived_from) == (cutoff, "epds_week_6")


def test_the_scale_table_gives_each_scale_its_range_and_a_citation():
    ranges = {scale.name: (scale.min, scale.max) for scale in SCALES}
    assert ranges["EPDS"] == (0, 30) and ranges["PHQ-9"] == (0, 27) and ranges["BDI-II"] == (0, 63)
    assert ranges["HADS"] == (0, 21) and ranges["GAD-7"] == (0, 21) and ranges["CES-D"] == (0, 60)
    assert ranges["K10"] == (10, 50)
    assert all(scale.citation and scale.items for scale in SCALES)
    found = find_scales("measured with the Beck Depression Inventory-II and the Patient Health "
                        "Questionnaire, then the BDI")
    assert [scale.name for scale in found] == ["BDI-II", "PHQ-9", "BDI"]


def test_arms_listed_without_sizes_and_abbreviations_that_name_an_arm():
    text = ("90 women were randomized into three groups: KC, music during KC, and a control group.")
    assert [label for label, _, _ in arms_of(text)] == ["KC", "Music during KC", "Control"]
    text = ("Mothers were allocated to intervention and control groups (30 per group). Kangaroo "
            "Mother Care (KMC) was run daily in the intervention group. The control group received "
            "conventional care (CMC). Scores rose in the KMC group (from 58.87±14.71 to 69.67±14.50) "
            "and fell in the CMC group (from 57.77±13.33 to 51.63±12.20).")
    study = ra.draft(text, "aliases").study
    means = {(o.id, arm): s.mean.text for o in study.outcomes for arm, s in o.arms.items() if s.mean}
    assert means == {("score_pre", "intervention"): "58.87", ("score_post", "intervention"): "69.67",
                     ("score_pre", "control"): "57.77", ("score_post", "control"): "51.63"}
    assert not study.claims          # each group against its own baseline: no comparison of arms
