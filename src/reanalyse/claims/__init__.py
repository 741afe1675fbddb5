"""One verdict per claim, from the rebuilt tests, the sensitivity analyses and the granularity
kernels."""
