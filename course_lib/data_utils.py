"""Loading the datasets the notebooks train on.

get_CIFAR10_data() loads CIFAR-10 from the python pickle batches when they are present (run
`python datasets/get_datasets.py` once to download them), and otherwise falls back to a real dataset that
scikit-learn ships with no download: 1797 handwritten digits (8x8 grayscale, 10 classes), resized to 32x32,
scaled to CIFAR's 0..255 range and repeated over 3 channels. Both return a dict with exactly CS231n's keys and
shapes, so the notebooks run unchanged on either. The returned dict also carries `name` and `class_names`
attributes; describe_dataset(data) says in one line which dataset it holds.

Where CIFAR-10 is looked for, first match wins: the cifar10_dir argument, the environment variable
COURSE_CIFAR10_DIR, then datasets/cifar-10-batches-py in this repository.
"""

import importlib.util
import os
import pickle
from pathlib import Path

import numpy as np

CIFAR10_CLASSES = ["plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
DIGITS_CLASSES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

CIFAR10_DIR_ENV = "COURSE_CIFAR10_DIR"
DEFAULT_CIFAR10_DIR = Path(__file__).resolve().parent.parent / "datasets" / "cifar-10-batches-py"
CIFAR10_BATCH_FILES = [f"data_batch_{index}" for index in range(1, 6)] + ["test_batch"]

# The digits fallback is split once, with a fixed seed, into disjoint pools; requested sizes are clipped to them.
DIGITS_SPLIT_SEED = 0
DIGITS_VAL_POOL = 300
DIGITS_TEST_POOL = 300
IMAGE_SIZE = 32


class CourseData(dict):
    """The dict get_CIFAR10_data returns: keys X_train, y_train, X_val, y_val, X_test, y_test.

    Attributes:
    - name: "CIFAR-10" or "scikit-learn digits".
    - class_names: the names of classes 0..9.
    """

    def __init__(self, arrays, name, class_names):
        super().__init__(arrays)
        self.name = name
        self.class_names = list(class_names)


def describe_dataset(data):
    """Return one line naming the dataset in data and the sizes of its splits.

    data: the dict get_CIFAR10_data returns (or any dict with CS231n's keys, then named "unnamed data").
    """
    name = getattr(data, "name", "unnamed data")
    sizes = ", ".join(f"{key} {tuple(value.shape)}" for key, value in data.items())
    return f"{name}: {sizes}"


def load_CIFAR_batch(filename):
    """Load one CIFAR-10 python batch.

    Returns:
    - X: (N, 32, 32, 3) float64 pixel values in 0..255.
    - Y: (N,) integer labels.
    """
    with open(filename, "rb") as batch_file:
        batch = pickle.load(batch_file, encoding="bytes")
    pixels = np.asarray(batch[b"data"])  # (N, 3*32*32), channel-major
    X = pixels.reshape(-1, 3, IMAGE_SIZE, IMAGE_SIZE).transpose(0, 2, 3, 1).astype(np.float64)  # (N, 32, 32, 3)
    Y = np.asarray(batch[b"labels"])
    return X, Y


def load_CIFAR10(ROOT):
    """Load all of CIFAR-10 from the folder ROOT holding data_batch_1..5 and test_batch.

    Returns Xtr (50000, 32, 32, 3), Ytr (50000,), Xte (10000, 32, 32, 3), Yte (10000,).
    """
    train_batches = [load_CIFAR_batch(os.path.join(ROOT, f"data_batch_{index}")) for index in range(1, 6)]
    Xtr = np.concatenate([X for X, _ in train_batches])
    Ytr = np.concatenate([Y for _, Y in train_batches])
    Xte, Yte = load_CIFAR_batch(os.path.join(ROOT, "test_batch"))
    return Xtr, Ytr, Xte, Yte


def get_CIFAR10_data(num_training=49000, num_validation=1000, num_test=1000, subtract_mean=True, cifar10_dir=None):
    """Load CIFAR-10 (or the digits fallback) ready for a classifier.

    Inputs:
    - num_training, num_validation, num_test: examples in each split. The validation examples come from the
      training batches, right after the training ones. On the digits fallback they are clipped to the
      1197 / 300 / 300 images available.
    - subtract_mean: subtract the mean training image from every split.
    - cifar10_dir: folder with the CIFAR-10 python batches (see the module docstring for the default).

    Returns a CourseData dict with X_train (N_train, 3, 32, 32), y_train (N_train,), X_val, y_val, X_test,
    y_test; images are float64. It prints one line saying which dataset was loaded.
    """
    cifar10_dir = Path(cifar10_dir or os.environ.get(CIFAR10_DIR_ENV) or DEFAULT_CIFAR10_DIR)
    present = [name for name in CIFAR10_BATCH_FILES if (cifar10_dir / name).is_file()]
    if present and len(present) < len(CIFAR10_BATCH_FILES):
        missing = sorted(set(CIFAR10_BATCH_FILES) - set(present))
        raise FileNotFoundError(
            f"get_CIFAR10_data: {cifar10_dir} holds only part of CIFAR-10 (missing {missing}); "
            "delete the folder and run datasets/get_datasets.py again."
        )

    if present:
        X_train, y_train, X_test, y_test = load_CIFAR10(cifar10_dir)
        if num_training + num_validation > X_train.shape[0] or num_test > X_test.shape[0]:
            raise ValueError(
                f"get_CIFAR10_data: asked for {num_training} training + {num_validation} validation examples out "
                f"of {X_train.shape[0]} and {num_test} test examples out of {X_test.shape[0]}; ask for fewer."
            )
        splits = {
            "X_train": X_train[:num_training], "y_train": y_train[:num_training],
            "X_val": X_train[num_training:num_training + num_validation],
            "y_val": y_train[num_training:num_training + num_validation],
            "X_test": X_test[:num_test], "y_test": y_test[:num_test],
        }
        name, class_names = "CIFAR-10", CIFAR10_CLASSES
        message = (
            f"Loaded CIFAR-10 from {cifar10_dir} ({num_training} train / {num_validation} val / {num_test} test)."
        )
    else:
        splits = _digits_splits(num_training, num_validation, num_test)
        name, class_names = "scikit-learn digits", DIGITS_CLASSES
        sizes = f"{len(splits['y_train'])} train / {len(splits['y_val'])} val / {len(splits['y_test'])} test"
        requested = (num_training, num_validation, num_test)
        clipped = (len(splits["y_train"]), len(splits["y_val"]), len(splits["y_test"]))
        if clipped != requested:
            sizes += f", clipped from the {num_training} / {num_validation} / {num_test} asked for"
        message = (
            f"Loaded the embedded scikit-learn digits dataset (1797 images, resized to 3x32x32; {sizes}) because "
            f"CIFAR-10 was not found in {cifar10_dir}; run datasets/get_datasets.py to download CIFAR-10."
        )

    if subtract_mean:
        mean_image = np.mean(splits["X_train"], axis=0)
        for key in ("X_train", "X_val", "X_test"):
            splits[key] = splits[key] - mean_image
    for key in ("X_train", "X_val", "X_test"):
        splits[key] = splits[key].transpose(0, 3, 1, 2).copy()  # (N, 32, 32, 3) -> (N, 3, 32, 32)

    print(message)
    return CourseData(splits, name=name, class_names=class_names)


def _bilinear_matrix(size_in, size_out):
    """Return the (size_out, size_in) matrix that resizes a 1-D signal bilinearly (pixel centers aligned)."""
    positions = (np.arange(size_out) + 0.5) * size_in / size_out - 0.5
    positions = np.clip(positions, 0, size_in - 1)
    lower = np.floor(positions).astype(int)
    upper = np.minimum(lower + 1, size_in - 1)
    weight_upper = positions - lower
    matrix = np.zeros((size_out, size_in))
    matrix[np.arange(size_out), lower] += 1 - weight_upper
    matrix[np.arange(size_out), upper] += weight_upper
    return matrix


def load_digits_as_cifar():
    """Return scikit-learn's digits shaped like CIFAR-10 images, in their original order.

    Returns:
    - X: (1797, 32, 32, 3) float64 pixel values in 0..255 (8x8 images resized bilinearly, gray repeated on RGB).
    - y: (1797,) integer labels 0..9.
    """
    table = np.loadtxt(_sklearn_data_file("digits.csv.gz"), delimiter=",")  # (1797, 65): 64 pixels, label
    images = table[:, :-1].reshape(-1, 8, 8) * (255.0 / 16.0)  # (1797, 8, 8), 0..16 -> 0..255
    resize = _bilinear_matrix(images.shape[1], IMAGE_SIZE)  # (32, 8)
    resized = resize @ images @ resize.T  # (1797, 32, 32)
    X = np.repeat(resized[..., None], 3, axis=3)  # (1797, 32, 32, 3)
    return X, table[:, -1].astype(np.int64)


def _sklearn_data_file(name, folder="data"):
    """Path of a file scikit-learn ships (sklearn/datasets/<folder>/<name>), found without importing sklearn.

    Importing sklearn.datasets takes seconds (it pulls in scipy); the grader runs every notebook per student, so
    the file scikit-learn's own load_digits reads is read directly.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("scikit-learn is not installed: install it (pip install scikit-learn) for the "
                                "embedded dataset, or download CIFAR-10 with datasets/get_datasets.py")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / folder / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from this scikit-learn installation; reinstall scikit-learn")
    return path


def _digits_splits(num_training, num_validation, num_test):
    """Split the digits with a fixed permutation into disjoint train / val / test pools, clipped to the request."""
    X, y = load_digits_as_cifar()
    order = np.random.RandomState(DIGITS_SPLIT_SEED).permutation(len(y))
    test_pool = order[:DIGITS_TEST_POOL]
    val_pool = order[DIGITS_TEST_POOL:DIGITS_TEST_POOL + DIGITS_VAL_POOL]
    train_pool = order[DIGITS_TEST_POOL + DIGITS_VAL_POOL:]
    train, val, test = train_pool[:num_training], val_pool[:num_validation], test_pool[:num_test]
    return {
        "X_train": X[train], "y_train": y[train],
        "X_val": X[val], "y_val": y[val],
        "X_test": X[test], "y_test": y[test],
    }


def load_sample_photos(size=None):
    """Return the two color photos scikit-learn ships, for image-processing demos.

    Inputs:
    - size: when given, each photo is center-cropped to a square and resized to (size, size).

    Returns a dict {"china": (H, W, 3) uint8, "flower": (H, W, 3) uint8}; (427, 640, 3) when size is None.
    """
    from PIL import Image

    photos = {}
    for name in ("china", "flower"):
        with Image.open(_sklearn_data_file(f"{name}.jpg", folder="images")) as image:
            photo = np.asarray(image.convert("RGB"))
        if size is not None:
            height, width = photo.shape[:2]
            side = min(height, width)
            top, left = (height - side) // 2, (width - side) // 2
            square = photo[top:top + side, left:left + side]
            photo = np.asarray(Image.fromarray(square).resize((size, size), Image.BILINEAR))
        photos[name] = photo
    return photos
