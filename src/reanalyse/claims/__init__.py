"""One verdict per claim: :mod:`~reanalyse.claims.assess` rebuilds a claim's tests, reads its
sensitivity analyses and the granularity kernels, and decides its verdict by the rules of
:mod:`~reanalyse.claims.verdicts`; :mod:`~reanalyse.claims.labels` holds the words a reader
sees for each verdict."""
