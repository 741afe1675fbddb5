"""Generated two-arm studies in which fewer were analysed than randomised, for the attrition
bounds: arms with numbers randomised and analysed (sometimes equal, more analysed than
randomised, or missing), counts or percentages, means with SDs, SEs or CIs (sometimes missing),
a scale or none, a derived binary outcome, claims with and without a printed test.

Each study goes through ``check_file`` (so through ``claim_sensitivity`` and the attrition
analysis of each claim), and its result through ``to_dict``.
"""

from __future__ import annotations

import random

import yaml

import generators


def _maybe(rng: random.Random, value, missing=0.04):
    """``value``, or (now and then) nothing, a printed number of any shape, or a wrong type."""
    roll = rng.random()
    if roll < missing:
        return None
    if roll < missing + 0.05:
        return generators.printed_number(rng)
    if roll < missing + 0.07:
        return rng.choice([[], {}, True, "x", -1, 0, 1e300, 10**12])
    return value


def _continuous_arm(rng, n, low, high):
    mean = round(rng.uniform(low, high), rng.choice([0, 1, 2]))
    sd = round(rng.uniform(0.01, (high - low) / 2 + 1), rng.choice([1, 2]))
    arm = {"n": _maybe(rng, n, missing=0.05), "mean": _maybe(rng, mean)}
    spread = rng.random()
    if spread < 0.6:
        arm["sd"] = _maybe(rng, sd)
    elif spread < 0.8:
        arm["se"] = _maybe(rng, round(sd / max(n, 1) ** 0.5, 3))
    else:
        half = 1.96 * sd / max(n, 1) ** 0.5
        arm["ci"] = _maybe(rng, [round(mean - half, 2), round(mean + half, 2)])
    return arm


def _binary_arm(rng, n):
    events = rng.randint(0, max(n, 0))
    roll = rng.random()
    if roll < 0.5:
        return {"n": _maybe(rng, n, missing=0.05), "events": _maybe(rng, events)}
    percent = round(100 * events / n, rng.choice([0, 1, 2])) if n else 0
    arm = {"n": n, "percent": _maybe(rng, percent)}
    if roll < 0.6:
        arm["events"] = _maybe(rng, events)
    return arm


def attrition_study(rng: random.Random) -> str:
    """A study file's text: two randomised arms, a continuous and a binary outcome, claims."""
    arms, sizes = [], []
    for arm_id in ("treat", "control"):
        randomised = rng.choice([2, 3, 5, 10, 20, 45, 90, 300, 5000, 10**6])
        lost = rng.choice([0, 0, 1, 2, 5, randomised // 3, randomised - 2, -1])
        analysed = max(0 if rng.random() < 0.02 else 2, randomised - lost)
        sizes.append(analysed)
        arms.append({"id": arm_id, "label": arm_id.title(),
                     "randomised": _maybe(rng, randomised, missing=0.05)})
    low, high = rng.choice([(0, 30), (0, 63), (1, 7), (0, 1), (0, 100), (-10, 10)])
    scale = rng.choice([None, {"min": low, "max": high},
                        {"min": low, "max": high, "items": rng.choice([1, 3, 10])}])
    continuous = {"id": "score", "label": "Score", "type": "continuous",
                  "arms": {arm["id"]: _continuous_arm(rng, n, low, high)
                           for arm, n in zip(arms, sizes)}}
    if scale is not None:
        continuous["scale"] = scale
    binary = {"id": "cases", "label": "Cases", "type": "binary",
              "arms": {arm["id"]: _binary_arm(rng, n) for arm, n in zip(arms, sizes)}}
    if rng.random() < 0.4:
        binary.update(derived_from="score", cutoff=rng.choice([">= 13", "> 5", "<= 2", ">= 0.5"]))
    claims = []
    for outcome in ("score", "cases"):
        claim = {"id": f"{outcome}-claim", "outcome": outcome,
                 "significant": rng.choice([True, False])}
        if rng.random() < 0.7:
            test = rng.choice(["t", "welch_t", "fisher_exact", "chi2", "yates_chi2", "z_pooled",
                               "mann_whitney", None])
            claim["reported"] = {key: value for key, value in (
                ("test", test), ("p", rng.choice(["< .05", ".03", ".20", "< .001", "ns"])))
                if value is not None}
        if rng.random() < 0.2:
            claim["alternative"] = rng.choice(["less", "greater", "two-sided"])
        if rng.random() < 0.1:
            claim["alpha"] = rng.choice([0.01, 0.1, 1e-10, 0.5])
        claims.append(claim)
    study = {"id": "synthetic-attrition", "citation": "Generated input (no real trial)",
             "arms": arms, "outcomes": [continuous, binary], "claims": claims}
    return yaml.dump(study, Dumper=generators._YAML_DUMPER, sort_keys=False)
