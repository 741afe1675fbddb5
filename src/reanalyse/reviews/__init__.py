"""A review's printed pooled lines, rebuilt from its studies' printed numbers and judged.

:func:`check_review` reads a review file (:mod:`reanalyse.model.review`), checks the study
files it includes, rebuilds each pooled line by every defensible estimator over the rounding
box (:mod:`reanalyse.reviews.pooling`) and gives each a verdict
(:mod:`reanalyse.reviews.verdicts`).
"""

from reanalyse.reviews.check import (EstimatorResult, PoolCheck, ReviewCheck, StudyInPool,
                                     check_pool, check_review)

__all__ = ["check_review", "check_pool", "ReviewCheck", "PoolCheck", "EstimatorResult",
           "StudyInPool"]
