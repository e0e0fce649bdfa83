"""The markers of instructor-only regions, one definition for the library, the notebooks, the release and the grader.

nbgrader's own markers serve both: solution regions (replaced by a stub in the student copy) and hidden-test
regions of test cells (removed from the release, restored by nbgrader at grading time).
"""
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


def hidden_lines(source):
    """1-based line numbers of `source` inside (and on) hidden-test markers."""
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if HIDDEN_BEGIN in line:
            inside = True
        if inside:
            lines.add(number)
        if HIDDEN_END in line:
            inside = False
    return lines


def has_hidden_tests(source):
    return HIDDEN_BEGIN in source
