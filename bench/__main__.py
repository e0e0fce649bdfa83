"""Run every benchmark, each implementation in its own process, and print a table of ratios.

    python -m bench [--quick] [--only layers|grading|report|cluster] [--submissions N]

Layers (`bench/layers.py`): for each case, the best fast-numpy time, the best PyTorch CPU time on the same shapes
and dtype, their ratio, the target ratio and PASS or MISS (a MISS is reported, not an error: the exit status is 0
when everything ran). Then the naive -> fast speedups on the CS231n notebook's small cases, as the notebook prints
them.

Grading (`bench/grading.py`): seconds per submission of `python -m autograde grade` with 1 worker, the speedup
with 2 workers, and stock `nbgrader autograde` on the same submissions, with the targets and PASS or MISS.

Report (`bench/report.py`): the class report's size, writing time and height in Chromium for 30, 100 and 300
synthetic students, and the similarity search's time for 300.

Cluster (`bench/cluster.py`): the head's serial seconds per student with a real Dask scheduler and workers, and
the time projected for 300 students on 8 and 32 workers.
"""
import argparse
import json
import subprocess
import sys

from bench import grading
from bench import cluster as cluster_bench
from bench import report as report_bench
from bench.layers import CASES, NAIVE_CASES

# Largest acceptable numpy/torch time ratio, per case kind and dtype.
TARGETS = {
    ("conv", "float64"): 1.0,
    ("conv", "float32"): 2.0,
    ("pool", "float64"): 2.0,
    ("pool", "float32"): 2.0,
    ("net", "float64"): 3.0,
    ("net", "float32"): 3.0,
}


def run_impl(impl, dtype, repeats):
    """Run `python -m bench.layers` for one implementation in a fresh process; return {case: record}."""
    command = [sys.executable, "-m", "bench.layers", "--impl", impl, "--dtype", dtype, "--repeats", str(repeats)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[1:])} failed:\n{completed.stderr}")
    records = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    return {record["case"]: record for record in records}


def keep_best(best, records):
    """Merge run_impl records into `best` ({case: record}), keeping per case the one with the smallest best_ms."""
    for case, record in records.items():
        if case not in best or record["best_ms"] < best[case]["best_ms"]:
            best[case] = record
    return best


def run_layer_benchmarks(repeats, rounds=3):
    """Fast numpy layers against PyTorch CPU, then the naive -> fast speedups; prints both tables.

    Each implementation runs `rounds` times in fresh processes, numpy and torch taking turns, and keeps its best
    time per case: a burst of load from elsewhere on a shared VM then slows one round, not one side's result.
    """
    threads = {}
    numpy_by_dtype = {}
    rows = []
    misses = 0
    for dtype in ("float64", "float32"):
        numpy_records, torch_records = {}, {}
        for _ in range(rounds):
            for impl, records in (("numpy", numpy_records), ("torch", torch_records)):
                keep_best(records, run_impl(impl, dtype, repeats))
        numpy_by_dtype[dtype] = numpy_records
        for case, (kind, _) in CASES.items():
            numpy_ms = numpy_records[case]["best_ms"]
            torch_ms = torch_records[case]["best_ms"]
            ratio = numpy_ms / torch_ms
            target = TARGETS[(kind, dtype)]
            verdict = "PASS" if ratio <= target else "MISS"
            misses += verdict == "MISS"
            rows.append((case, dtype, numpy_ms, torch_ms, ratio, target, verdict))
        threads["numpy"] = next(iter(numpy_records.values()))["threads"]
        threads["torch"] = next(iter(torch_records.values()))["threads"]

    print(f"fast numpy layers vs PyTorch CPU, forward + backward, best call (at least {repeats} calls and "
          f"0.3 s per case) of {rounds} process(es) per side, numpy and torch taking turns (ms); {threads['numpy']}; "
          f"{threads['torch']}")
    header = f"{'case':<42} {'dtype':<8} {'numpy ms':>9} {'torch ms':>9} {'ratio':>6} {'target':>7}  result"
    print(header)
    print("-" * len(header))
    for case, dtype, numpy_ms, torch_ms, ratio, target, verdict in rows:
        print(f"{case:<42} {dtype:<8} {numpy_ms:9.2f} {torch_ms:9.2f} {ratio:6.2f} {'<= ' + str(target):>7}  {verdict}")
    print(f"{len(rows) - misses}/{len(rows)} within target")

    naive_records = run_impl("naive", "float64", max(1, repeats // 3))
    fast_records = numpy_by_dtype["float64"]
    print()
    print("naive -> fast speedups (float64, forward + backward), as the CS231n notebook prints them")
    for case in NAIVE_CASES:
        naive_ms = naive_records[case]["best_ms"]
        fast_ms = fast_records[case]["best_ms"]
        print(f"{case:<42} naive {naive_ms:9.2f} ms  fast {fast_ms:7.2f} ms  speedup {naive_ms / fast_ms:7.1f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="layers: fewer repeats (3 instead of 9)")
    parser.add_argument("--only", choices=("layers", "grading", "report", "cluster"), default=None,
                        help="run one benchmark (default: all, in this order)")
    parser.add_argument("--submissions", type=int, default=grading.DEFAULT_SUBMISSIONS,
                        help="grading: full-marks submissions to grade (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.submissions < 1:
        parser.error(f"--submissions: {args.submissions}; grade at least 1")
    if args.only in (None, "layers"):
        run_layer_benchmarks(3 if args.quick else 9, rounds=1 if args.quick else 3)
    if args.only in (None, "grading"):
        if args.only is None:
            print()
        grading.run(submissions=args.submissions)
    if args.only in (None, "report"):
        if args.only is None:
            print()
        report_bench.main([])
    if args.only in (None, "cluster"):
        if args.only is None:
            print()
        cluster_bench.main([])


if __name__ == "__main__":
    main()
