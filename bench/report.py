"""The class report and the similarity search at class sizes: bytes, seconds, and the page in a real browser.

    python -m bench.report [--sizes 30 100 300] [--similarity-students 300] [--out bench-out/report] [--no-browser]

1. For each size, synthetic results with realistic variety (`synthetic_results`: abilities and check
   difficulties from an item-response model, failures, errors and timeouts with messages, a few tampered checks,
   students who handed in nothing, answers pending manual grading, integrity signals and similar pairs), then
   `write_report`: the HTML's bytes and the seconds to write it.
2. In Debian's Chromium (through Playwright): the page's load time (navigation start to the load event), its
   scrollHeight, and the seconds a click on the "total" header takes to sort the student table; a full-page
   screenshot of the largest report goes to OUT/report-<size>.png.
3. `find_similar` on synthetic code (`synthetic_code`): every student's course_lib with each solved function
   in one of VARIANTS variants of the reference (so that many pairs share some code), a line or two of their own
   here and there, four notebooks, and a few planted copies; the seconds, and which pairs it flagged.
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import time
from pathlib import Path

from autograde.grade import similarity
from autograde.grade.integrity import Signal, result_signals
from autograde.grade.report import write_report
from autograde.markers import HIDDEN_BEGIN, HIDDEN_END, SOLUTION_BEGIN, SOLUTION_END
from autograde.paths import PROJECT_ROOT
from autograde.release.strip import strip_source

DEFAULT_OUT = PROJECT_ROOT / "bench-out" / "report"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LIBRARY_TASKS = {
    "FullyConnectedNets": "layers.affine_forward layers.affine_backward layers.relu_forward layers.relu_backward "
                          "layers.svm_loss layers.softmax_loss fc_net.TwoLayerNet fc_net.FullyConnectedNet "
                          "optim.sgd_momentum optim.rmsprop optim.adam",
    "BatchNormalization": "layers.batchnorm_forward layers.batchnorm_backward layers.batchnorm_backward_alt "
                          "layers.layernorm_forward layers.layernorm_backward fc_net.FullyConnectedNet_normalization",
    "Dropout": "layers.dropout_forward layers.dropout_backward fc_net.FullyConnectedNet_dropout",
    "ConvolutionalNetworks": "layers.conv_forward_naive layers.conv_backward_naive layers.max_pool_forward_naive "
                             "layers.max_pool_backward_naive cnn.ThreeLayerConvNet layers.spatial_batchnorm_forward "
                             "layers.spatial_batchnorm_backward layers.spatial_groupnorm_forward "
                             "layers.spatial_groupnorm_backward",
}
CASES = [("notebook_case", 1.0, False), ("other_shape", 1.0, True), ("inputs_unmodified", 0.5, True),
         ("edge_case", 1.0, True)]
NOTEBOOK_CHECKS = {
    "nb.FullyConnectedNets.two_layer_solver": 2, "nb.FullyConnectedNets.overfit_three_layer": 2,
    "nb.FullyConnectedNets.overfit_five_layer": 2, "nb.FullyConnectedNets.best_model": 4,
    "nb.BatchNormalization.deep_net_with_batchnorm": 2, "nb.ConvolutionalNetworks.image_filters": 2,
    "nb.ConvolutionalNetworks.overfit_small_data": 2, "nb.ConvolutionalNetworks.trained_val_accuracy": 3,
}
MANUAL_ANSWERS = {
    "fc.activations.answer": ("FullyConnectedNets", 2), "fc.initial.loss.answer": ("FullyConnectedNets", 1),
    "fc.depth.answer": ("FullyConnectedNets", 2), "fc.adagrad.answer": ("FullyConnectedNets", 1),
    "bn.weight.scale.answer": ("BatchNormalization", 2), "bn.batch.size.answer": ("BatchNormalization", 2),
    "bn.preprocessing.answer": ("BatchNormalization", 1), "bn.layernorm.limits.answer": ("BatchNormalization", 2),
    "dropout.scaling.answer": ("Dropout", 1), "dropout.regularisation.answer": ("Dropout", 2),
    "dropout.width.answer": ("Dropout", 1), "conv.filters.answer": ("ConvolutionalNetworks", 1),
    "conv.parameters.answer": ("ConvolutionalNetworks", 2), "conv.groupnorm.answer": ("ConvolutionalNetworks", 2),
}
FAIL_MESSAGES = [
    "{id}: relative error {error:.2g} (max allowed 1e-07) at out[0, 2]: expected 0.1250, got -0.1250",
    "{id}: output shape (4, 7) but expected (4, 10); check how x is reshaped",
    "{id}: the gradient check failed for dx: relative error {error:.2g}",
    "{id}: the function modified its input x in place",
]
ERROR_MESSAGES = [
    "ValueError: shapes (4,30) and (20,7) not aligned: 30 (dim 1) != 20 (dim 0)",
    "IndexError: index 10 is out of bounds for axis 1 with size 10",
]
CRASH_MESSAGE = "crashed the interpreter (SIGSEGV, signal 11)"


def _sigmoid(value):
    return 1.0 / (1.0 + math.exp(-value))


def _check_list():
    """[(id, task, notebook, points, hidden)]: the library tasks' checks (public and hidden cases) and the
    notebook-only checks, shaped like the registry's."""
    checks = []
    for notebook, tasks in LIBRARY_TASKS.items():
        for task in tasks.split():
            for case, points, hidden in CASES:
                checks.append((f"{task}.{case}", task, notebook, points, hidden))
    checks += [(check_id, check_id, check_id.split(".")[1], points, False)
               for check_id, points in NOTEBOOK_CHECKS.items()]
    return checks


