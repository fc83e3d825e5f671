"""The chapter as notebooks (examples/*.ipynb): stored without outputs, each one runs from top to
bottom in a fresh kernel without an error or a warning, results display as figure + table (and
figures made without pyplot as pictures), and a LivePlot grows one figure in place while training
runs (checked on the kernel's messages and on the notebook nbclient saves)."""
import base64
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("ipywidgets")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
KERNEL = "trainlab-test"
CELL_TIMEOUT = 240  # seconds; every notebook runs in well under a minute on 2 cores


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernel spec that runs this interpreter (not whatever 'python3' a machine registers),
    offline, one training thread, matplotlib's inline backend."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    env = {"TRAINLAB_OFFLINE": "1", "TRAINLAB_NUM_THREADS": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "trainlab tests", "language": "python", "env": env}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root), old]))
    yield KERNEL
    if old is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = old


class RecordingClient(nbclient.NotebookClient):
    """Keeps every LivePlot figure message (first display and each in-place update) in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_messages = []

    def process_message(self, msg, cell, cell_index):
        content = msg.get("content", {})
        if msg["msg_type"] in ("display_data", "update_display_data") and \
                "trainlab" in (content.get("metadata") or {}):
            self.figure_messages.append({
                "cell": cell_index, "type": msg["msg_type"],
                "display_id": (content.get("transient") or {}).get("display_id"),
                "png": content["data"]["image/png"], **content["metadata"]["trainlab"]})
        return super().process_message(msg, cell, cell_index)


def _execute(nb, kernel, workdir):
    client = RecordingClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel,
                             resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return client


def test_one_notebook_per_section():
    names = [p.name for p in NOTEBOOKS]
    assert names == ["01_parameter_updates.ipynb", "02_weight_initialization.ipynb",
                     "03_batch_normalization.ipynb", "04_regularization.ipynb",
                     "05_hyperparameter_search.ipynb"]
    for k, path in enumerate(NOTEBOOKS, start=1):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown" and first.source.startswith(f"# 6.{k} "), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name}: clear the outputs before committing (cell {cell.source[:40]!r})"
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, kernel, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    client = _execute(nb, kernel, tmp_path)   # CellExecutionError names the cell that failed
    nbformat.write(nb, copy)
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    warnings = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not warnings, f"{path.name} printed to stderr:\n" + "\n".join(warnings)
    as_text = [o for o in outputs if o.output_type == "execute_result" and "image/png" not in o.data
               and o.data.get("text/plain", "").startswith("<Figure size")]
    assert not as_text, f"{path.name}: a figure displayed as text, not as a picture"
    results = [o for o in outputs if o.output_type == "execute_result" and "text/html" in o.data
               and "trainlab-result" in o.data["text/html"]]
    assert results, f"{path.name} displays no experiment result"
    for result in results:   # the figure and the summary table
        assert "image/png" in result.data and "<table>" in result.data["text/html"]
    for output in (o for o in outputs if "trainlab" in o.get("metadata", {})):
        frames = [m for m in client.figure_messages if m["png"] == output.data["image/png"]]
        assert frames, f"{path.name}: a saved live figure matches none of the kernel's messages"
        display = [m for m in client.figure_messages if m["display_id"] == frames[-1]["display_id"]]
        assert display[-1]["png"] == output.data["image/png"], "the saved frame is not the last"


LIVE_CELLS = [
    """
import time
from trainlab import MultiLayerNetExtend, Trainer
from trainlab.datasets import load_dataset
from trainlab.notebook import LivePlot
from trainlab.optim import SGD, Adam

(x_train, t_train), (x_test, t_test) = load_dataset("sample")
models = {"SGD": (MultiLayerNetExtend(784, [50, 50], 10, seed=0), SGD(lr=0.05)),
          "Adam": (MultiLayerNetExtend(784, [50, 50], 10, seed=0), Adam(lr=0.001))}
deadline = time.perf_counter() + 6.0   # as many steps as 6 s allow, on any machine
trainer = Trainer(models, x_train[:2000], t_train[:2000], x_test[:500], t_test[:500], epochs=1000,
                  mini_batch_size=100, verbose=False, seed=0, evaluate="epochs",
                  should_stop=lambda: time.perf_counter() > deadline)
live = LivePlot("live test", interval=0.1)
live.attach(trainer)
trainer.train();
""",
    """
import json
sent = sum(len(run.train_loss_list) + len(run.train_acc_list) + len(run.test_acc_list)
           for run in trainer.models.values())
print(json.dumps({"sent": sent, "redraws": live.redraws}))
""",
]


def test_live_plot_grows_in_place(kernel, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source.strip()) for source in LIVE_CELLS]
    client = _execute(nb, kernel, tmp_path)
    report = json.loads(nb.cells[1].outputs[0].text)
    messages = [m for m in client.figure_messages if m["cell"] == 0]
    assert len(messages) >= 3, messages
    # one display, then updates of that same display: the figure is replaced, never appended
    assert [m["type"] for m in messages] == ["display_data"] + ["update_display_data"] * (len(messages) - 1)
    assert len({m["display_id"] for m in messages}) == 1
    points = [m["points"] for m in messages]
    assert points == sorted(set(points)), f"the figure did not grow: {points}"
    assert [m["redraws"] for m in messages] == list(range(1, len(messages) + 1))
    assert messages[0]["png"] != messages[-1]["png"]
    assert points[-1] == report["sent"], "the last frame misses points"
    assert report["redraws"] == len(messages)
    # the saved notebook: one figure (the last frame), a progress bar, nothing else
    outputs = nb.cells[0].outputs
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) == 1 and figures[0].data["image/png"] == messages[-1]["png"]
    assert figures[0].metadata["trainlab"]["points"] == report["sent"]
    assert len(outputs) <= 2, [o.output_type for o in outputs]
    assert base64.b64decode(figures[0].data["image/png"]).startswith(b"\x89PNG")
