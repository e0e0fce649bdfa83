"""The graded checks: the registry (`spec`), how outputs are judged (`compare`) and probes run (`run`), the public
checks that ship to students (`public/`), the hidden ones that stay with the instructor (`hidden/`), and the
generator of the stored expected values and task points (`python -m autograde expected`, module `generate`).
docs/checks.md says what is graded and how."""
