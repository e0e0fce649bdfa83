"""Independent correct solutions of fifteen course_lib functions, written in three styles besides the reference's,
and the student course_lib files built from them: the corpus on which the similarity threshold is measured.

- `loops`: explicit loops over examples, channels and positions, short CS231n-like names;
- `vectorised`: whole-array numpy (sliding_window_view, einsum, take_along_axis, np.add.at), other names;
- `compact`: row-matrix products and half-vectorised loops over examples, the habits of a typical student.

`solved_files(style)` is a student's course_lib for one style: the release's stub of each file with the
`raise NotImplementedError(...)` of every function above replaced by that style's body (the reference style takes
the bodies between the solution markers of /work/main/course_lib).
"""
import ast
import re
import textwrap
from pathlib import Path

from autograde.release.strip import strip_source

COURSE_LIB = Path(__file__).resolve().parents[3] / "course_lib"
FILES = {
    "course_lib/layers/affine.py": ("affine_forward", "affine_backward", "relu_forward", "relu_backward"),
    "course_lib/layers/losses.py": ("svm_loss", "softmax_loss"),
    "course_lib/layers/pooling.py": ("max_pool_forward_naive", "max_pool_backward_naive"),
    "course_lib/layers/dropout.py": ("dropout_forward", "dropout_backward"),
    "course_lib/layers/conv.py": ("conv_forward_naive", "conv_backward_naive"),
    "course_lib/optim.py": ("sgd_momentum", "rmsprop", "adam"),
}

