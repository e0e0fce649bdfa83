import hashlib
import importlib.util
import io
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "datasets" / "get_datasets.py"


@pytest.fixture(scope="module")
def get_datasets():
    spec = importlib.util.spec_from_file_location("get_datasets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cifar_batch_bytes(num_images, seed):
    """A batch in CIFAR-10's python format: b'data' uint8 (N, 3072) and b'labels'."""
    rng = np.random.RandomState(seed)
    batch = {b"data": rng.randint(0, 256, size=(num_images, 3072)).astype(np.uint8),
             b"labels": rng.randint(0, 10, size=num_images).tolist()}
    return pickle.dumps(batch, protocol=2)


def add_file(archive, name, payload):
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    archive.addfile(info, io.BytesIO(payload))


def write_tiny_cifar_archive(path):
    with tarfile.open(path, "w:gz") as archive:
        for index, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
            add_file(archive, f"cifar-10-batches-py/{name}", cifar_batch_bytes(4, index))
        add_file(archive, "cifar-10-batches-py/batches.meta", pickle.dumps({b"label_names": [b"plane"] * 10}))
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_verify_md5_accepts_the_right_digest_in_any_case_and_rejects_others(get_datasets, tmp_path):
    path = tmp_path / "file.bin"
    path.write_bytes(b"cifar")
    digest = hashlib.md5(b"cifar").hexdigest()
    assert get_datasets.verify_md5(path, digest)
    assert get_datasets.verify_md5(path, digest.upper())
    assert not get_datasets.verify_md5(path, "0" * 32)
    assert not get_datasets.verify_md5(tmp_path / "missing.bin", digest)


def test_extract_unpacks_regular_members_into_the_destination(get_datasets, tmp_path):
    archive_path = tmp_path / "ok.tar"
    with tarfile.open(archive_path, "w") as archive:
        add_file(archive, "folder/a.txt", b"alpha")
    get_datasets.extract(archive_path, tmp_path / "out")
    assert (tmp_path / "out" / "folder" / "a.txt").read_bytes() == b"alpha"


@pytest.mark.parametrize("evil_name, reason", [
    ("../escaped.txt", "'..' in path"),
    ("folder/../../escaped.txt", "'..' in path"),
    ("/tmp/absolute.txt", "absolute path"),
])
def test_extract_refuses_archives_whose_members_escape_the_destination(get_datasets, tmp_path, evil_name, reason):
    archive_path = tmp_path / "evil.tar"
    with tarfile.open(archive_path, "w") as archive:
        add_file(archive, "harmless.txt", b"ok")
        add_file(archive, evil_name, b"gotcha")
    with pytest.raises(ValueError, match=reason):
        get_datasets.extract(archive_path, tmp_path / "out")
    assert not (tmp_path / "out" / "harmless.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_extract_refuses_symbolic_links(get_datasets, tmp_path):
    archive_path = tmp_path / "link.tar"
    with tarfile.open(archive_path, "w") as archive:
        link = tarfile.TarInfo("passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    with pytest.raises(ValueError, match="link"):
        get_datasets.extract(archive_path, tmp_path / "out")


def test_main_downloads_verifies_and_extracts_then_does_nothing_the_second_time(get_datasets, tmp_path, capsys):
    source = tmp_path / "source" / "cifar-10-python.tar.gz"
    source.parent.mkdir()
    md5 = write_tiny_cifar_archive(source)
    dest = tmp_path / "datasets"

    assert get_datasets.main(["--dest", str(dest), "--url", source.as_uri(), "--md5", md5]) == 0
    folder = dest / "cifar-10-batches-py"
    assert sorted(path.name for path in folder.iterdir()) == sorted(get_datasets.CIFAR10_BATCH_FILES)
    assert not (dest / "cifar-10-python.tar.gz").exists()

    assert get_datasets.main(["--dest", str(dest), "--url", "file:///nowhere/at/all.tar.gz", "--md5", md5]) == 0
    assert "already" in capsys.readouterr().out


def test_main_rejects_a_download_with_the_wrong_md5_and_deletes_it(get_datasets, tmp_path, capsys):
    source = tmp_path / "cifar-10-python.tar.gz"
    write_tiny_cifar_archive(source)
    dest = tmp_path / "datasets"
    assert get_datasets.main(["--dest", str(dest), "--url", source.as_uri(), "--md5", "0" * 32]) == 1
    assert "expected 00000000000000000000000000000000" in capsys.readouterr().err
    assert not (dest / "cifar-10-python.tar.gz").exists()
    assert not (dest / "cifar-10-batches-py").exists()


def test_main_explains_what_to_do_when_the_download_fails(get_datasets, tmp_path, capsys):
    missing = (tmp_path / "offline" / "cifar-10-python.tar.gz").as_uri()
    assert get_datasets.main(["--dest", str(tmp_path / "datasets"), "--url", missing]) == 1
    error = capsys.readouterr().err
    assert "Could not download" in error and "embedded digits dataset" in error
    assert not any((tmp_path / "datasets").iterdir())


def test_default_destination_is_the_folder_data_utils_reads(get_datasets):
    from course_lib import data_utils

    assert get_datasets.DEFAULT_DEST / get_datasets.CIFAR10_FOLDER == data_utils.DEFAULT_CIFAR10_DIR
