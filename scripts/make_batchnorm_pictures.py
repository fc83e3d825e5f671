#!/usr/bin/env python3
"""Draw the documentation's pictures of the batch-norm graph from the library itself.

Writes, for the example batch of :func:`trainlab.explain.example_batch`,

* ``docs/figures/batchnorm_graph_forward.png``, ``…_step3.png``, ``…_done.png`` -- the
  matplotlib figures of :func:`trainlab.explain.batchnorm_figure.draw_batchnorm_graph` at the
  forward stage, at backward step 3 (x̂) and at the end;
* ``docs/screenshots/batchnorm_graph.png`` -- the app's *Batch-norm graph* view at step 3,
  in a 1400 x 860 window (Qt's offscreen platform; needs the ``gui`` extra).

Usage: ``python scripts/make_batchnorm_pictures.py [--out DOCS_DIR] [--no-screenshot]``
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

STEP = 3  # x̂ = xc · (1/σ): one gradient goes on elementwise, one is summed over the batch


def figures(out: Path) -> None:
    from trainlab.explain import batchnorm_graph, example_batch
    from trainlab.explain.batchnorm_figure import draw_batchnorm_graph

    x, gamma, beta, dout = example_batch()
    graph = batchnorm_graph(x, dout, gamma, beta)
    for name, stage in (("forward", 0), (f"step{STEP}", STEP), ("done", len(graph.steps) + 1)):
        path = out / "figures" / f"batchnorm_graph_{name}.png"
        # three columns for the page's width; twice the pixels for sharp text on any screen
        # (the forward figure without the explanation: dout is in the output's box already)
        draw_batchnorm_graph(graph, stage, layout="tall", with_text=stage > 0).savefig(path, dpi=200)
        print(path)


def screenshot(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from trainlab_gui.app import application
    from trainlab_gui.main_window import MainWindow

    app = application([])
    window = MainWindow()
    window.resize(1400, 860)
    view = window.views["batchnorm_graph"]
    window.tabs.setCurrentWidget(view)
    window.show()
    app.processEvents()
    view.set_stage(STEP)
    app.processEvents()
    path = out / "screenshots" / "batchnorm_graph.png"
    window.grab().save(str(path))
    window.close()
    print(path)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    p.add_argument("--no-screenshot", action="store_true", help="only the matplotlib figures")
    args = p.parse_args()
    figures(args.out)
    if not args.no_screenshot:
        screenshot(args.out)


if __name__ == "__main__":
    main()
