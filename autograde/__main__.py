"""`python -m autograde VERB ...`: one subpackage per verb, each with a `cli` module.

A verb's `cli` module provides `add_arguments(parser)` and `main(args) -> int`. Verbs are imported lazily, so
the student release (which ships only `check`) answers the other verbs with a clear message instead of a
traceback.
"""
import argparse
import importlib
import sys

VERBS = {
    "release": "build the student release from the reference library and the source notebooks",
    "check": "run the public checks against ./course_lib (in a student's release folder)",
    "grade": "autograde every submission in a folder (folders or .zip files, one per student)",
    "demo": "the whole instructor pipeline on sample submissions and the embedded dataset",
    "verify": "reference earns full marks, the untouched release earns zero, nothing leaks",
    "expected": "regenerate the stored expected values from the reference library",
    "export": "the class's grades for an LMS: a Canvas gradebook column, a plain CSV, nbgrader's export",
}

# The stored-values generator lives beside the check registry it runs.
MODULE_FOR_VERB = {"expected": "autograde.checks.generate"}


def _load_verb(verb):
    module_name = MODULE_FOR_VERB.get(verb, f"autograde.{verb}.cli")
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (error.name == module_name or module_name.startswith(error.name + ".")):
            return None
        raise


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="python -m autograde", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    subparsers.required = True
    # Only the verb asked for is imported (the instructor's verbs load nbgrader and numpy-heavy modules; a student
    # release has `check` alone): the others are listed by name and help text.
    chosen = argv[0] if argv and argv[0] in VERBS else None
    module = _load_verb(chosen) if chosen else None
    if chosen and module is None:
        print(f"'{chosen}' is not available here: this copy of autograde ships only "
              f"{', '.join(verb for verb in VERBS if _load_verb(verb) is not None) or 'no verbs'}. Ask your instructor.",
              file=sys.stderr)
        return 2
    for verb, help_text in VERBS.items():
        verb_parser = subparsers.add_parser(verb, help=help_text, description=help_text)
        if verb == chosen:
            module.add_arguments(verb_parser)
    args = parser.parse_args(argv)
    return module.main(args)


if __name__ == "__main__":
    sys.exit(main())