LOOPS = {
    "affine_forward": """
        N = x.shape[0]
        X = x.reshape(N, -1)
        out = np.zeros((N, w.shape[1]), dtype=np.result_type(x, w, b))
        for n in range(N):
            out[n] = X[n].dot(w) + b
    """,
    "affine_backward": """
        x, w, b = cache
        N = x.shape[0]
        X = x.reshape(N, -1)
        dX = np.zeros_like(X, dtype=np.result_type(X, dout))
        dw = np.zeros_like(w, dtype=np.result_type(w, dout))
        db = np.zeros_like(b, dtype=np.result_type(b, dout))
        for n in range(N):
            dX[n] = w.dot(dout[n])
            dw += np.outer(X[n], dout[n])
            db += dout[n]
        dx = dX.reshape(x.shape)
    """,
    "relu_forward": """
        out = x.copy()
        out[out < 0] = 0
    """,
    "relu_backward": """
        x = cache
        dx = dout.copy()
        dx[x <= 0] = 0
    """,
    "svm_loss": """
        N, C = x.shape
        loss = 0.0
        dx = np.zeros_like(x)
        for n in range(N):
            correct = x[n, y[n]]
            for c in range(C):
                if c == y[n]:
                    continue
                margin = x[n, c] - correct + 1
                if margin > 0:
                    loss += margin
                    dx[n, c] += 1
                    dx[n, y[n]] -= 1
        loss /= N
        dx /= N
    """,
    "softmax_loss": """
        N = x.shape[0]
        loss = 0.0
        dx = np.zeros_like(x)
        for n in range(N):
            scores = x[n] - np.max(x[n])
            exp_scores = np.exp(scores)
            probs = exp_scores / np.sum(exp_scores)
            loss -= np.log(probs[y[n]])
            dx[n] = probs
            dx[n, y[n]] -= 1
        loss /= N
        dx /= N
    """,
    "max_pool_forward_naive": """
        pool_height, pool_width, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
        out_height = 1 + (x.shape[2] - pool_height) // stride
        out_width = 1 + (x.shape[3] - pool_width) // stride
        N, C, H, W = x.shape
        out = np.empty((N, C, out_height, out_width), dtype=x.dtype)
        for n in range(N):
            for c in range(C):
                for r in range(out_height):
                    for s in range(out_width):
                        r0, s0 = r * stride, s * stride
                        out[n, c, r, s] = np.max(x[n, c, r0:r0 + pool_height, s0:s0 + pool_width])
    """,
    "max_pool_backward_naive": """
        x, pool_param = cache
        pool_height, pool_width, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
        out_height, out_width = dout.shape[2:]
        N, C, H, W = x.shape
        dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
        for n in range(N):
            for c in range(C):
                for r in range(out_height):
                    for s in range(out_width):
                        r0, s0 = r * stride, s * stride
                        patch = x[n, c, r0:r0 + pool_height, s0:s0 + pool_width]
                        a, b = np.unravel_index(np.argmax(patch), patch.shape)
                        dx[n, c, r0 + a, s0 + b] += dout[n, c, r, s]
    """,
    "dropout_forward": """
        mode, keep_prob = dropout_param["mode"], dropout_param["p"]
        if dropout_param.get("seed") is not None:
            np.random.seed(dropout_param["seed"])
        if mode == "test":
            out = np.array(x, copy=True)
            mask = None
        else:
            keep = np.random.rand(*x.shape) < keep_prob
            mask = keep.astype(x.dtype) / keep_prob
            out = mask * x
    """,
    "dropout_backward": """
        dropout_param, mask = cache
        mode = dropout_param["mode"]
        dx = dout * mask if mode == "train" else np.array(dout, copy=True)
    """,
    "conv_forward_naive": """
        stride, pad = conv_param["stride"], conv_param["pad"]
        out_height = 1 + (x.shape[2] + 2 * pad - w.shape[2]) // stride
        out_width = 1 + (x.shape[3] + 2 * pad - w.shape[3]) // stride
        N, C, H, W = x.shape
        F, _, HH, WW = w.shape
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
        out = np.zeros((N, F, out_height, out_width), dtype=np.result_type(x, w, b))
        for n in range(N):
            for f in range(F):
                for r in range(out_height):
                    for s in range(out_width):
                        patch = xp[n, :, r * stride:r * stride + HH, s * stride:s * stride + WW]
                        out[n, f, r, s] = np.sum(patch * w[f]) + b[f]
    """,
    "conv_backward_naive": """
        x, w, b, conv_param = cache
        stride, pad = conv_param["stride"], conv_param["pad"]
        out_height, out_width = dout.shape[2:]
        N, C, H, W = x.shape
        F, _, HH, WW = w.shape
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
        dxp = np.zeros(xp.shape, dtype=np.result_type(x, dout))
        dw = np.zeros(w.shape, dtype=np.result_type(w, dout))
        db = np.zeros(b.shape, dtype=np.result_type(b, dout))
        for n in range(N):
            for f in range(F):
                db[f] += dout[n, f].sum()
                for r in range(out_height):
                    for s in range(out_width):
                        rs, cs = r * stride, s * stride
                        g = dout[n, f, r, s]
                        dw[f] += g * xp[n, :, rs:rs + HH, cs:cs + WW]
                        dxp[n, :, rs:rs + HH, cs:cs + WW] += g * w[f]
        dx = dxp[:, :, pad:pad + H, pad:pad + W]
    """,
    "sgd_momentum": """
        velocity = config.get("velocity", np.zeros_like(w))
        mu = config["momentum"]
        lr = config["learning_rate"]
        velocity = mu * velocity
        velocity = velocity - lr * dw
        next_w = w.copy()
        next_w += velocity
    """,
    "rmsprop": """
        config.setdefault("cache", np.zeros_like(w))
        rho = config["decay_rate"]
        grad_sq = rho * config["cache"] + (1 - rho) * (dw * dw)
        config["cache"] = grad_sq
        step = config["learning_rate"] * dw / (np.sqrt(grad_sq) + config["epsilon"])
        next_w = w - step
    """,
    "adam": """
        for key in ("m", "v"):
            config.setdefault(key, np.zeros_like(w))
        config.setdefault("t", 0)
        t = config["t"] + 1
        b1, b2 = config["beta1"], config["beta2"]
        m = b1 * config["m"] + (1 - b1) * dw
        v = b2 * config["v"] + (1 - b2) * (dw * dw)
        mt = m / (1 - b1**t)
        vt = v / (1 - b2**t)
        next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
        config["m"], config["v"], config["t"] = m, v, t
    """,
}

