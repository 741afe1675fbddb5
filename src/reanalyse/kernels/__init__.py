"""Array and exact-arithmetic kernels that the checks and the screens share."""
