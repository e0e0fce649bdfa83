"""Errors of the release step; the CLI maps each one to an exit code."""


class ReleaseError(Exception):
    """The release could not be built; the message says what to fix."""


class MarkerError(ReleaseError):
    """A solution or hidden-test marker is misplaced (nested, unterminated, unbalanced, outside a function).

    `path` and `line` (1-based) point at the offending marker.
    """

    def __init__(self, path, line, problem):
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}:{line}: {problem}")


class StubCompileError(ReleaseError):
    """The stripped (student) version of a file does not compile."""


class LeakError(ReleaseError):
    """The leak scan found solution material in the release; `leaks` lists every finding."""

    def __init__(self, release_dir, leaks):
        self.release_dir = release_dir
        self.leaks = leaks
        lines = [f"{len(leaks)} leak(s) in the release at {release_dir}:"]
        lines += [f"  {leak}" for leak in leaks]
        super().__init__("\n".join(lines))