def synthetic_results(count, *, seed=0):
    """`count` student result dicts (see the module docstring), students `s0001`, `s0002`, ..."""
    rng = random.Random(seed)
    checks = _check_list()
    tasks = sorted({task for _, task, _, _, _ in checks})
    difficulty = {task: rng.gauss(-0.9, 1.0) for task in tasks}
    slope = {task: rng.uniform(0.6, 2.5) for task in tasks}
    slope[tasks[3]] = -0.8  # one check that weak students pass more often: the item analysis must show it
    results = []
    for number in range(1, count + 1):
        student = f"s{number:04d}"
        ability = rng.gauss(0.0, 1.0)
        handed_in = rng.random() > 0.03
        cheats = rng.random() < 0.01
        solved = {task: rng.random() < _sigmoid(slope[task] * (ability - difficulty[task])) for task in tasks}
        # An unsolved task is unfinished (its stub raises), loops (a few students) or partly right.
        unsolved = {task: rng.choices(("unfinished", "loops", "crashes", "partial"), (0.35, 0.005, 0.002, 0.643))[0]
                    for task in tasks}
        entries = []
        for check_id, task, notebook, points, hidden in checks:
            status, message = "pass", ""
            if not handed_in:
                status, message = "missing", "course_lib/layers/affine.py is missing from the submission"
            elif solved[task] and rng.random() < 0.97:
                pass
            elif not solved[task] and unsolved[task] == "unfinished":
                status, message = "error", f"NotImplementedError: {task}: implement this function"
            elif not solved[task] and unsolved[task] == "loops":
                status, message = "timeout", "took longer than 10 s (killed)"
            elif not solved[task] and unsolved[task] == "crashes":
                status, message = "error", CRASH_MESSAGE
            elif solved[task] or rng.random() > 0.3:
                if rng.random() < 0.2:
                    status, message = "error", rng.choice(ERROR_MESSAGES).format(task=task)
                else:
                    status = "fail"
                    message = rng.choice(FAIL_MESSAGES).format(id=check_id, error=10 ** rng.uniform(-4, 0))
            if cheats and status != "pass" and rng.random() < 0.2:
                status = "tampered"
                message = "the notebook's own check reported success but the trusted check failed: " + message
            entries.append({"id": check_id, "task": task, "notebook": notebook, "points": points if status == "pass"
                            else 0.0, "max_points": points, "status": status, "message": message, "hidden": hidden,
                            "duration": round(rng.uniform(0.001, 0.2), 3)})
        pending = [{"id": answer_id, "notebook": notebook, "max_points": float(points)}
                   for answer_id, (notebook, points) in MANUAL_ANSWERS.items() if handed_in and rng.random() < 0.5]
        results.append({"student": student, "checks": entries, "isolation": "bwrap+pids",
                        "durations": {"total": round(rng.uniform(20, 60), 1)}, "error": "",
                        "manual_pending": pending})
    return results


