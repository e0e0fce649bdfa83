"""Command line of `python -m autograde demo`."""
from autograde.demo import run_demo


def add_arguments(parser):
    parser.add_argument("--out", default="demo-out", help="folder for everything the demo writes (default demo-out)")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: the machine's cores)")
    parser.add_argument("--no-train", action="store_true", help="skip the training step")


def main(args):
    run_demo(args.out, workers=args.workers, train=not args.no_train)
    return 0
