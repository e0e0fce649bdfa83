"""Time one implementation of the benchmark cases in this process and print one JSON line per case.

    python -m bench.layers --impl numpy --dtype float64 [--repeats 7]
    python -m bench.layers --impl torch --dtype float32
    python -m bench.layers --impl naive --repeats 3

`numpy` is course_lib.fast_layers (and ThreeLayerConvNet), `torch` the same computation in PyTorch on the CPU,
`naive` the loop layers of course_lib.layers on the CS231n notebook's small cases. Each case is one forward
plus one backward pass on precomputed inputs and upstream gradients. bench/__main__.py runs every
implementation in its own process: in one process PyTorch's OpenMP threads slow numpy's BLAS down.
"""
import argparse
import json
import statistics
import time

import numpy as np

# name -> (kind, shapes); every case runs forward + backward.
CASES = {
    "conv x(100,3,31,31) w(25,3,3,3) s2 p1": ("conv", ((100, 3, 31, 31), (25, 3, 3, 3), 2, 1)),
    "conv x(64,32,32,32) w(64,32,3,3) s1 p1": ("conv", ((64, 32, 32, 32), (64, 32, 3, 3), 1, 1)),
    "pool 2x2 s2 x(100,3,32,32)": ("pool", ((100, 3, 32, 32), 2, 2)),
    "pool 2x2 s2 x(64,64,32,32)": ("pool", ((64, 64, 32, 32), 2, 2)),
    "ThreeLayerConvNet step, batch 50": ("net", (50, (3, 32, 32), 32, 7, 100, 10)),
}
NAIVE_CASES = ["conv x(100,3,31,31) w(25,3,3,3) s2 p1", "pool 2x2 s2 x(100,3,32,32)"]


def time_call(step, repeats, warmup=2, min_seconds=0.3, max_calls=200):
    """Run step() warmup times, then at least `repeats` times and until `min_seconds` of timed calls (at most
    max_calls); return (best, median) wall time in milliseconds.

    The time floor spreads a fast case's calls over a few tenths of a second, so that one short burst of load
    from elsewhere on a shared machine cannot slow every call of that case.
    """
    for _ in range(warmup):
        step()
    times = []
    while len(times) < repeats or (sum(times) < 1e3 * min_seconds and len(times) < max_calls):
        start = time.perf_counter()
        step()
        times.append(1e3 * (time.perf_counter() - start))
    return min(times), statistics.median(times)


def numpy_steps(dtype, naive=False):
    """Yield (case name, step) for the numpy fast layers, or for the naive layers when naive is True."""
    from course_lib import _allocator, fast_layers, layers
    from course_lib.classifiers.cnn import ThreeLayerConvNet

    _allocator.tune()  # large temporaries reused instead of page-faulted in anew on every call
    rng = np.random.default_rng(0)
    if naive:
        conv_forward, conv_backward = layers.conv_forward_naive, layers.conv_backward_naive
        pool_forward, pool_backward = layers.max_pool_forward_naive, layers.max_pool_backward_naive
    else:
        conv_forward, conv_backward = fast_layers.conv_forward_fast, fast_layers.conv_backward_fast
        pool_forward, pool_backward = fast_layers.max_pool_forward_fast, fast_layers.max_pool_backward_fast
    for name, (kind, spec) in CASES.items():
        if naive and name not in NAIVE_CASES:
            continue
        if kind == "conv":
            x_shape, w_shape, stride, pad = spec
            x = rng.standard_normal(x_shape).astype(dtype)
            w = rng.standard_normal(w_shape).astype(dtype)
            b = rng.standard_normal(w_shape[0]).astype(dtype)
            conv_param = {"stride": stride, "pad": pad}
            out, _ = conv_forward(x, w, b, conv_param)
            dout = rng.standard_normal(out.shape).astype(dtype)

            def step(x=x, w=w, b=b, conv_param=conv_param, dout=dout):
                _, cache = conv_forward(x, w, b, conv_param)
                conv_backward(dout, cache)

        elif kind == "pool":
            x_shape, window, stride = spec
            x = rng.standard_normal(x_shape).astype(dtype)
            pool_param = {"pool_height": window, "pool_width": window, "stride": stride}
            out, _ = pool_forward(x, pool_param)
            dout = rng.standard_normal(out.shape).astype(dtype)

            def step(x=x, pool_param=pool_param, dout=dout):
                _, cache = pool_forward(x, pool_param)
                pool_backward(dout, cache)

        else:
            batch, input_dim, num_filters, filter_size, hidden_dim, num_classes = spec
            np.random.seed(0)
            model = ThreeLayerConvNet(input_dim, num_filters, filter_size, hidden_dim, num_classes, dtype=dtype)
            X = rng.standard_normal((batch,) + input_dim).astype(dtype)
            y = rng.integers(num_classes, size=batch)

            def step(model=model, X=X, y=y):
                model.loss(X, y)

        yield name, step


