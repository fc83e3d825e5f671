#!/usr/bin/env python3
"""Build the embedded Fashion-MNIST sample shipped in ``src/trainlab/data/``.

Reads the real Fashion-MNIST IDX files (by default Debian's ``dataset-fashion-mnist``
package, ``/usr/share/datasets/fashion-mnist``), picks a class-balanced subset
deterministically (600 training and 100 test images per class by default, fixed seed,
kept in the original file order) and writes

* ``src/trainlab/data/fashion_mnist_sample.npz`` -- keys ``x_train, t_train, x_test,
  t_test``, uint8, no pickled objects, deflate-compressed; zip timestamps are fixed so the
  same input gives a byte-identical file;
* ``src/trainlab/data/FASHION_MNIST_LICENSE.txt`` -- the MIT licence notice of Zalando SE.

Usage: ``python scripts/make_sample_dataset.py [--source DIR] [--train-per-class N]
[--test-per-class N] [--seed S] [--out DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
try:
    from trainlab.datasets.idx import read_idx
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(REPO / "src"))
    from trainlab.datasets.idx import read_idx

SEED = 20170825  # Fashion-MNIST's public release date
#: SHA-256 of the *decompressed* IDX content of Debian's dataset-fashion-mnist
#: 0.0~git20200523.55506a9-1.  (Debian recompresses the .gz files, so their own digests
#: differ from Zalando's originals; the uncompressed content is what matters here.)
CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

LICENSE = """\
The file fashion_mnist_sample.npz in this folder is a subset of Fashion-MNIST
(https://github.com/zalandoresearch/fashion-mnist): {n_train} training and {n_test} test
images (28x28 grey levels, uint8) with their labels, {per_train} + {per_test} per class,
chosen with scripts/make_sample_dataset.py (seed {seed}) from the original IDX files.

Fashion-MNIST is distributed under the MIT License:

The MIT License (MIT)

Copyright (c) 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def find(source: Path, stem: str) -> Path:
    for name in (f"{stem}.gz", stem):
        if (source / name).is_file():
            return source / name
    raise SystemExit(f"{source}: {stem}[.gz] not found (apt-get install dataset-fashion-mnist)")


def content_sha256(arr: np.ndarray, code: int) -> str:
    """SHA-256 of the IDX encoding of a uint8 array (what the decompressed file holds)."""
    h = hashlib.sha256(bytes([0, 0, code, arr.ndim]))
    h.update(np.array(arr.shape, dtype=">u4").tobytes())
    h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def balanced(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    picks = []
    for c in range(10):
        members = np.flatnonzero(labels == c)
        picks.append(rng.choice(members, size=per_class, replace=False))
    return np.sort(np.concatenate(picks))


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Deterministic compressed .npz (fixed zip timestamps), written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w") as zf:
            for key, arr in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, buf.getvalue(), compresslevel=9)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--out", type=Path, default=REPO / "src" / "trainlab" / "data")
    ap.add_argument("--train-per-class", type=int, default=600)
    ap.add_argument("--test-per-class", type=int, default=100)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--no-verify", action="store_true",
                    help="skip the content SHA-256 check (for other copies of the files)")
    args = ap.parse_args(argv)

    data = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x = read_idx(find(args.source, f"{prefix}-images-idx3-ubyte"), dtype=np.uint8, ndim=3)
        t = read_idx(find(args.source, f"{prefix}-labels-idx1-ubyte"), dtype=np.uint8, ndim=1)
        if not args.no_verify:
            for arr, stem, code in ((x, f"{prefix}-images-idx3-ubyte", 8),
                                    (t, f"{prefix}-labels-idx1-ubyte", 8)):
                got = content_sha256(arr, code)
                if got != CONTENT_SHA256[stem]:
                    raise SystemExit(f"{stem}: content SHA-256 {got} is not the expected "
                                     f"{CONTENT_SHA256[stem]} (use --no-verify to override)")
        data[split] = (x, t)

    rng = np.random.default_rng(args.seed)
    out = {}
    for split, per in (("train", args.train_per_class), ("test", args.test_per_class)):
        x, t = data[split]
        idx = balanced(t, per, rng)
        out[f"x_{split}"], out[f"t_{split}"] = x[idx], t[idx]

    npz = args.out / "fashion_mnist_sample.npz"
    write_npz(npz, out)
    (args.out / "FASHION_MNIST_LICENSE.txt").write_text(LICENSE.format(
        n_train=len(out["x_train"]), n_test=len(out["x_test"]),
        per_train=args.train_per_class, per_test=args.test_per_class, seed=args.seed))
    digest = hashlib.sha256(npz.read_bytes()).hexdigest()
    print(f"wrote {npz} ({npz.stat().st_size} bytes, sha256 {digest}): "
          f"{len(out['x_train'])} train + {len(out['x_test'])} test images")
    return 0


if __name__ == "__main__":
    sys.exit(main())
