"""Reference library of the optimisation-dynamics course (float64, instructor-only).

One module per exercise, with the same public names and signatures as the
student stubs in :mod:`exercises`. Each function's docstring carries the
mathematics, the seed it comes from and a runnable example.
"""
