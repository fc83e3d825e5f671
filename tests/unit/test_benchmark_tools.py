"""The benchmarks' helpers that decide what is measured: the rewriting of the book's scripts, the
reading of ``-X importtime``, the spinning neighbour's lifetime and the table's peer lines."""
import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's benchmarks/ package

from benchmarks import workers  # noqa: E402
from benchmarks.report import markdown, print_table  # noqa: E402
from benchmarks.book_scripts import rewrite  # noqa: E402
from benchmarks.conditions import spinning_neighbour  # noqa: E402
from benchmarks.startup import parse_importtime  # noqa: E402

SCRIPT = """\
import sys, os
sys.path.append(os.pardir)
import matplotlib.pyplot as plt
from dataset.mnist import load_mnist
from common.util import smooth_curve, shuffle_dataset
from common.multi_layer_net import MultiLayerNet
from common.optimizer import *
x = np.arange(3)
"""


def test_rewrite_maps_the_books_imports_to_trainlab():
    out = rewrite(SCRIPT, "fashion-mnist", to_trainlab=True)
    assert "from trainlab.datasets import load_fashion_mnist as load_mnist" in out
    assert "from trainlab.experiments import smooth_curve" in out
    assert "from trainlab.datasets import shuffle_dataset" in out
    assert "from trainlab import MultiLayerNet" in out
    # the book's `import *` hands numpy on as np; the script relies on it
    assert "import numpy as np\nfrom trainlab.optim import *" in out
    assert "common" not in out.replace("sys.path.append(os.pardir)", "")
    compile(out, "script", "exec")


def test_rewrite_for_the_book_changes_only_the_loader():
    out = rewrite(SCRIPT, "mnist", to_trainlab=False)
    assert "from trainlab.datasets import load_mnist as load_mnist" in out
    assert "from common.multi_layer_net import MultiLayerNet" in out
    assert "from common.optimizer import *" in out


def test_rewrite_names_an_import_it_cannot_map():
    with pytest.raises(ValueError, match="common.gradient"):
        rewrite("from common.gradient import numerical_gradient\n", "mnist", to_trainlab=True)


def test_parse_importtime_finds_each_modules_importer():
    stderr = ("import time: self [us] | cumulative | imported package\n"
              "import time:       100 |        100 |       scipy._lib\n"
              "import time:       200 |        300 |     scipy.linalg\n"
              "import time:        10 |        310 |   trainlab._ext._net\n"
              "import time:        50 |         50 |   numpy\n"
              "import time:         5 |        365 | trainlab.networks\n")
    got = {name: (parent, self_ms, cumulative_ms) for name, parent, self_ms, cumulative_ms in parse_importtime(stderr)}
    assert got["scipy._lib"] == ("scipy.linalg", 0.1, 0.1)
    assert got["scipy.linalg"][0] == "trainlab._ext._net"
    assert got["trainlab._ext._net"][0] == "trainlab.networks"
    assert got["numpy"][0] == "trainlab.networks"
    assert got["trainlab.networks"] == (None, 0.005, 0.365)


def test_the_spinning_neighbour_is_gone_after_its_block_even_on_error():
    with pytest.raises(KeyError):
        with spinning_neighbour(max_seconds=30) as proc:
            assert proc.poll() is None  # spinning
            raise KeyError("the row failed")
    assert proc.poll() is not None


def test_table_shows_peers_with_ratios_and_reasons():
    out = io.StringIO()
    print_table([{"case": "(a) step", "dtype": "float32", "trainlab_ms": 0.5, "reference_f64_ms": 2.0,
                  "peers": {"jax scan": 0.75, "torch.compile": "did not compile: no compiler"},
                  "notes": ["a note"]},
                 {"case": "(l) book script x", "dtype": "float32", "trainlab_ms": None,
                  "notes": ["trainlab: failed: ValueError"]}], out=out)
    text = out.getvalue()
    assert "jax scan 0.750 ms (x 1.50), torch.compile: did not compile: no compiler" in text
    assert "4.000" in text and "a note" in text and "trainlab: failed: ValueError" in text


def test_markdown_table_has_one_line_per_row_and_the_notes_below():
    out = io.StringIO()
    markdown([{"case": "(a) step", "dtype": "float32", "trainlab_ms": 0.5, "reference_f64_ms": 2.0,
               "spread": 0.4, "peers": {"jax scan": 0.75}, "notes": ["a note"]}], out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| case | dtype | trainlab ms")
    assert lines[2] == "| (a) step | float32 | 0.500 (noisy) | 2.000 | - | 4.000 | - | - | jax scan 0.750 ms (x 1.50) |"
    assert lines[-1] == "- (a) step (float32): a note"


def test_unknown_peers_are_refused():
    with pytest.raises(ValueError, match="tensorflow"):
        workers.select(["jax", "tensorflow"])
