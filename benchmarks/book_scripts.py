"""(l) The book's own chapter-6 scripts end to end: each run as written (the book's ``common/``) and
with its imports changed to trainlab, in fresh processes, alternated.

    python -m benchmarks --cases book_scripts --book-dir PATH [--book-scripts a,b]

PATH is a checkout of oreilly-japan/deep-learning-from-scratch (or TRAINLAB_BOOK_DIR). The
scripts are read from there and rewritten into a temporary folder for each run; nothing of the
book is kept. Both sides load the data with trainlab's loader (``dataset.mnist`` downloads a
pickle; here MNIST, else Fashion-MNIST, is read from local IDX files), figures go to the Agg
backend, and the scripts' printing goes to a pipe.
"""
from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

from .scripts import child_env, run_timed

# The chapter's scripts that use the book's library (weight_init_activation_histogram.py uses
# NumPy only).
SCRIPTS = ("optimizer_compare_naive", "optimizer_compare_mnist", "weight_init_compare",
           "batch_norm_test", "batch_norm_gradient_check", "overfit_weight_decay", "overfit_dropout",
           "hyperparameter_optimization")

# Module of the book -> module of trainlab, as README's "Coming from the book" table maps them.
_MODULES = {"common.multi_layer_net": "trainlab", "common.multi_layer_net_extend": "trainlab",
            "common.optimizer": "trainlab.optim", "common.trainer": "trainlab",
            "common.layers": "trainlab.layers"}
# Names of the book's common/util.py -> where trainlab has them.
_UTIL = {"smooth_curve": "trainlab.experiments", "shuffle_dataset": "trainlab.datasets"}
# The loader each dataset name stands for (trainlab.datasets); both sides use it.
_LOADERS = {"mnist": "load_mnist", "fashion-mnist": "load_fashion_mnist", "sample": "load_sample"}

_FROM = re.compile(r"^(\s*)from\s+([\w.]+)\s+import\s+(.+?)\s*$")


def add_options(parser) -> None:
    parser.add_argument("--book-dir", metavar="PATH", default=os.environ.get("TRAINLAB_BOOK_DIR"),
                        help="checkout of the book's repository, for the book_scripts case "
                             "(default: $TRAINLAB_BOOK_DIR)")
    parser.add_argument("--book-scripts", default=",".join(SCRIPTS), metavar="NAMES",
                        help="comma-separated ch06 scripts for the book_scripts case (default: all that use the "
                             "book's library)")


def rewrite(source: str, dataset: str, to_trainlab: bool) -> str:
    """The script with ``dataset.mnist`` replaced by trainlab's loader of ``dataset`` and, if
    to_trainlab, the book's library replaced by trainlab. ValueError names an import it cannot map."""
    lines = []
    for line in source.splitlines():
        match = _FROM.match(line)
        if not match or not match.group(2).startswith(("common", "dataset")):
            lines.append(line)
            continue
        indent, module, names = match.groups()
        if module == "dataset.mnist":
            if names != "load_mnist":
                raise ValueError(f"cannot rewrite {line.strip()!r}")
            lines.append(f"{indent}from trainlab.datasets import {_LOADERS[dataset]} as load_mnist")
        elif not to_trainlab:
            lines.append(line)
        elif module in _MODULES:
            if names == "*":
                # the book's modules import numpy as np, and `import *` hands np on to the script
                lines.append(f"{indent}import numpy as np")
            lines.append(f"{indent}from {_MODULES[module]} import {names}")
        elif module == "common.util" and all(n.strip() in _UTIL for n in names.split(",")):
            lines += [f"{indent}from {_UTIL[n.strip()]} import {n.strip()}" for n in names.split(",")]
        else:
            raise ValueError(f"cannot rewrite {line.strip()!r} to trainlab")
    return "\n".join(lines) + "\n"


def book_scripts(roof, opts):
    """(l) Each script's wall time, the book's code against trainlab's (default settings)."""
    if not opts.book_dir or not (Path(opts.book_dir) / "ch06").is_dir():
        print(f"book_scripts: skipped: no ch06/ in --book-dir / TRAINLAB_BOOK_DIR ({opts.book_dir!r}); point it "
              "at a checkout of oreilly-japan/deep-learning-from-scratch", file=sys.stderr)
        return []
    from .scripts import real_digits

    book = Path(opts.book_dir).resolve()
    dataset = real_digits(1)[0]
    rounds = 1 if opts.quick else 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="trainlab-book-") as tmp:
        # the book's scripts put os.pardir on sys.path to find common/: a ch06 folder next to a
        # link to the book's common/ keeps that working from the temporary folder
        (Path(tmp) / "ch06").mkdir()
        (Path(tmp) / "common").symlink_to(book / "common", target_is_directory=True)
        for name in [n for n in opts.book_scripts.split(",") if n]:
            rows.append(_one_script(book / "ch06" / f"{name}.py", Path(tmp) / "ch06", dataset, rounds))
    return rows


def _one_script(path: Path, folder: Path, dataset: str, rounds: int) -> dict:
    row = {"case": f"(l) book script {path.stem}", "dtype": "float32", "trainlab_ms": None, "notes": []}
    try:
        source = path.read_text(encoding="utf-8")
        variants = {"book": rewrite(source, dataset, False), "trainlab": rewrite(source, dataset, True)}
    except (OSError, ValueError) as exc:
        row["notes"].append(f"not run: {exc}")
        return row
    walls = {side: [] for side in variants}
    for _ in range(rounds):
        for side, text in variants.items():
            script = folder / f"{side}_{path.name}"
            script.write_text(text, encoding="utf-8")
            try:
                walls[side].append(run_timed([sys.executable, script.name], cwd=folder, env=child_env(),
                                             timeout=3600)[0])
            except RuntimeError as exc:
                row["notes"].append(f"{side}: {exc}")
                return row
            finally:
                script.unlink()
    row.update(trainlab_ms=statistics.median(walls["trainlab"]),
               reference_f64_ms=statistics.median(walls["book"]))
    row["notes"].append(f"end to end (start to exit), {dataset}, median of {rounds} fresh processes each")
    return row


CASES = {"book_scripts": book_scripts}