def synthetic_findings(results, *, seed=0):
    """({student: [Signal]}, [SimilarPair]) for a few students of `results`, as the grader would pass them."""
    rng = random.Random(seed)
    integrity = {}
    for result in results:
        signals = result_signals(result)
        if rng.random() < 0.04:
            signals.append(Signal("monkeypatch", "course_lib/layers/losses.py:9",
                                  "replaces numpy.allclose: _np.allclose = _lying_allclose"))
            signals.append(Signal("filesystem", "course_lib/layers/losses.py:11",
                                  "names the path '/*/*/autograde/expected/hidden.npz' outside the submission"))
        if signals:
            integrity[result["student"]] = signals
    students = [result["student"] for result in results]
    pairs = []
    for _ in range(max(1, len(students) // 60)):
        a, b = sorted(rng.sample(students, 2))
        overlap = similarity.FileOverlap("course_lib/layers/conv.py", "course_lib/layers/conv.py", 0.9, 0.88,
                                         410, 400, [[0, 10]], [[0, 10]])
        pairs.append(similarity.SimilarPair(a, b, 0.9, 0.9, 0.88, [overlap]))
    return integrity, pairs


def measure_report(out, sizes):
    """Write the report for each class size; returns [(size, path, bytes, seconds)]."""
    rows = []
    for size in sizes:
        results = synthetic_results(size)
        integrity, pairs = synthetic_findings(results)
        notebooks = ["FullyConnectedNets", "BatchNormalization", "Dropout", "ConvolutionalNetworks"]
        started = time.perf_counter()
        path = write_report(out / f"report-{size}" / "report.html", results, notebooks=notebooks,
                            similarity=pairs, integrity=integrity, generated="(benchmark)")
        rows.append((size, path, path.stat().st_size, time.perf_counter() - started))
    return rows


def measure_in_browser(paths, screenshot):
    """{path: (load seconds, scrollHeight, sort seconds)} in Chromium, and a full-page screenshot of the last."""
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in paths:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(path.resolve().as_uri(), wait_until="load")
                timing = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
                load_seconds = json.loads(timing)["loadEventEnd"] / 1000
                height = page.evaluate("document.documentElement.scrollHeight")
                sort_seconds = page.evaluate("""() => { const header = [...document.querySelectorAll('#students th')]
                    .find(th => th.textContent === 'total'); const start = performance.now(); header.click();
                    return (performance.now() - start) / 1000; }""")
                figures[path] = (load_seconds, height, sort_seconds)
                if path == paths[-1]:
                    page.reload(wait_until="load")
                    page.screenshot(path=str(screenshot), full_page=True)
                page.close()
        finally:
            browser.close()
    return figures


SOLUTION = re.compile(rf"([ \t]*){re.escape(SOLUTION_BEGIN)}\n(.*?)[ \t]*{re.escape(SOLUTION_END)}\n", re.S)
HIDDEN = re.compile(rf"[ \t]*{re.escape(HIDDEN_BEGIN)}\n.*?{re.escape(HIDDEN_END)}\n", re.S)
VARIANTS = 20
NUMPY_FUNCTIONS = ("sum", "mean", "abs", "maximum", "exp", "sqrt", "clip", "where", "dot", "reshape")


def _extra_line(rng, names):
    """A plausible statement of a student's own, different in its tokens (operators, numbers) from another's."""
    first, second = rng.choice(names), rng.choice(names)
    operator = rng.choice(["+", "-", "*", "/"])
    return (f"{first}_{rng.choice(['adj', 'tmp', 'chk', 'alt'])} = np.{rng.choice(NUMPY_FUNCTIONS)}({first} "
            f"{operator} {rng.uniform(0.1, 9):.2f} * {second}) {operator} {rng.randint(2, 99)}")


def _variant(body, key, variant):
    """The solution `body` with plausible extra lines drawn for (`key`, `variant`): another way to write it. An
    extra line goes after a complete statement only (no open bracket, no block header), at its indentation."""
    rng = random.Random(f"{key}:{variant}")
    names = re.findall(r"\b([a-z_][a-z0-9_]*)\s*=", body) or ["x"]
    varied = []
    depth = 0
    for line in body.splitlines(keepends=True):
        varied.append(line)
        code = line.split("#")[0].rstrip()
        depth += sum(code.count(character) for character in "([{") - sum(code.count(character) for character in ")]}")
        if depth == 0 and code and not code.endswith((":", "\\", ",")) and rng.random() < 0.5:
            indent = re.match(r"[ \t]*", line).group(0)
            varied.append(f"{indent}{_extra_line(rng, names)}\n")
    return "".join(varied)


def _solve(source, key, variant_of, own_lines):
    """`source` with every solution region replaced by the variant `variant_of(region key)` of its body, and the
    student's own lines `own_lines()` after it."""
    def fill(match):
        region = f"{key}:{fill.count}"
        fill.count += 1
        indent = match.group(1)
        return (_variant(match.group(2), region, variant_of(region))
                + "".join(f"{indent}{line}\n" for line in own_lines()))
    fill.count = 0
    return SOLUTION.sub(fill, source)


def synthetic_code(code_root, count, *, seed=0, copies=3):
    """Write `count` students' code under code_root (see the module docstring); returns (the release's code as
    boilerplate, the planted copies as (original, copier) pairs)."""
    rng = random.Random(seed)
    library = {path.relative_to(PROJECT_ROOT).as_posix(): path.read_text()
               for path in sorted((PROJECT_ROOT / "course_lib").rglob("*.py")) if "__pycache__" not in path.parts}
    notebooks = {path.stem: json.loads(path.read_text()) for path in sorted((PROJECT_ROOT / "notebooks")
                                                                            .glob("*.ipynb"))}
    boilerplate = {relative: strip_source(text, relative) for relative, text in library.items()}
    for name, document in notebooks.items():
        release = json.loads(json.dumps(document))
        for cell in release["cells"]:
            text = HIDDEN.sub("", "".join(cell["source"]))
            cell["source"] = SOLUTION.sub(r"\1# YOUR CODE HERE\n\1raise NotImplementedError()\n", text)
        boilerplate[f"{name}.py"] = similarity.notebook_text(release)
    shutil.rmtree(code_root, ignore_errors=True)
    students = [f"s{number:04d}" for number in range(1, count + 1)]
    for student in students:
        choices = {}

        def variant_of(region, _choices=choices):
            return _choices.setdefault(region, rng.randrange(VARIANTS))

        def own_lines():
            return [_extra_line(rng, ["x", "out", "dx"])] if rng.random() < 0.3 else []

        files = {relative: _solve(text, relative, variant_of, own_lines) for relative, text in library.items()}
        for name, document in notebooks.items():
            solved = json.loads(json.dumps(document))
            for index, cell in enumerate(solved["cells"]):
                cell["source"] = _solve(HIDDEN.sub("", "".join(cell["source"])), f"{name}:{index}", variant_of,
                                        own_lines)
            files[f"{name}.py"] = similarity.notebook_text(solved)
        similarity.write_student_code(code_root / student, files)
    planted = []
    for original, copier in zip(rng.sample(students, copies), rng.sample(students, copies)):
        if original != copier:
            shutil.rmtree(code_root / copier)
            shutil.copytree(code_root / original, code_root / copier)
            planted.append(tuple(sorted((original, copier))))
    return boilerplate, planted


def measure_similarity(out, count):
    code_root = out / "code"
    started = time.perf_counter()
    boilerplate, planted = synthetic_code(code_root, count)
    made = time.perf_counter() - started
    started = time.perf_counter()
    pairs = similarity.find_similar(code_root, boilerplate_files=boilerplate)
    seconds = time.perf_counter() - started
    return made, seconds, planted, pairs


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300], help="class sizes of the report")
    parser.add_argument("--similarity-students", type=int, default=300, help="students of the similarity search "
                        "(0: skip it)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where reports and screenshots go")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes):
        parser.error(f"--sizes: {args.sizes}; every class size must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = measure_report(args.out, args.sizes)
    figures = {}
    screenshot = args.out / f"report-{rows[-1][0]}.png"
    if not args.no_browser:
        figures = measure_in_browser([path for _, path, _, _ in rows], screenshot)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'students':>8} {'HTML bytes':>11} {'write s':>8} {'load s':>7} {'scrollHeight px':>16} {'sort s':>7}")
    for size, path, size_bytes, seconds in rows:
        load, height, sort = figures.get(path, (float("nan"), float("nan"), float("nan")))
        print(f"{size:>8} {size_bytes:>11,} {seconds:>8.3f} {load:>7.3f} {height:>16} {sort:>7.3f}")
    if figures:
        print(f"screenshot of the {rows[-1][0]}-student report: {screenshot}")
    if args.similarity_students:
        made, seconds, planted, pairs = measure_similarity(args.out, args.similarity_students)
        found = {(pair.a, pair.b) for pair in pairs}
        print(f"similarity: {args.similarity_students} students' synthetic code made in {made:.1f} s, "
              f"find_similar {seconds:.1f} s; {len(pairs)} pair(s) flagged, "
              f"{sum(pair in found for pair in planted)} of {len(planted)} planted copies among them")
        for pair in pairs[:10]:
            print(f"  {pair.a} ~ {pair.b}: score {pair.score:.2f}")


if __name__ == "__main__":
    main()
