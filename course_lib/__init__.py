"""Reference course library: neural-network layers, models, optimizers and training in plain numpy.

Public API follows CS231n Assignment 2 (module and function names, signatures, cache and config
conventions). Solution regions are marked with nbgrader's solution markers;
`python -m autograde release` turns them into stubs for the student copy.
"""