def torch_steps(dtype):
    """Yield (case name, step) for the same computations in PyTorch (CPU, autograd)."""
    import torch
    import torch.nn.functional as F

    torch_dtype = getattr(torch, dtype)
    generator = torch.Generator().manual_seed(0)

    def randn(*shape, grad=True):
        return torch.randn(*shape, generator=generator, dtype=torch_dtype).requires_grad_(grad)

    for name, (kind, spec) in CASES.items():
        if kind == "conv":
            x_shape, w_shape, stride, pad = spec
            x, w, b = randn(*x_shape), randn(*w_shape), randn(w_shape[0])
            dout = torch.randn(*F.conv2d(x, w, b, stride=stride, padding=pad).shape, dtype=torch_dtype)

            def step(x=x, w=w, b=b, stride=stride, pad=pad, dout=dout):
                F.conv2d(x, w, b, stride=stride, padding=pad).backward(dout)

        elif kind == "pool":
            x_shape, window, stride = spec
            x = randn(*x_shape)
            dout = torch.randn(*F.max_pool2d(x, window, stride).shape, dtype=torch_dtype)

            def step(x=x, window=window, stride=stride, dout=dout):
                F.max_pool2d(x, window, stride).backward(dout)

        else:
            batch, (channels, height, width), num_filters, filter_size, hidden_dim, num_classes = spec
            pooled_size = num_filters * (height // 2) * (width // 2)
            params = [
                randn(num_filters, channels, filter_size, filter_size),
                randn(num_filters),
                randn(hidden_dim, pooled_size),
                randn(hidden_dim),
                randn(num_classes, hidden_dim),
                randn(num_classes),
            ]
            X = randn(batch, channels, height, width, grad=False)
            y = torch.randint(num_classes, (batch,), generator=generator)

            def step(params=params, X=X, y=y, pad=(filter_size - 1) // 2):
                W1, b1, W2, b2, W3, b3 = params
                pooled = F.max_pool2d(F.relu(F.conv2d(X, W1, b1, padding=pad)), 2, 2)
                hidden = F.relu(F.linear(pooled.flatten(1), W2, b2))
                loss = F.cross_entropy(F.linear(hidden, W3, b3), y)
                for param in params:
                    param.grad = None
                loss.backward()

        yield name, step


def thread_report(impl):
    """Threads the implementation computes with: torch.get_num_threads(), or numpy's BLAS threads."""
    if impl == "torch":
        import torch

        return f"torch threads {torch.get_num_threads()}"
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "numpy BLAS threads unknown (threadpoolctl not installed)"
    blas = [f"{pool['internal_api']} {pool['num_threads']}" for pool in threadpool_info() if pool["user_api"] == "blas"]
    return "numpy BLAS threads " + (", ".join(blas) or "unknown")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("numpy", "torch", "naive"), required=True)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    if args.impl == "torch":
        steps = torch_steps(args.dtype)
    else:
        steps = numpy_steps(np.dtype(args.dtype), naive=args.impl == "naive")
    warmup = 1 if args.impl == "naive" else 2
    threads = None
    for name, step in steps:
        best, median = time_call(step, args.repeats, warmup)
        threads = threads or thread_report(args.impl)
        record = {"impl": args.impl, "dtype": args.dtype, "case": name, "best_ms": best, "median_ms": median}
        print(json.dumps({**record, "threads": threads}), flush=True)


if __name__ == "__main__":
    main()
