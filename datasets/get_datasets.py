"""Download CIFAR-10 (python version) into this folder, so that data_utils.get_CIFAR10_data loads it.

    python datasets/get_datasets.py            # into datasets/cifar-10-batches-py
    python datasets/get_datasets.py --dest DIR # into DIR/cifar-10-batches-py

The archive (about 163 MB) is checked against its published MD5, extracted with every member checked to stay
inside the destination, and then deleted. Running it again does nothing once the batches are there. Without
network access it stops with a message; the notebooks then run on the embedded digits dataset instead.
"""

import argparse
import hashlib
import os
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_FOLDER = "cifar-10-batches-py"
CIFAR10_BATCH_FILES = [f"data_batch_{index}" for index in range(1, 6)] + ["test_batch", "batches.meta"]
DEFAULT_DEST = Path(__file__).resolve().parent


def file_md5(path):
    """Return the hex MD5 digest of the file at path."""
    digest = hashlib.md5()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_md5(path, md5):
    """Return True when the file at path exists and its MD5 digest is md5 (hex, any case)."""
    return Path(path).is_file() and file_md5(path) == md5.lower()


def _unsafe_reason(member, dest):
    """Return why a tar member would land outside dest, or None when it is safe."""
    name = member.name
    if name.startswith(("/", "\\")) or os.path.isabs(name) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if ".." in Path(name).parts:
        return "'..' in path"
    if not (dest / name).resolve().is_relative_to(dest):
        return "path outside the destination"
    if member.issym() or member.islnk():
        return "link"
    if not (member.isfile() or member.isdir()):
        return "not a regular file or folder"
    return None


def extract(tar_path, dest):
    """Extract the tar archive at tar_path into dest, refusing it whole if any member could escape dest.

    Members with absolute paths, '..' components, links or special files are rejected with a ValueError that
    names them; nothing is extracted then.
    """
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tar_path, "r:*") as archive:
        members = archive.getmembers()
        unsafe = [(member.name, reason) for member in members if (reason := _unsafe_reason(member, dest))]
        if unsafe:
            raise ValueError(f"extract: refusing {tar_path}; unsafe members: {unsafe}")
        archive.extractall(dest, members=members, filter="data")


def download(url, path):
    """Download url to path through a temporary file, so that an interrupted download leaves nothing behind."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as stream:
            while block := response.read(1 << 20):
                stream.write(block)
    except (urllib.error.URLError, OSError) as error:
        partial.unlink(missing_ok=True)
        raise RuntimeError(
            f"Could not download {url} ({error}). Check the network connection, or download the file by hand "
            f"into {path.parent} and run this script again. Without CIFAR-10 the notebooks use the embedded digits "
            "dataset."
        ) from error
    partial.replace(path)


def batches_present(folder):
    """Return True when folder holds every CIFAR-10 python batch file."""
    return all((Path(folder) / name).is_file() for name in CIFAR10_BATCH_FILES)


def get_cifar10(dest=DEFAULT_DEST, url=CIFAR10_URL, md5=CIFAR10_MD5):
    """Make sure dest/cifar-10-batches-py holds CIFAR-10; download and extract it when needed. Return the folder."""
    dest = Path(dest)
    folder = dest / CIFAR10_FOLDER
    if batches_present(folder):
        print(f"CIFAR-10 is already in {folder}.")
        return folder
    dest.mkdir(parents=True, exist_ok=True)
    archive = dest / Path(url).name
    if not verify_md5(archive, md5):
        print(f"Downloading {url} to {archive} ...")
        download(url, archive)
        if not verify_md5(archive, md5):
            actual = file_md5(archive)
            archive.unlink()
            raise RuntimeError(
                f"{archive} has MD5 {actual}, expected {md5}; the download is corrupt and was deleted. Run again."
            )
    extract(archive, dest)
    if not batches_present(folder):
        raise RuntimeError(f"{archive} did not contain {CIFAR10_FOLDER}/ with {CIFAR10_BATCH_FILES}.")
    archive.unlink()
    print(f"CIFAR-10 is ready in {folder}.")
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="folder to put cifar-10-batches-py in")
    parser.add_argument("--url", default=CIFAR10_URL, help="where to download the archive from")
    parser.add_argument("--md5", default=CIFAR10_MD5, help="expected MD5 of the archive")
    args = parser.parse_args(argv)
    try:
        get_cifar10(args.dest, args.url, args.md5)
    except (RuntimeError, ValueError) as error:
        print(f"get_datasets: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
