"""What the library probe child can reach under bubblewrap: its own course_lib and the probe code (the check
registry and probes, whose modules share the library's file names), nothing else."""
from pathlib import Path

from library_submissions import HONEST_CHECK, REPO, make_submission

SNOOP = """
import glob, os, pathlib
found = []
for root in ("/tmp", "/sandbox", "/root", "/work", "/home"):
    found += glob.glob(root + "/**/hidden.npz", recursive=True) + glob.glob(root + "/**/public.npz", recursive=True)
    found += [path for path in glob.glob(root + "/**/affine.py", recursive=True)
              if not path.startswith(("/sandbox/library/", "/sandbox/probes/autograde/checks/"))]
for path in (REPO + "/course_lib/layers/affine.py", REPO + "/autograde/expected/hidden.npz", OUTSIDE):
    try:
        open(path, "rb").read(1)
        found.append(path)
    except OSError:
        pass
for path in ("/tmp/pwned", REPO + "/pwned"):
    try:
        pathlib.Path(path).write_text("pwned")
    except OSError:
        pass
try:
    import socket
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    found.append("network")
except OSError:
    pass
if found:
    raise RuntimeError("FOUND " + " ".join(found))
"""


def test_code_that_searches_the_disk_finds_nothing_and_writes_do_not_land(tmp_path, grade_library, bwrap):
    outside = tmp_path / "grading-output" / "gradebook.db"
    outside.parent.mkdir()
    outside.write_text("secret")
    student = make_submission(tmp_path, "snoop", append={
        "layers/affine.py": f"REPO = {str(REPO)!r}\nOUTSIDE = {str(outside)!r}\n" + SNOOP})
    graded = grade_library(student, HONEST_CHECK, timeout=20, hidden=(outside.parent,))
    assert graded[HONEST_CHECK].status == "pass", graded[HONEST_CHECK].message
    assert not Path("/tmp/pwned").exists()
    assert not (REPO / "pwned").exists()


def test_sandboxed_child_cannot_see_the_project_or_an_installed_course_lib(tmp_path, grade_library, bwrap):
    # The project's folder exists inside only where the interpreter's venv lies within it, holding the venv alone.
    probe = ("import os, sys\n"
             "seen = [p for p in ('course_lib', 'autograde', 'notebooks') if os.path.exists(os.path.join(REPO, p))]\n"
             "seen += [p for p in (os.listdir(REPO) if os.path.isdir(REPO) else []) if p != '.venv']\n"
             "seen += [p for p in sys.path if os.path.isfile(os.path.join(p, 'course_lib', '__init__.py'))\n"
             "         and not p.startswith('/sandbox/library')]\n"
             "seen += [p for p in sys.path if os.path.isdir(os.path.join(p, 'autograde', 'expected'))]\n"
             "assert not seen, seen\n")
    student = make_submission(tmp_path, "looker", append={"layers/affine.py": f"REPO = {str(REPO)!r}\n" + probe})
    graded = grade_library(student, HONEST_CHECK)
    assert graded[HONEST_CHECK].status == "pass", graded[HONEST_CHECK].message


def test_the_child_runs_as_an_unprivileged_user_without_network(tmp_path, grade_library, bwrap):
    probe = ("import os, socket\nassert os.getuid() == 65534, os.getuid()\n"
             "assert [name for _, name in socket.if_nameindex()] in ([], ['lo']), socket.if_nameindex()\n")
    student = make_submission(tmp_path, "whoami", append={"layers/affine.py": probe})
    graded = grade_library(student, HONEST_CHECK)
    assert graded[HONEST_CHECK].status == "pass", graded[HONEST_CHECK].message
