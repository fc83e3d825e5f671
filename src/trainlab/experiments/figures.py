"""How each experiment is drawn, as plain data: which series go in which panel, each axis's
quantity and unit, colours (:mod:`~trainlab.experiments.palette`) and line styles, and the pages a
viewer switches between. The desktop app (pyqtgraph) and the command line's PNGs (matplotlib)
both draw what :func:`describe` returns, so a figure looks the same in both, live or finished.

The rules every figure follows: loss and accuracy never share an axis, nor iterations and epochs;
accuracy axes run from 0 to 1 (``Panel.accuracy``; a viewer may zoom them all together); panels of
one ``y_group`` share their y range; legends are one per page, drawn outside the panels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from trainlab._i18n import N_, translate
from trainlab.experiments._common import smooth_curve
from trainlab.experiments.palette import color, sequence_color

__all__ = ["Mark", "Panel", "Page", "Figure", "describe", "rows", "bin_edges", "shared_labels",
           "labelled", "y_values_shown", "range_group", "y_range", "page_ranges", "drawn_values", "LOSS", "ITERATIONS", "EPOCHS",
           "ACCURACY", "words", "variant_title"]

# The axes' quantities, in English; a figure's texts are translated (context "figures") when
# describe() makes them, these with words().
LOSS = N_("figures", "loss (cross-entropy)")
ITERATIONS = N_("figures", "iterations (mini-batches)")
EPOCHS = N_("figures", "epochs (0: before training)")
ACCURACY = N_("figures", "accuracy (0–1)")
TRAIN_ACCURACY = N_("figures", "train accuracy (0–1)")
TEST_ACCURACY = N_("figures", "test accuracy (0–1)")
VALIDATION_ACCURACY = N_("figures", "validation accuracy (0–1)")
TRAIN, TEST = N_("figures", "train (solid)"), N_("figures", "test (dashed)")
NEUTRAL = "#7f7f7f"


@dataclass(frozen=True)
class Mark:
    """One series drawn in a panel. ``style``: 'line', 'points', 'path' (a line through dots) or
    'steps' (a filled histogram; x holds the bin centres). ``smooth``: the raw values faded
    under the book's ``smooth_curve``."""
    series: str
    label: str = ""
    color: str = NEUTRAL
    dash: bool = False
    style: str = "line"
    smooth: bool = False


@dataclass
class Panel:
    """One plot: title, axis labels with their units, marks and how its axes are ranged."""
    title: str
    x_label: str
    y_label: str
    marks: list = field(default_factory=list)
    x_log: bool = False
    x_range: tuple | None = None
    y_range: tuple | None = None   # fixed
    y_group: str | None = None     # panels of a group share one y range fitted to their data
    accuracy: bool = False         # y is an accuracy: 0..1, shared with every accuracy panel
    zoom: bool = False             # an accuracy panel fitted to its data by default
    background: str | None = None  # 'contour': the level sets of surface.f
    x_integer: bool = False        # x counts things (members, trials): integer ticks


@dataclass
class Page:
    """Panels in a grid of ``columns``; ``legend`` entries (label, colour, dashed) are shown
    once, outside the panels (by default the labelled marks')."""
    panels: list
    columns: int
    legend: list | None = None

    def legend_entries(self) -> list:
        if self.legend is not None:
            return self.legend
        seen = {}
        for panel in self.panels:
            for m in panel.marks:
                if m.label and m.label not in seen:
                    seen[m.label] = (m.label, m.color, m.dash)
        return list(seen.values())


@dataclass
class Figure:
    """An experiment's figure: its pages (the first is shown first) and those a PNG shows."""
    title: str
    pages: dict
    export: tuple = ()

    @property
    def export_pages(self) -> list:
        return [p for p in (self.export or tuple(self.pages)) if p in self.pages]


