"""The app in Korean and Japanese: the language from ``--lang`` or the system's locale, the window's
texts translated (the app's own, the library's help and figure texts, Qt's standard buttons),
no English word left in any widget, plot or tooltip but the book's names, and the scripted mode
in either language."""
import json
import re
import subprocess
import sys

import gui_setup  # noqa: F401  (offscreen Qt, skips without PySide6/pyqtgraph/pytest-qt)
import pyqtgraph as pg
import pytest
from gui_setup import gui_env, shown
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDialogButtonBox, QDockWidget, QLabel,
                               QLineEdit, QSpinBox, QTableWidget, QTabWidget, QTreeWidget, QWidget)

from trainlab.engine import RunSpec
from trainlab_gui.language import current, install, system_language, uninstall
from trainlab_gui.main_window import MainWindow

pytestmark = pytest.mark.timeout(180)

EXPECTED = {  # a few texts of each source, as the translations have them
    "ko": {"title": "trainlab — 6장 학습 관련 기술들 실습", "tab": "학습 곡선", "lr": "학습률",
           "epochs help": "학습할 에폭 수", "loss axis": "손실 (교차 엔트로피 오차)",
           "menu": "파일(&F)", "cancel": "취소", "forward": "순전파"},
    "ja": {"title": "trainlab — 6章「学習に関するテクニック」の実験室", "tab": "学習曲線",
           "lr": "学習係数", "epochs help": "学習するエポック数",
           "loss axis": "損失（交差エントロピー誤差）", "menu": "ファイル(&F)", "cancel": "キャンセル",
           "forward": "順伝播"},
}
# Names a learner reads as the book and the command line write them: optimizers, activation
# functions, initial weights, datasets, formats and libraries, symbols of the formulas.
NAMES = {
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "relu", "sigmoid", "tanh", "he",
    "xavier", "affine", "float32", "float64", "mnist", "fashion", "idx", "default", "sample",
    "batch", "normalization", "norm", "weight", "decay", "dropout", "ema", "png", "csv", "json",
    "sqlite", "optuna", "pytorch", "dask", "tcp", "host", "trainlab", "numpy", "reference", "tpe",
    "gp", "bayes", "random", "staged", "none", "median", "successive_halving", "hyperband",
    "successive", "halving", "lr", "wd", "std", "dw", "log", "dout", "dx", "out", "var", "xc", "ctrl",
    "return", "shift", "best", "store", "db", "runs", "plot", "he", "normal", "bn", "min_lr",
    "total_steps", "explain", "batchnorm_graph", "e-6", "l2", "step", "exponential", "cosine",
}


def _visible_texts(window) -> list:
    """(where, text) of every text a learner reads in the window: widgets and their tooltips,
    menus and toolbar, tabs, table headers, combo items, plot titles, axis labels, legends."""
    out = []
    for w in [window, *window.findChildren(QWidget)]:
        name = type(w).__name__
        texts = [w.toolTip()]
        if isinstance(w, QLabel):
            texts.append(w.text())
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QSpinBox):
            texts.append(w.specialValueText())
        if isinstance(w, QDockWidget):
            texts.append(w.windowTitle())
        if isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QTreeWidget):
            texts += [w.headerItem().text(i) for i in range(w.columnCount())]
        if isinstance(w, QTableWidget):
            texts += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount())
                      if w.horizontalHeaderItem(i) is not None]
        if isinstance(w, pg.GraphicsLayoutWidget):
            for item in w.scene().items():
                if isinstance(item, pg.PlotItem):
                    texts.append(item.titleLabel.text)
                    texts += [item.getAxis(a).labelText for a in ("left", "bottom")]
                elif isinstance(item, pg.LabelItem):
                    texts.append(item.text)
                elif isinstance(item, pg.TextItem):
                    texts.append(item.toPlainText())
        out += [(name, t) for t in texts if t]
    for action in window.menuBar().actions():
        out.append(("menu", action.text()))
        out += [("menu", a.text()) for a in action.menu().actions()] + \
               [("menu", a.toolTip()) for a in action.menu().actions()]
    out.append(("window", window.windowTitle()))
    return out


def _english_words(text: str) -> list:
    text = re.sub(r"<[^>]+>", " ", text)  # rich text's tags
    text = re.sub(r"\{[^}]*\}|[A-Za-z]+\d+|\d+[A-Za-z]+", " ", text)  # placeholders, W1, 1e-3
    return [w for w in re.findall(r"[A-Za-z_]{2,}", text) if w.lower() not in NAMES]