VECTORISED = {
    "affine_forward": """
        out = np.dot(np.reshape(x, (len(x), -1)), w) + b[np.newaxis, :]
    """,
    "affine_backward": """
        x, w, b = cache
        flat = np.reshape(x, (len(x), -1))
        dw = np.dot(flat.T, dout)
        db = np.sum(dout, axis=0)
        dx = np.reshape(np.dot(dout, w.T), np.shape(x))
    """,
    "relu_forward": """
        out = np.where(x > 0, x, 0)
    """,
    "relu_backward": """
        x = cache
        dx = np.where(x > 0, dout, 0.0)
    """,
    "svm_loss": """
        n = len(y)
        truth = np.take_along_axis(x, y[:, None], axis=1)
        hinge = np.clip(x - truth + 1.0, 0, None)
        hinge[np.arange(n), y] = 0.0
        loss = np.sum(hinge) / n
        indicator = (hinge > 0).astype(float)
        indicator[np.arange(n), y] = -np.sum(indicator, axis=1)
        dx = indicator / n
    """,
    "softmax_loss": """
        n = len(y)
        z = x - np.max(x, axis=1)[:, np.newaxis]
        p = np.exp(z)
        p /= p.sum(axis=1)[:, np.newaxis]
        loss = -np.mean(np.log(p[np.arange(n), y]))
        onehot = np.zeros_like(p)
        onehot[np.arange(n), y] = 1
        dx = (p - onehot) / n
    """,
    "max_pool_forward_naive": """
        pool_height, pool_width, stride = (pool_param[key] for key in ("pool_height", "pool_width", "stride"))
        windows = np.lib.stride_tricks.sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))
        out = windows[:, :, ::stride, ::stride].max(axis=(-2, -1))
    """,
    "max_pool_backward_naive": """
        x, pool_param = cache
        pool_height, pool_width, stride = (pool_param[key] for key in ("pool_height", "pool_width", "stride"))
        out_height, out_width = np.shape(dout)[-2:]
        dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
        n_idx, c_idx = np.meshgrid(np.arange(x.shape[0]), np.arange(x.shape[1]), indexing="ij")
        for row in range(out_height):
            for col in range(out_width):
                patch = x[:, :, row * stride:row * stride + pool_height, col * stride:col * stride + pool_width]
                flat_arg = patch.reshape(x.shape[0], x.shape[1], -1).argmax(axis=-1)
                dr, dc = np.divmod(flat_arg, pool_width)
                np.add.at(dx, (n_idx, c_idx, row * stride + dr, col * stride + dc), dout[:, :, row, col])
    """,
    "dropout_forward": """
        keep_prob = dropout_param["p"]
        mode = dropout_param.get("mode")
        if "seed" in dropout_param:
            np.random.seed(dropout_param["seed"])
        mask = None
        out = x.copy()
        if mode == "train":
            mask = np.asarray(np.random.rand(*x.shape) < keep_prob, dtype=x.dtype) / np.asarray(keep_prob, x.dtype)
            out = out * mask
    """,
    "dropout_backward": """
        mode = cache[0]["mode"]
        mask = cache[1]
        dx = dout.copy()
        if mode == "train":
            dx *= mask
    """,
    "conv_forward_naive": """
        stride = conv_param.get("stride", 1)
        pad = conv_param.get("pad", 0)
        xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
        F, C, HH, WW = w.shape
        patches = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
        out = np.einsum("nchwij,fcij->nfhw", patches, w) + b[None, :, None, None]
    """,
    "conv_backward_naive": """
        x, w, b, conv_param = cache
        stride = conv_param.get("stride", 1)
        pad = conv_param.get("pad", 0)
        out_height, out_width = np.shape(dout)[-2:]
        F, C, HH, WW = w.shape
        xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
        patches = np.lib.stride_tricks.sliding_window_view(xp, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
        dw = np.einsum("nfhw,nchwij->fcij", dout, patches)
        db = dout.sum(axis=(0, 2, 3))
        dxp = np.zeros(xp.shape, dtype=np.result_type(x, dout))
        grads = np.einsum("nfhw,fcij->nchwij", dout, w)
        for i in range(HH):
            for j in range(WW):
                dxp[:, :, i:i + stride * out_height:stride, j:j + stride * out_width:stride] += grads[..., i, j]
        dx = dxp[:, :, pad:dxp.shape[2] - pad, pad:dxp.shape[3] - pad]
    """,
    "sgd_momentum": """
        if "velocity" in config:
            velocity = config["velocity"]
        else:
            velocity = np.zeros(np.shape(w))
        velocity = np.subtract(config["momentum"] * velocity, config["learning_rate"] * dw)
        next_w = np.add(w, velocity)
    """,
    "rmsprop": """
        if config.get("cache") is None:
            config["cache"] = np.zeros(np.shape(w))
        config["cache"] = config["cache"] * config["decay_rate"]
        config["cache"] += (1 - config["decay_rate"]) * np.square(dw)
        next_w = w - np.divide(config["learning_rate"] * dw, np.sqrt(config["cache"]) + config["epsilon"])
    """,
    "adam": """
        config.update({key: config.get(key, np.zeros(np.shape(w))) for key in ("m", "v")})
        config["t"] = config.get("t", 0)
        config["t"] = config["t"] + 1
        for key, beta, grad in (("m", config["beta1"], dw), ("v", config["beta2"], np.square(dw))):
            config[key] = beta * config[key] + (1 - beta) * grad
        correction1 = 1 - np.power(config["beta1"], config["t"])
        correction2 = 1 - np.power(config["beta2"], config["t"])
        step = (config["m"] / correction1) / (np.sqrt(config["v"] / correction2) + config["epsilon"])
        next_w = w - config["learning_rate"] * step
    """,
}

