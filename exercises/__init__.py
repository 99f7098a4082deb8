"""Exercises of the optimisation-dynamics course: fill in the functions.

Each module is one exercise. Read its module docstring first: it teaches the
mathematics and says which part of the course notes it comes from. Every
function states its exact contract (shapes, dtypes, what happens at the
boundaries); replace each ``raise NotImplementedError`` with your code and run
``autograder check <exercise>`` to see how you are doing.
"""
