"""Gzip bombs: an IDX file is inflated no further than its header promises, and a header that
promises far more data than real images compress to is refused before anything is inflated."""

from __future__ import annotations

import gzip
import struct
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pytest

from trainlab.datasets import idx, load_dataset, read_idx, write_idx


def gzip_of_zeros(path, header: bytes, n_zeros: int) -> int:
    """Write header + n_zeros zero bytes, gzip at the highest ratio deflate reaches (~1030:1)."""
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    with open(path, "wb") as out:
        out.write(co.compress(header))
        left = n_zeros
        while left:
            out.write(co.compress(chunk[:min(left, len(chunk))]))
            left -= min(left, len(chunk))
        out.write(co.flush())
    return path.stat().st_size


def images_header(n, rows=28, cols=28) -> bytes:
    return struct.pack(">BBBBIII", 0, 0, 0x08, 3, n, rows, cols)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """110,000 blank 28x28 images (86 MB) in about 84 KB: an honest header, a bomb all the same."""
    path = tmp_path_factory.mktemp("bomb") / "train-images-idx3-ubyte.gz"
    n = 110_000
    size = gzip_of_zeros(path, images_header(n), n * 28 * 28)
    assert size < 100_000
    return path


def test_bomb_is_refused_by_name_before_inflating(bomb):
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz: the header announces "
                                         r"110000x28x28 elements \(86240000 bytes\) from \d+ bytes "
                                         r"of gzip data.*likely gzip bomb") as e:
        read_idx(bomb)
    assert str(bomb) in str(e.value)


def test_bomb_costs_no_memory(bomb):
    # In a fresh process: its peak RSS (VmHWM, per process image, unlike ru_maxrss which a child
    # inherits from the parent's peak) after the refused read against the peak before it.
    script = textwrap.dedent(f"""
        import re
        from trainlab.datasets import read_idx
        def peak_kb():
            with open("/proc/self/status") as f:
                return int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))
        before = peak_kb()
        try:
            read_idx({str(bomb)!r})
        except ValueError:
            pass
        print((peak_kb() - before) // 1024)
    """)
    grown_mb = int(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                                  text=True).stdout)
    assert grown_mb < 16  # reading the bomb whole: ~86 MB


def test_bomb_in_a_dataset_folder_is_refused(bomb, tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / bomb.name).write_bytes(bomb.read_bytes())
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(110_000, np.uint8))
    write_idx(folder / "t10k-images-idx3-ubyte.gz", np.zeros((4, 28, 28), np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(4, np.uint8))
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz: .*gzip bomb"):
        load_dataset(folder, cache=False)


def test_max_ratio_none_reads_it(bomb):
    assert read_idx(bomb, max_ratio=None).shape == (110_000, 28, 28)


def test_small_and_ordinary_files_are_not_suspects(tmp_path):
    blank = tmp_path / "blank.gz"  # 2,000 blank images compress ~1000:1 but are only 1.5 MB
    write_idx(blank, np.zeros((2000, 28, 28), np.uint8))
    assert read_idx(blank).shape == (2000, 28, 28)
    noisy = tmp_path / "noisy.gz"
    rng = np.random.default_rng(0)
    write_idx(noisy, rng.integers(0, 256, (30, 28, 28), dtype=np.uint8))
    assert read_idx(noisy).shape == (30, 28, 28)


class CountingGzip(gzip.GzipFile):
    inflated = 0

    def read(self, size=-1):
        data = super().read(size)
        CountingGzip.inflated += len(data)
        return data

    def readinto(self, buffer):
        n = super().readinto(buffer)
        CountingGzip.inflated += n
        return n


def test_inflates_no_more_than_the_header_promises(tmp_path, monkeypatch):
    # The header promises 10 images; 40 MB of zeros follow in the same gzip stream.
    path = tmp_path / "lying.gz"
    gzip_of_zeros(path, images_header(10), 40 << 20)
    monkeypatch.setattr(idx.gzip, "GzipFile", CountingGzip)
    CountingGzip.inflated = 0
    with pytest.raises(ValueError, match=r"lying\.gz: oversized: more data follows the 7840 bytes"):
        read_idx(path)
    assert CountingGzip.inflated <= 16 + 7840 + 1  # header, data, one byte to see there is more