def describe(name: str, series, params: dict | None = None, summary: dict | None = None) -> Figure:
    """The figure of experiment ``name`` for ``series`` ({name: Series or meta dict}, or just
    the names of the series that exist so far, as a live view has them); ``summary`` (a
    finished result's) adds what the curves cannot show, such as a network that diverged."""
    metas = {n: (getattr(s, "meta", s) if isinstance(getattr(s, "meta", s), dict) else {})
             for n, s in (series.items() if isinstance(series, dict) else ((n, {}) for n in series))}
    builder = _FIGURES.get(name, _generic)
    return builder(name, metas, dict(params or {}, summary=summary or {}))


def words(text: str) -> str:
    """One of this module's constants (an axis quantity) in the user's language."""
    return translate("figures", text)


# -- the book's figures ------------------------------------------------------------------------------
def _optimizer_paths(name, metas, params):  # fig. 6-8
    names = [n for n in metas if "/" not in n]

    def panel(title, marks):
        return Panel(title, "x", "y", marks, x_range=(-10, 10), y_range=(-5, 5), background="contour")

    def mark(n, label=None):
        lr = metas[n].get("lr")
        return Mark(n, label or (f"{n} (lr {lr:g})" if lr is not None else n), color(n), style="path")

    apart = [panel(f"{n} (lr {metas[n]['lr']:g})" if "lr" in metas[n] else n, [mark(n, n)])
             for n in names]
    each, overlaid = translate("figures", "one panel each"), translate("figures", "overlaid")
    return Figure("optimizer paths on f(x, y) = x²/20 + y²", {
        each: Page(apart, 3 if len(names) > 4 else 2, legend=[]),
        overlaid: Page([panel("f(x, y) = x²/20 + y²", [mark(n) for n in names])], 1)},
        export=(each,))


def _loss_curves(name, metas, params):  # figs. 6-9 and 6-15
    labels = [n for n in metas if "/" not in n]
    marks = [Mark(n, n, color(n, i), smooth=True) for i, n in enumerate(labels)]
    title = translate("figures", "training loss (faded: per mini-batch; line: the book's smooth_curve)")
    compared = "optimizers" if name == "compare_optimizers" else "initial weights"
    return Figure(f"{compared} compared: one network, the same mini-batches",
                  {translate("figures", "loss"): Page([Panel(title, words(ITERATIONS), words(LOSS),
                                                             marks)], 1)})


def _activation_histograms(name, metas, params):  # figs. 6-10 to 6-14
    parsed = [(n, n.split("/")) for n in metas if n.count("/") == 2]
    pages = {}
    for act in dict.fromkeys(p[0] for _, p in parsed):
        inits = list(dict.fromkeys(p[1] for _, p in parsed if p[0] == act))
        layers = sorted({int(p[2][len("layer"):]) for _, p in parsed if p[0] == act})
        panels = []
        for init in inits:
            for k in layers:
                n = f"{act}/{init}/layer{k}"
                marks = [Mark(n, init, color(init, len(panels)), style="steps")] if n in metas else []
                panels.append(Panel(translate("figures", "{init} · {k}-layer").format(init=init, k=k),
                                    translate("figures", "{activation} output").format(activation=act),
                                    translate("figures", "count (activations per bin)"), marks,
                                    y_group=f"{act}/{init}"))
        pages[act] = Page(panels, max(len(layers), 1))
    return Figure("activations of 5 layers for each initial weight scale", pages)


def _scale(label: str) -> float | None:
    """The weight scale S of a sweep label 'w=S' (None for another label)."""
    try:
        return float(label.split("=", 1)[1])
    except (IndexError, ValueError):
        return None


def _diverged(params, scale: float) -> bool:
    """Whether the sweep's network without batch norm diverged at this weight scale (its curve
    ends there, so the panel says it)."""
    return any(row.get("plain_diverged") and math.isclose(row["weight_scale"], scale, rel_tol=1e-2)
               for row in params.get("summary", {}).get("per_scale", ()))


