import pickle

import numpy as np
import pytest

from course_lib import data_utils

CS231N_KEYS = ["X_train", "y_train", "X_val", "y_val", "X_test", "y_test"]


def write_cifar_batch(path, num_images, seed):
    """Write a batch in CIFAR-10's python format and return its (data, labels)."""
    rng = np.random.RandomState(seed)
    data = rng.randint(0, 256, size=(num_images, 3072)).astype(np.uint8)
    labels = rng.randint(0, 10, size=num_images).tolist()
    with open(path, "wb") as batch_file:
        pickle.dump({b"data": data, b"labels": labels, b"batch_label": b"test"}, batch_file, protocol=2)
    return data, labels


@pytest.fixture
def tiny_cifar_dir(tmp_path):
    """Five training batches of 6 images and a test batch of 5, in CIFAR-10's format."""
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for index in range(1, 6):
        write_cifar_batch(folder / f"data_batch_{index}", 6, index)
    write_cifar_batch(folder / "test_batch", 5, 0)
    return folder


@pytest.fixture
def no_cifar(tmp_path, monkeypatch):
    """A CIFAR-10 folder that does not exist, also through the environment variable."""
    missing = tmp_path / "no-cifar-here"
    monkeypatch.setenv(data_utils.CIFAR10_DIR_ENV, str(missing))
    return missing


def test_load_cifar_batch_returns_images_as_height_width_channel_floats(tmp_path):
    data, labels = write_cifar_batch(tmp_path / "batch", 3, 0)
    X, Y = data_utils.load_CIFAR_batch(tmp_path / "batch")
    assert X.shape == (3, 32, 32, 3) and X.dtype == np.float64
    assert list(Y) == labels
    # The flat rows hold the red plane, then green, then blue, each row-major.
    assert list(X[1, 0, 0]) == [data[1, 0], data[1, 1024], data[1, 2048]]
    assert X[2, 1, 2, 1] == data[2, 1024 + 1 * 32 + 2]


def test_load_cifar10_concatenates_the_five_training_batches(tiny_cifar_dir):
    Xtr, Ytr, Xte, Yte = data_utils.load_CIFAR10(tiny_cifar_dir)
    assert Xtr.shape == (30, 32, 32, 3) and Ytr.shape == (30,)
    assert Xte.shape == (5, 32, 32, 3) and Yte.shape == (5,)
    X5, _ = data_utils.load_CIFAR_batch(tiny_cifar_dir / "data_batch_5")
    assert np.array_equal(Xtr[24:], X5)


def test_get_cifar10_data_splits_transposes_and_subtracts_the_training_mean(tiny_cifar_dir, capsys):
    data = data_utils.get_CIFAR10_data(20, 5, 4, cifar10_dir=tiny_cifar_dir)
    assert list(data) == CS231N_KEYS
    assert data["X_train"].shape == (20, 3, 32, 32) and data["X_val"].shape == (5, 3, 32, 32)
    assert data["X_test"].shape == (4, 3, 32, 32) and data["y_val"].shape == (5,)
    Xtr, Ytr, Xte, _ = data_utils.load_CIFAR10(tiny_cifar_dir)
    mean_image = Xtr[:20].mean(axis=0).transpose(2, 0, 1)
    assert np.allclose(data["X_val"] + mean_image, Xtr[20:25].transpose(0, 3, 1, 2))
    assert np.allclose(data["X_test"] + mean_image, Xte[:4].transpose(0, 3, 1, 2))
    assert np.allclose(data["X_train"].mean(axis=0), 0)
    assert np.array_equal(data["y_val"], Ytr[20:25])
    assert data.name == "CIFAR-10" and data.class_names[0] == "plane"
    assert capsys.readouterr().out == f"Loaded CIFAR-10 from {tiny_cifar_dir} (20 train / 5 val / 4 test).\n"


def test_get_cifar10_data_finds_cifar_through_the_environment_variable(tiny_cifar_dir, monkeypatch):
    monkeypatch.setenv(data_utils.CIFAR10_DIR_ENV, str(tiny_cifar_dir))
    data = data_utils.get_CIFAR10_data(10, 2, 3, subtract_mean=False)
    assert data.name == "CIFAR-10"
    assert data["X_train"].max() > 200


def test_get_cifar10_data_refuses_more_examples_than_cifar_holds(tiny_cifar_dir):
    with pytest.raises(ValueError, match="ask for fewer"):
        data_utils.get_CIFAR10_data(29, 5, 4, cifar10_dir=tiny_cifar_dir)


def test_get_cifar10_data_refuses_a_folder_with_only_some_batches(tiny_cifar_dir):
    (tiny_cifar_dir / "test_batch").unlink()
    with pytest.raises(FileNotFoundError, match=r"missing \['test_batch'\].*get_datasets.py"):
        data_utils.get_CIFAR10_data(cifar10_dir=tiny_cifar_dir)