COMPACT = {
    "affine_forward": """
        num_inputs = x.shape[0]
        input_size = np.prod(x.shape[1:])
        x_row = x.reshape(num_inputs, input_size)
        out = x_row.dot(w) + b
    """,
    "affine_backward": """
        x, w, b = cache
        num_inputs = x.shape[0]
        x_row = x.reshape(num_inputs, -1)
        db = np.sum(dout, axis=0)
        dw = x_row.T.dot(dout)
        dx = dout.dot(w.T).reshape(*x.shape)
    """,
    "relu_forward": """
        out = x * (x > 0)
    """,
    "relu_backward": """
        x = cache
        positive = (x > 0).astype(dout.dtype)
        dx = positive * dout
    """,
    "svm_loss": """
        N = x.shape[0]
        loss = 0.0
        dx = np.zeros_like(x)
        for i in range(N):
            margins = np.maximum(0, x[i] - x[i, y[i]] + 1)
            margins[y[i]] = 0
            loss += margins.sum()
            dx[i] = margins > 0
            dx[i, y[i]] = -np.count_nonzero(margins)
        loss = loss / N
        dx = dx / N
    """,
    "softmax_loss": """
        N = x.shape[0]
        logits = x - np.max(x, axis=1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(logits), axis=1))
        loss = np.sum(log_sum - logits[np.arange(N), y]) / N
        probs = np.exp(logits - log_sum[:, None])
        probs[np.arange(N), y] -= 1
        dx = probs / N
    """,
    "max_pool_forward_naive": """
        pool_height = pool_param["pool_height"]
        pool_width = pool_param["pool_width"]
        stride = pool_param["stride"]
        out_height = int(1 + (x.shape[2] - pool_height) / stride)
        out_width = int(1 + (x.shape[3] - pool_width) / stride)
        N, C, H, W = x.shape
        out = np.zeros((N, C, out_height, out_width), dtype=x.dtype)
        for h in range(out_height):
            for w_ in range(out_width):
                h0 = h * stride
                w0 = w_ * stride
                out[:, :, h, w_] = np.amax(x[:, :, h0:h0 + pool_height, w0:w0 + pool_width], axis=(2, 3))
    """,
    "max_pool_backward_naive": """
        x, pool_param = cache
        pool_height = pool_param["pool_height"]
        pool_width = pool_param["pool_width"]
        stride = pool_param["stride"]
        out_height = int(1 + (x.shape[2] - pool_height) / stride)
        out_width = int(1 + (x.shape[3] - pool_width) / stride)
        N, C, H, W = x.shape
        dx = np.zeros_like(x, dtype=np.result_type(x, dout))
        for h in range(out_height):
            for w_ in range(out_width):
                h0, w0 = h * stride, w_ * stride
                region = x[:, :, h0:h0 + pool_height, w0:w0 + pool_width]
                biggest = np.max(region, axis=(2, 3), keepdims=True)
                first = (region == biggest).reshape(N, C, -1)
                first = first & (np.cumsum(first, axis=2) == 1)
                upstream = dout[:, :, h, w_][:, :, None, None]
                dx[:, :, h0:h0 + pool_height, w0:w0 + pool_width] += first.reshape(region.shape) * upstream
    """,
    "dropout_forward": """
        p, mode = dropout_param["p"], dropout_param["mode"]
        if "seed" in dropout_param:
            np.random.seed(dropout_param["seed"])
        keep_prob = p
        if mode == "train":
            mask = (np.random.rand(*x.shape) < keep_prob) / keep_prob
            mask = mask.astype(x.dtype)
            out = x * mask
        elif mode == "test":
            out = np.copy(x)
            mask = None
    """,
    "dropout_backward": """
        dropout_param, mask = cache
        mode = dropout_param["mode"]
        if mode == "train":
            dx = mask * dout
        elif mode == "test":
            dx = np.copy(dout)
    """,
    "conv_forward_naive": """
        stride = conv_param["stride"]
        pad = conv_param["pad"]
        out_height = int(1 + (x.shape[2] + 2 * pad - w.shape[2]) / stride)
        out_width = int(1 + (x.shape[3] + 2 * pad - w.shape[3]) / stride)
        N, C, H, W = x.shape
        F, _, HH, WW = w.shape
        x_pad = np.pad(x, ((0,), (0,), (pad,), (pad,)), "constant")
        out = np.zeros((N, F, out_height, out_width), dtype=np.result_type(x, w, b))
        w_row = w.reshape(F, -1)
        for i in range(out_height):
            for j in range(out_width):
                cols = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW].reshape(N, -1)
                out[:, :, i, j] = cols.dot(w_row.T) + b
    """,
    "conv_backward_naive": """
        x, w, b, conv_param = cache
        stride = conv_param["stride"]
        pad = conv_param["pad"]
        _, _, out_height, out_width = dout.shape
        N, C, H, W = x.shape
        F, _, HH, WW = w.shape
        x_pad = np.pad(x, ((0,), (0,), (pad,), (pad,)), "constant")
        dx_pad = np.zeros_like(x_pad, dtype=np.result_type(x, dout))
        dw = np.zeros_like(w, dtype=np.result_type(w, dout))
        db = dout.sum(axis=(0, 2, 3))
        w_row = w.reshape(F, -1)
        for i in range(out_height):
            for j in range(out_width):
                hs, ws = i * stride, j * stride
                cols = x_pad[:, :, hs:hs + HH, ws:ws + WW].reshape(N, -1)
                g = dout[:, :, i, j]
                dw += g.T.dot(cols).reshape(w.shape)
                dx_pad[:, :, hs:hs + HH, ws:ws + WW] += g.dot(w_row).reshape(N, C, HH, WW)
        dx = dx_pad[:, :, pad:pad + H, pad:pad + W]
    """,
    "sgd_momentum": """
        velocity = config.get("velocity", np.zeros_like(w))
        v = config["momentum"] * velocity
        v -= config["learning_rate"] * dw
        next_w = w + v
        velocity = v
    """,
    "rmsprop": """
        config.setdefault("cache", np.zeros_like(w))
        c = config["cache"]
        c = config["decay_rate"] * c + (1 - config["decay_rate"]) * dw ** 2
        next_w = w - config["learning_rate"] * dw / (np.sqrt(c) + config["epsilon"])
        config["cache"] = c
    """,
    "adam": """
        config.setdefault("m", np.zeros_like(w))
        config.setdefault("v", np.zeros_like(w))
        config.setdefault("t", 0)
        config["t"] += 1
        t = config["t"]
        config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
        config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw ** 2)
        mb = config["m"] / (1 - config["beta1"] ** t)
        vb = config["v"] / (1 - config["beta2"] ** t)
        next_w = w - config["learning_rate"] * mb / (np.sqrt(vb) + config["epsilon"])
    """,
}