def _batchnorm_sweep(name, metas, params):  # fig. 6-19
    scales = list(dict.fromkeys(n.split("/")[1] for n in metas if n.count("/") == 2))
    styles = {"bn": (translate("figures", "Batch Normalization"), False),
              "plain": (translate("figures", "Normal (without BN)"), True)}

    def page(metric, x_label, y_label, **axes):
        panels = []
        for scale in scales:
            marks = [Mark(f"{kind}/{scale}/{metric}", label, color(kind), dash)
                     for kind, (label, dash) in styles.items() if f"{kind}/{scale}/{metric}" in metas]
            value, title = _scale(scale), scale
            if value is not None:
                title = translate("figures", "weight std {scale}").format(scale=f"{value:.2g}")
                if _diverged(params, value):
                    title = translate("figures", "{title} (Normal diverged)").format(title=title)
            panels.append(Panel(title, x_label, y_label, marks, **axes))
        return Page(panels, 4)

    accuracy = translate("figures", "train accuracy")
    return Figure("with and without batch normalization, per initial weight scale", {
        accuracy: page("train_acc", words(EPOCHS), words(TRAIN_ACCURACY), accuracy=True,
                       x_integer=True),
        translate("figures", "loss"): page("loss", words(ITERATIONS), words(LOSS), y_group="loss")},
        export=(accuracy,))


def variant_title(label: str) -> str:
    """An overfitting variant ('baseline', 'weight_decay=0.1', 'dropout=0.2') in words."""
    kind, _, value = label.partition("=")
    if kind == "weight_decay":
        return translate("figures", "weight decay λ = {value}").format(value=value)
    if kind == "dropout":
        return translate("figures", "dropout ratio {value}").format(value=value)
    return translate("figures", "baseline") if label == "baseline" else label


def _overfitting(name, metas, params):  # figs. 6-20, 6-21, 6-23
    variants = list(dict.fromkeys(n.rsplit("/", 1)[0] for n in metas if n.count("/") == 1))
    acc, loss = [], []
    train, test = words(TRAIN), words(TEST)
    for i, v in enumerate(variants):
        c = color(v, i)
        acc.append(Panel(variant_title(v), words(EPOCHS), words(ACCURACY),
                         [Mark(f"{v}/{s}_acc", lbl, c, s == "test") for s, lbl in
                          (("train", train), ("test", test)) if f"{v}/{s}_acc" in metas],
                         accuracy=True, x_integer=True))
        y_label = (translate("figures", "loss (cross-entropy + λ/2·ΣW²)")
                   if v.startswith("weight_decay") else words(LOSS))
        loss.append(Panel(translate("figures", "{variant}: training loss").format(
                              variant=variant_title(v)),
                          words(ITERATIONS), y_label,
                          [Mark(f"{v}/loss", "", c)] if f"{v}/loss" in metas else []))
    legend = [(variant_title(v), color(v, i), False) for i, v in enumerate(variants)]
    legend += [(train, NEUTRAL, False), (test, NEUTRAL, True)]
    columns = max(len(variants), 1)
    return Figure("overfitting on few samples: train and test accuracy per variant", {
        translate("figures", "accuracy and loss"): Page(acc + loss, columns, legend)})


def _ensemble(name, metas, params):
    members = [n for n in metas if n.endswith("/loss")]
    # members from the 5th colour on: blue and red are the accuracy panel's
    member = translate("figures", "member {k}")  # the series "member K/loss"
    loss = Panel(translate("figures", "training loss of each member"), words(ITERATIONS), words(LOSS),
                 [Mark(n, member.format(k=n.split("/")[0].rpartition(" ")[2]), sequence_color(i + 4))
                  for i, n in enumerate(members)])
    marks = [Mark(n, lbl, color(n), style=style) for n, lbl, style in
             (("members", translate("figures", "each member alone"), "points"),
              ("ensemble", translate("figures", "average of members 1..K"), "path")) if n in metas]
    acc = Panel(translate("figures", "test accuracy"), translate("figures", "members K"),
                words(TEST_ACCURACY), marks, accuracy=True, zoom=True, x_integer=True)
    return Figure("an ensemble of independently trained networks", {"": Page([loss, acc], 2)})


