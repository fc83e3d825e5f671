"""The library's texts go through the installed translator (the app installs Qt's), English by
default: figure titles and axes, the batch-norm graph's explanations, help texts marked with
``N_``; placeholders are filled after translation; the library stays Qt-free."""
import subprocess
import sys

import numpy as np
import pytest

from trainlab import _i18n
from trainlab._i18n import N_, translate


@pytest.fixture
def tagged():
    """A translator that tags every text with its context, as a translation would change it."""
    seen = []

    def translator(context, text):
        seen.append((context, text))
        return f"<{context}>{text}"

    _i18n.set_translator(translator)
    yield seen
    _i18n.set_translator(None)


def test_english_without_a_translator_and_marks_return_their_text():
    assert translate("figures", "loss") == "loss"
    assert N_("RunSpec", "epochs to train") == "epochs to train"


def test_an_empty_translation_falls_back_to_english():
    _i18n.set_translator(lambda context, text: "")
    try:
        assert translate("figures", "loss") == "loss"
    finally:
        _i18n.set_translator(None)


def test_figures_are_described_in_the_translators_words(tagged):
    from trainlab.experiments.figures import ITERATIONS, LOSS, describe, words

    fig = describe("batchnorm_sweep", ["bn/w=1.00e+00/train_acc", "plain/w=1.00e+00/train_acc"])
    page = fig.pages["<figures>train accuracy"]
    assert page.panels[0].title == "<figures>weight std {scale}".format(scale="1")
    assert page.panels[0].y_label == "<figures>train accuracy (0–1)"
    assert [m.label for m in page.panels[0].marks] == ["<figures>Batch Normalization",
                                                       "<figures>Normal (without BN)"]
    assert fig.export_pages == ["<figures>train accuracy"]  # the page names it exports match
    assert words(LOSS) == "<figures>loss (cross-entropy)" and ITERATIONS == "iterations (mini-batches)"


def test_the_batchnorm_graph_explains_itself_in_the_translators_words(tagged):
    from trainlab.explain import batchnorm_graph, example_batch
    from trainlab.explain.batchnorm_picture import check_text, picture, step_text

    x, gamma, beta, dout = example_batch()
    graph = batchnorm_graph(x, dout, gamma, beta)
    assert step_text(graph, 0)[0].startswith("<explain>Forward pass")
    headline = step_text(graph, 3)[0]
    assert headline.startswith("<explain>Step 3 of 9, at x̂ = ") and "(<explain>elementwise)" in headline
    assert check_text(graph).startswith("<explain>") and "{" not in check_text(graph)
    assert picture(graph, 0)["mu"].lines[0][0] == "μ = <explain>mean over the batch"


def test_help_texts_are_marked_for_the_translation_tools():
    """Help texts stay English in the library (N_ only marks them); whoever shows them translates
    them in their context."""
    from trainlab.engine import RunSpec
    from trainlab.optim import Adam

    assert RunSpec.__dataclass_fields__["epochs"].metadata["help"] == "epochs to train"
    assert Adam.hyperparameters()["beta1"].help == "decay of the first moment"


def test_text_width_counts_wide_characters_twice():
    from trainlab.explain.batchnorm_picture import format_matrix, text_width

    assert text_width("상류 dx̂") == 7 and text_width("局所的な微分") == 12
    assert text_width(format_matrix(np.eye(2))[0]) == len(format_matrix(np.eye(2))[0])


def test_the_library_imports_no_qt():
    code = ("import sys, trainlab, trainlab.experiments.figures, trainlab.explain, trainlab._i18n; "
            "print(any(m.startswith(('PySide', 'PyQt')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