STYLES = {"loops": LOOPS, "vectorised": VECTORISED, "compact": COMPACT}
SOLUTION_REGION = re.compile(r"\n[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION\n", re.S)


def reference_bodies():
    """{function: body} between the solution markers of the reference course_lib, for the functions above."""
    bodies = {}
    for relative, functions in FILES.items():
        source = (COURSE_LIB.parent / relative).read_text()
        by_function = _bodies_by_function(source)
        bodies.update({function: by_function[function] for function in functions})
    return bodies


def _bodies_by_function(source):
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    bodies = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            text = "".join(lines[node.lineno - 1:node.end_lineno])
            match = SOLUTION_REGION.search(text)
            if match:
                bodies[node.name] = textwrap.dedent(match.group(1))
    return bodies


def stub_files():
    """{relative path: the release's stub text} of the files above."""
    return {relative: strip_source((COURSE_LIB.parent / relative).read_text(), relative) for relative in FILES}


def _fill(stub, bodies):
    """`stub` with the NotImplementedError of every function in `bodies` replaced by its body."""
    tree = ast.parse(stub)
    lines = stub.splitlines(keepends=True)
    for node in sorted((node for node in tree.body if isinstance(node, ast.FunctionDef)),
                       key=lambda node: -node.lineno):
        if node.name not in bodies:
            continue
        (raise_node,) = [child for child in node.body if isinstance(child, ast.Raise)
                         and "NotImplementedError" in ast.unparse(child)]
        indent = " " * raise_node.col_offset
        body = textwrap.indent(textwrap.dedent(bodies[node.name]).strip("\n") + "\n", indent)
        lines[raise_node.lineno - 1:raise_node.end_lineno] = [body]
    return "".join(lines)


def solved_files(style):
    """{relative path: text}: the stub files with the functions above solved in `style` ("reference" or one of
    STYLES)."""
    bodies = reference_bodies() if style == "reference" else STYLES[style]
    return {relative: _fill(stub, bodies) for relative, stub in stub_files().items()}


def disguise(files, renames):
    """A copy of `files` with identifiers renamed (whole words, {old: new}) and the top-level functions of every
    file in reverse order: what a student who copies a classmate's solutions and hides it hands in."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, renames)) + r")\b")
    disguised = {}
    for relative, text in files.items():
        tree = ast.parse(text)
        lines = text.splitlines(keepends=True)
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        head = "".join(lines[:functions[0].lineno - 1])
        blocks = ["".join(lines[node.lineno - 1:node.end_lineno]).rstrip("\n") + "\n\n\n" for node in functions]
        disguised[relative] = pattern.sub(lambda match: renames[match.group(1)], head + "".join(reversed(blocks)))
    return disguised
