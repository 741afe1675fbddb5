"""How robust is each claim: fragility, attrition, dichotomisation, baseline balance, and what
the sample allows.

The per-claim entry point is :func:`claim_sensitivity`; the analyses are pure functions of
printed numbers, each returning a frozen result with ``to_dict()`` and a one-sentence
``explanation``:

=====================================  ===================================================
:func:`fragility_index`                Walsh's fragility index (reverse for non-significant)
:func:`fragility_range`                ... over every count pair a percentage allows
:func:`attrition_bounds_binary`        best/worst-case imputation of missing participants
:func:`attrition_bounds_continuous`    missing at the scale's bounds or mean -/+ k SD
:func:`implied_proportion`             proportion beyond a cut-off implied by mean and SD
:func:`dichotomisation_coherence`      mean difference implied by printed proportions
:func:`baseline_balance`               Carlisle's Stouffer combination of baseline p-values
:func:`minimal_detectable`             smallest significant SMD and count difference, power
:func:`bayes_factor_t`                 JZS Bayes factor from a summary t
=====================================  ===================================================
"""

from reanalyse.sensitivity._common import NotComputed
from reanalyse.sensitivity.allowance import (Allowance, CountAllowance, minimal_detectable,
                                             power_t, smallest_count_difference,
                                             smallest_significant_smd, smd_for_power)
from reanalyse.sensitivity.attrition import (AttritionResult, AttritionScenario,
                                             attrition_bounds_binary,
                                             attrition_bounds_continuous)
from reanalyse.sensitivity.bayes_factor import BayesFactorResult, bayes_factor_t
from reanalyse.sensitivity.baseline import (BaselineBalance, BaselineVariable, baseline_balance,
                                            baseline_variable_continuous,
                                            baseline_variable_counts, baseline_variable_printed)
from reanalyse.sensitivity.claim import ANALYSES, ClaimSensitivity, claim_sensitivity
from reanalyse.kernels.cutoffs import Cutoff, parse_cutoff
from reanalyse.sensitivity.dichotomisation import (DichotomisationResult, ImpliedProportion,
                                                   dichotomisation_coherence, implied_proportion)
from reanalyse.sensitivity.fragility import (FragilityRange, FragilityResult, fragility_index,
                                             fragility_range)

__all__ = [
    "claim_sensitivity", "ClaimSensitivity", "ANALYSES", "NotComputed",
    "fragility_index", "fragility_range", "FragilityResult", "FragilityRange",
    "attrition_bounds_binary", "attrition_bounds_continuous", "AttritionResult",
    "AttritionScenario",
    "implied_proportion", "dichotomisation_coherence", "parse_cutoff", "Cutoff",
    "ImpliedProportion", "DichotomisationResult",
    "baseline_balance", "baseline_variable_continuous", "baseline_variable_counts",
    "baseline_variable_printed", "BaselineVariable", "BaselineBalance",
    "minimal_detectable", "smallest_significant_smd", "power_t", "smd_for_power",
    "smallest_count_difference", "bayes_factor_t", "Allowance", "CountAllowance",
    "BayesFactorResult",
]