def _search(name, metas, params):  # fig. 6-24
    validation = words(VALIDATION_ACCURACY)
    best = Panel(translate("figures", "best validation accuracy so far"),
                 translate("figures", "trials finished"), validation,
                 [Mark("best_so_far", translate("figures", "best so far"), color("best so far"),
                       style="path")]
                 if "best_so_far" in metas else [], accuracy=True, x_integer=True)
    scatter = Panel(translate("figures", "every trial: its learning rate and validation accuracy"),
                    translate("figures", "learning rate (log scale)"), validation,
                    [Mark("lr_vs_val_acc", translate("figures", "one trial"), color("trials"),
                          style="points")]
                    if "lr_vs_val_acc" in metas else [], x_log=True, accuracy=True)
    top = []
    for rank, n in enumerate((n for n in metas if n.startswith("val_acc/")), 1):
        meta = metas[n]
        detail = ", ".join(f"{'wd' if k == 'weight_decay' else k} {meta[k]:.2g}"
                           for k in ("lr", "weight_decay") if isinstance(meta.get(k), float))
        trial = n.split("/", 1)[1].rpartition("-")[2]
        title = translate("figures", "Best-{rank}: trial {trial}").format(rank=rank, trial=trial)
        top.append(Panel(title + (f"<br>{detail}" if detail else ""), translate("figures", "epochs"),
                         validation, [Mark(n, translate("figures", "validation accuracy"),
                                           color("best so far"))], accuracy=True, x_integer=True))
    pages = {translate("figures", "overview"): Page([best, scatter], 2, legend=[])}
    if top:
        pages[translate("figures", "best trials")] = Page(top, 5, legend=[])
    return Figure("hyperparameter search: learning rate and weight decay", pages)


# -- any other experiment ------------------------------------------------------------------------------
# metric: (panel title, x quantity, y quantity, whether y is an accuracy)
_METRICS = {"loss": (N_("figures", "loss"), ITERATIONS, LOSS, False),
            "train_acc": (N_("figures", "train accuracy"), EPOCHS, TRAIN_ACCURACY, True),
            "test_acc": (N_("figures", "test accuracy"), EPOCHS, TEST_ACCURACY, True)}


def _generic(name, metas, params):
    """One panel per metric ('…/loss', '…/train_acc', '…/test_acc', or the series' meta kind);
    everything else in one panel of values."""
    groups: dict = {}
    for n, meta in metas.items():
        metric = n.rsplit("/", 1)[-1] if "/" in n else meta.get("kind", "value")
        metric = {"accuracy": "test_acc", "smoothed loss": "loss"}.get(metric, metric)
        label = n.rsplit("/", 1)[0] if n.endswith("/" + metric) else n
        groups.setdefault(metric, []).append((n, label))
    panels = []
    for metric, members in groups.items():
        title, x_label, y_label, accuracy = _METRICS.get(metric, (None, "x", metric, False))
        marks = [Mark(n, label, color(label, i)) for i, (n, label) in enumerate(members)]
        title = words(title) if title else metric.replace("_", " ")
        panels.append(Panel(title, words(x_label), words(y_label), marks, accuracy=accuracy))
    return Figure(name.replace("_", " "), {"": Page(panels, min(max(len(panels), 1), 3))})


_FIGURES = {"optimizer_paths": _optimizer_paths, "compare_optimizers": _loss_curves,
            "compare_weight_init": _loss_curves, "activation_histograms": _activation_histograms,
            "batchnorm_sweep": _batchnorm_sweep, "overfitting": _overfitting,
            "ensemble": _ensemble, "hyperparameter_search": _search}


def rows(page: Page) -> int:
    """The grid rows of ``page``."""
    return max(1, math.ceil(len(page.panels) / max(page.columns, 1)))