@pytest.fixture(params=["ko", "ja"])
def language(request, qapp):
    yield install(qapp, request.param)
    uninstall(qapp)


@pytest.fixture
def window(qtbot, language):
    w = shown(qtbot, MainWindow(), (1400, 860))
    yield w
    w.close()  # ends the training processes and the views' workers


def test_the_window_speaks_the_language(window, language):
    expected = EXPECTED[language]
    assert current() == language
    assert window.windowTitle() == expected["title"]
    assert window.tabs.tabText(0) == expected["tab"]
    assert window.menuBar().actions()[0].text() == expected["menu"]
    assert window.panel.labels["lr"].text() == expected["lr"]  # the app's form
    assert window.panel.editors["epochs"].widget.toolTip() == expected["epochs help"]  # RunSpec's help
    assert window.views["curves"].loss_plot.getAxis("left").labelText == expected["loss axis"]  # figures
    assert window.views["batchnorm_graph"].stage_label.text() == expected["forward"]
    assert window.views["batchnorm_graph"].explanation_text().startswith(expected["forward"])  # explain
    buttons = QDialogButtonBox(QDialogButtonBox.Cancel)  # Qt's own texts, from its qtbase catalogue
    assert buttons.button(QDialogButtonBox.Cancel).text() == expected["cancel"]


def test_no_english_word_is_left_but_the_books_names(window, qtbot):
    window.tabs.setCurrentWidget(window.views["search"])
    for tab in range(window.tabs.count()):  # every view drawn once
        window.tabs.setCurrentIndex(tab)
        window.redraw()
    window.panel.editors["optimizer"].widget.setCurrentText("rmsprop")  # its own rows, a schedule
    window.panel.schedule_box.setCurrentIndex(2)
    left = [f"{where}: {text!r} {words}" for where, text in _visible_texts(window)
            if (words := _english_words(text))]
    assert not left, "\n".join(left)


def test_a_run_and_its_settings_in_the_language(window, qtbot, language):
    """A run trained in the language: its status, the status bar and the side-by-side settings."""
    rec = window.session.start(RunSpec(dataset="sample", hidden=(20,), train_size=300, epochs=1,
                                       batch_size=100))
    qtbot.waitUntil(lambda: rec.status == "finished", timeout=60000)
    window.runs.tree.selectAll()
    window._status()
    texts = [window.statusBar().currentMessage(), window.runs.tree.topLevelItem(0).text(1),
             *[window.runs.compare.verticalHeaderItem(r).text() for r in range(window.runs.compare.rowCount())]]
    assert texts[1] == {"ko": "완료", "ja": "完了"}[language]
    left = [t for t in texts if _english_words(t.replace(rec.name, ""))]
    assert not left, left


@pytest.mark.parametrize("lang, locale", [("ko", "ko_KR.UTF-8"), ("ja", "ja_JP.UTF-8"), ("en", "de_DE.UTF-8")])
def test_the_system_locale_chooses_the_language(lang, locale):
    env = dict(gui_env(), LANG=locale, LC_ALL="", LANGUAGE="")
    code = "from trainlab_gui.language import system_language; print(system_language())"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=True).stdout.strip() == lang
    assert system_language() in ("en", "ko", "ja")


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_scripted_mode_in_the_language(tmp_path, lang):
    """``trainlab-gui --lang``: the run trains, the screenshot and the report are written (the
    report's keys and view names stay the command line's)."""
    cmd = [sys.executable, "-m", "trainlab_gui", "--lang", lang, "--run", "demo", "--dataset", "sample",
           "--set", "epochs=1", "--set", "train_size=500", "--until-done", "--view", "batchnorm_graph",
           "--screenshot", str(tmp_path / "shot.png"), "--report", str(tmp_path / "report.json")]
    subprocess.run(cmd, env=gui_env(), check=True, timeout=150, capture_output=True)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["status"] == "finished" and report["view"] == "Batch-norm graph"
    assert (tmp_path / "shot.png").stat().st_size > 10000


def test_an_unknown_language_is_refused(qapp):
    proc = subprocess.run([sys.executable, "-m", "trainlab_gui", "--lang", "fr"], env=gui_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--lang" in proc.stderr and "invalid choice: 'fr'" in proc.stderr
    with pytest.raises(ValueError, match="language must be one of en, ko, ja, got 'fr'"):
        install(qapp, "fr")
    assert current() == "en"