def test_fallback_loads_the_digits_in_cifar_shapes_and_says_so_in_one_line(no_cifar, capsys):
    data = data_utils.get_CIFAR10_data()
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert printed.startswith("Loaded the embedded scikit-learn digits dataset (1797 images, resized to 3x32x32; ")
    assert "1197 train / 300 val / 300 test, clipped from the 49000 / 1000 / 1000 asked for" in printed
    assert f"CIFAR-10 was not found in {no_cifar}; run datasets/get_datasets.py" in printed
    assert list(data) == CS231N_KEYS
    assert data["X_train"].shape == (1197, 3, 32, 32) and data["y_train"].shape == (1197,)
    assert data["X_val"].shape == (300, 3, 32, 32) and data["X_test"].shape == (300, 3, 32, 32)
    assert data.name == "scikit-learn digits" and data.class_names == data_utils.DIGITS_CLASSES
    assert set(np.unique(data["y_train"])) == set(range(10))
    assert np.allclose(data["X_train"].mean(axis=0), 0)


def test_fallback_images_are_gray_digits_scaled_to_cifar_pixel_values(no_cifar):
    data = data_utils.get_CIFAR10_data(num_training=100, num_validation=10, num_test=10, subtract_mean=False)
    X = data["X_train"]
    assert X.shape == (100, 3, 32, 32)
    assert X.min() >= 0 and X.max() <= 255 and X.max() > 250
    assert np.array_equal(X[:, 0], X[:, 1]) and np.array_equal(X[:, 0], X[:, 2])


def test_fallback_resize_keeps_each_digits_mean_brightness(no_cifar):
    from sklearn.datasets import load_digits

    X, y = data_utils.load_digits_as_cifar()
    digits = load_digits()
    assert np.array_equal(y, digits.target)
    original_means = digits.images.mean(axis=(1, 2)) * 255 / 16
    # Bilinear resizing by 4 with clamped borders keeps the mean up to the border pixels' weight.
    assert np.allclose(X[..., 0].mean(axis=(1, 2)), original_means, rtol=0.1, atol=2)
    assert np.allclose(data_utils._bilinear_matrix(8, 32).sum(axis=1), 1)


def test_fallback_split_is_fixed_and_requests_take_prefixes_of_it(no_cifar):
    full = data_utils.get_CIFAR10_data(subtract_mean=False)
    small = data_utils.get_CIFAR10_data(num_training=50, num_validation=20, num_test=30, subtract_mean=False)
    assert np.array_equal(small["X_train"], full["X_train"][:50])
    assert np.array_equal(small["y_val"], full["y_val"][:20])
    assert np.array_equal(small["X_test"], full["X_test"][:30])


def test_fallback_leaves_numpys_global_random_state_alone(no_cifar):
    np.random.seed(0)
    expected = np.random.rand(3)
    np.random.seed(0)
    data_utils.get_CIFAR10_data(num_training=10, num_validation=10, num_test=10)
    assert np.array_equal(np.random.rand(3), expected)


def test_describe_dataset_names_the_dataset_and_the_split_shapes(no_cifar):
    data = data_utils.get_CIFAR10_data(num_training=10, num_validation=5, num_test=5)
    assert data_utils.describe_dataset(data) == (
        "scikit-learn digits: X_train (10, 3, 32, 32), y_train (10,), X_val (5, 3, 32, 32), y_val (5,), "
        "X_test (5, 3, 32, 32), y_test (5,)"
    )
    assert data_utils.describe_dataset({"X_train": np.zeros((2, 4))}) == "unnamed data: X_train (2, 4)"


def test_load_sample_photos_returns_the_two_scikit_learn_photos_as_uint8():
    photos = data_utils.load_sample_photos()
    assert list(photos) == ["china", "flower"]
    assert all(photo.shape == (427, 640, 3) and photo.dtype == np.uint8 for photo in photos.values())
    square = data_utils.load_sample_photos(size=64)
    assert all(photo.shape == (64, 64, 3) and photo.dtype == np.uint8 for photo in square.values())
    assert abs(square["china"].mean() - photos["china"][:, 106:533].mean()) < 3


def test_embedded_digits_read_directly_equal_scikit_learns_load_digits():
    from sklearn.datasets import load_digits

    from course_lib.data_utils import load_digits_as_cifar

    digits = load_digits()
    X, y = load_digits_as_cifar()
    np.testing.assert_array_equal(y, digits.target)
    # The 8x8 corner pixel of each image survives the bilinear resize at the 32x32 corner (scaled to 0..255).
    np.testing.assert_allclose(X[:, 0, 0, 0], digits.images[:, 0, 0] * 255.0 / 16.0)
    np.testing.assert_allclose(X[:, -1, -1, 2], digits.images[:, -1, -1] * 255.0 / 16.0)
