"""One colour per optimizer, weight initialisation and setting, wherever it is drawn: the desktop
app's views and the command line's PNGs take their colours from here, so "Adam" is the same red
in the optimizer paths, the loss curves and the exported figure.

The four optimizers of the book's figure 6-9 keep the colours its script draws them in
(matplotlib's default cycle: blue, orange, green, red); the other names get hues of their own.
Every colour is mid-dark, so it reads on a white and on a dark background alike. Labels that name
nothing known (runs, ensemble members, trials) take :data:`SEQUENCE` in order: 20 colours before
one repeats.
"""
from __future__ import annotations

__all__ = ["NAMED", "SEQUENCE", "color", "sequence_color"]

NAMED = {
    # optimizers (the book's fig. 6-9 order first)
    "sgd": "#1f77b4", "momentum": "#ff7f0e", "adagrad": "#2ca02c", "adam": "#d62728",
    "nesterov": "#9467bd", "rmsprop": "#8c564b",
    # weight initialisations (figs. 6-10 to 6-15)
    "std=1": "#b8860b", "std=0.01": "#7f7f7f", "xavier": "#17a2b8", "he": "#e377c2",
    # batch normalization (fig. 6-19: the book's blue and orange)
    "bn": "#1f77b4", "batch normalization": "#1f77b4", "plain": "#ff7f0e",
    "normal (without bn)": "#ff7f0e",
    # the overfitting cures (figs. 6-20, 6-21, 6-23)
    "baseline": "#7f7f7f", "weight_decay": "#9467bd", "dropout": "#2ca02c",
    # what a search finds (fig. 6-24) and ensembles
    "best so far": "#d62728", "trials": "#7f7f7f", "ensemble": "#d62728", "members": "#1f77b4",
    # activation functions
    "sigmoid": "#1f77b4", "tanh": "#ff7f0e", "relu": "#2ca02c",
}

SEQUENCE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#b8860b", "#17a2b8", "#393b79", "#637939", "#8c6d31", "#843c39",
            "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"]


def _key(label: str) -> str:
    key = str(label).strip().lower()
    if key.startswith("w=") or key.startswith("std="):  # a weight scale: 'std=1.0' as 'std=1'
        try:
            return f"std={float(key.split('=', 1)[1]):g}"
        except ValueError:
            return key
    if key in NAMED:
        return key
    head = key.split("=", 1)[0].strip()  # 'weight_decay=0.1' is a weight decay setting
    return head if head in NAMED else key


def color(label: str, index: int = 0) -> str:
    """The colour of ``label`` ('Adam', 'He', 'std=0.01', 'weight_decay=0.1', 'dropout=0.2',
    'bn', …; case does not matter), or ``sequence_color(index)`` for a label that names
    nothing known."""
    return NAMED.get(_key(label), sequence_color(index))


def sequence_color(index: int) -> str:
    """The ``index``-th colour for things that have no colour of their own (runs, members)."""
    return SEQUENCE[int(index) % len(SEQUENCE)]