def shared_labels(page: Page) -> bool:
    """Whether ``page`` is a grid whose panels all measure the same: then each axis is labelled
    once, beside the grid, instead of on every panel."""
    return rows(page) > 1 and len({(p.x_label, p.y_label) for p in page.panels}) == 1


def labelled(page: Page, i: int) -> tuple:
    """(x, y): whether panel ``i`` of ``page`` shows its axis labels (not those a neighbour
    left of it or below it shows already, none on a grid with shared labels)."""
    if shared_labels(page):
        return False, False
    panels, columns = page.panels, max(page.columns, 1)
    panel = panels[i]
    below = panels[i + columns] if i + columns < len(panels) else None
    return (below is None or below.x_label != panel.x_label,
            i % columns == 0 or panels[i - 1].y_label != panel.y_label)


def y_values_shown(page: Page, i: int, zoom_accuracy: bool) -> bool:
    """Whether panel ``i`` shows its y tick values: not when the panel left of it shares its
    y range (they are the same numbers, as the book's grids show them once per row)."""
    columns = max(page.columns, 1)
    if i % columns == 0:
        return True
    here, left = page.panels[i], page.panels[i - 1]
    return range_group(here, i, zoom_accuracy) != range_group(left, i - 1, zoom_accuracy) \
        or here.y_range != left.y_range


def range_group(panel: Panel, key, zoom_accuracy: bool):
    """Which panels share ``panel``'s y range: every accuracy panel of the page, a ``y_group``,
    or ``key`` (the panel alone)."""
    if panel.accuracy:
        return "accuracy" if zoom_accuracy else "accuracy 0..1"
    return panel.y_group or key


def y_range(panel: Panel, values, zoom_accuracy: bool) -> tuple:
    """The y range of ``panel`` showing ``values`` (finite y of it and its group's panels):
    fixed, accuracy 0..1, or fitted — from 0 for losses and counts, as the book draws them."""
    values = np.asarray(values, dtype=np.float64)
    if panel.y_range is not None:
        return tuple(panel.y_range)
    if (panel.accuracy and not zoom_accuracy) or values.size == 0:
        return (0.0, 1.0)
    lo, hi = float(values.min()), float(values.max())
    if not panel.accuracy and lo >= 0:
        lo = 0.0
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    lo, hi = lo - 0.05 * span * (lo != 0.0), hi + 0.05 * span
    if panel.accuracy:
        lo, hi = max(0.0, lo), min(1.0, hi)
    return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) and hi > lo else (0.0, 1.0)


def page_ranges(page: Page, shown: dict, zoom_accuracy: bool) -> list:
    """The y range of each panel of ``page``; ``shown`` maps a panel's index to the finite y
    values it draws (a smoothed series' smoothed values)."""
    groups: dict = {}
    keys = [range_group(p, i, zoom_accuracy) for i, p in enumerate(page.panels)]
    for i, key in enumerate(keys):
        groups.setdefault(key, []).extend(shown.get(i, []))
    return [y_range(p, np.concatenate(groups[k]) if groups[k] else np.empty(0), zoom_accuracy)
            for p, k in zip(page.panels, keys)]


def drawn_values(mark: Mark, x, y):
    """(x, y) as ``mark`` draws them: a smoothed series' curve through the book's smooth_curve,
    the bins' edges of a histogram, no x ≤ 0 on a log axis (``x_log`` filtering is the
    caller's); y is what the range must show."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if mark.style == "steps":
        return (bin_edges(x) if y.size else x), y
    if mark.smooth and y.size:
        return x, smooth_curve(y)
    return x, y


def bin_edges(centres):
    """Edges of the uniform bins with these centres (a 'steps' mark's x)."""
    c = np.asarray(centres, dtype=np.float64)
    if c.size == 0:
        return c
    half = (c[1] - c[0]) / 2 if c.size > 1 else 0.5
    return np.r_[c - half, c[-1] + half]

