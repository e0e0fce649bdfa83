"""The one adapter between this project and nbgrader: every call into nbgrader goes through this package.

- `layout`: where an nbgrader course keeps its files (`CourseLayout`), the assignment and course ids;
- `config`: the text of a course's `nbgrader_config.py` (the release's course and the grading course);
- `process`: how nbgrader runs (its environment, a subprocess, a converter in this process, generate_assignment,
  generate_feedback), the slow optional import every nbgrader process skips, and `NbgraderError`;
- `gradebook`: the gradebook database (schema, scores, manual grades, recorded cells).

The grader (`autograde.grade`), the release (`autograde.release`) and the benchmark (`bench.grading`) all use it.
"""
