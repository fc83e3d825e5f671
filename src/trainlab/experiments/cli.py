"""``trainlab run NAME|all`` and ``trainlab list``: the registered experiments on the command line.

Each experiment's options are made from its registry entry (its keyword defaults): ``batch_size``
becomes ``--batch-size``; a tuple default takes a comma-separated list, a bool ``--x/--no-x``.
Options not given are not passed, so the experiment's own defaults (the book's settings) apply.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from trainlab.cli import COMMANDS, load_data
from trainlab.experiments import EXPERIMENTS
from trainlab.experiments import plots


def parse_optional(text: str):
    """For options whose default is None: a number if it reads as one, 'none' for None, else text."""
    if text.lower() == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _list_of(kind):
    def parse(text: str):
        try:
            return tuple(kind(v.strip()) for v in text.split(",") if v.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {kind.__name__}, "
                                             f"got {text!r}") from None
    parse.__name__ = f"list of {kind.__name__}"
    return parse


def _option_kwargs(default) -> dict:
    if isinstance(default, bool):
        return {"action": argparse.BooleanOptionalAction}
    if isinstance(default, (int, float, str)):
        return {"type": type(default)}
    if isinstance(default, (tuple, list)):
        return {"type": _list_of(type(default[0]) if default else str)}
    return {"type": parse_optional}  # None, dicts ('k=v,k=v' strings are accepted by experiments)


def _common_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default="default",
                   help="mnist, fashion-mnist, sample, a folder of IDX files, or default "
                        "(MNIST if available, else Fashion-MNIST, else the embedded sample)")
    p.add_argument("--dtype", choices=["float32", "float64"], default=argparse.SUPPRESS,
                   help="floating-point type (each experiment's default otherwise)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="trainlab-results", help="folder for the JSON, CSV and PNG files")
    p.add_argument("--no-plot", action="store_true", help="write JSON and CSV only")
    p.add_argument("--threads", type=int, default=None,
                   help="BLAS threads (1 is fastest on a busy machine with few cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no table")


def _run_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="experiment", required=True, metavar="NAME",
                           help="an experiment from 'trainlab list', or all")
    for spec in EXPERIMENTS.values():
        ep = sub.add_parser(spec.name, help=spec.description, description=spec.description,
                            aliases=[spec.name.replace("_", "-")] if "_" in spec.name else [])
        _common_args(ep)
        for name, default in spec.defaults.items():
            shown = ",".join(map(str, default)) if isinstance(default, (tuple, list)) else default
            ep.add_argument("--" + name.replace("_", "-"), dest=name, default=argparse.SUPPRESS,
                            help=f"{spec.param_help.get(name, '')} (default: {shown})",
                            **_option_kwargs(default))
    _common_args(sub.add_parser("all", help="every experiment with its defaults (the whole chapter)"))


def _progress_bar(name: str, quiet: bool):
    """A tqdm bar and the experiment's ``progress`` callback that drives it."""
    from tqdm import tqdm

    bar = tqdm(desc=name, total=None, disable=quiet, unit="step", leave=True, file=sys.stderr,
               dynamic_ncols=True)

    def progress(done, total, info):
        if bar.total != total:
            bar.total = total
        shown = {k: (f"{v:.3g}" if isinstance(v, float) else v) for k, v in list(info.items())[:3]}
        bar.set_postfix(shown, refresh=False)
        bar.update(done - bar.n)  # tqdm redraws at most every mininterval
    return bar, progress


def _run(args) -> int:
    names = list(EXPERIMENTS) if args.experiment == "all" else [args.experiment.replace("-", "_")]
    if args.threads is not None:
        from trainlab import set_num_threads
        set_num_threads(args.threads)
    data = dataset = None
    if any(EXPERIMENTS[n].needs_data for n in names):
        data, dataset = load_data(args.dataset, quiet=args.quiet)
    out = Path(args.out)
    can_plot = not args.no_plot and plots.matplotlib_available()
    if not args.no_plot and not can_plot:
        print(f"trainlab run: {plots.INSTALL_HINT}; writing JSON and CSV only", file=sys.stderr)
    rows = []
    for name in names:
        spec = EXPERIMENTS[name]
        options = {k: getattr(args, k) for k in spec.defaults if hasattr(args, k)}
        if hasattr(args, "dtype"):
            options["dtype"] = args.dtype
        bar, progress = _progress_bar(name, args.quiet)
        start = time.perf_counter()
        try:
            call = (spec.run(data, **options, seed=args.seed, progress=progress) if spec.needs_data
                    else spec.run(**options, seed=args.seed, progress=progress))
        finally:
            bar.close()
        seconds = time.perf_counter() - start
        files = call.save(out)
        if can_plot:
            files["png"] = plots.save_figure(call, out / f"{name}.png")
        rows.append((name, seconds, call.summary.get("headline", ""), files))
        if not args.quiet:
            print(f"{name}: " + ", ".join(str(p) for p in files.values()), file=sys.stderr)
    if not args.quiet:
        _print_table(rows, dataset)
    return 0


def _print_table(rows, dataset) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{'experiment':<{width}}  {'seconds':>8}  result" + (f"  (data: {dataset})" if dataset else ""))
    print(f"{'-' * width}  {'-' * 8}  {'-' * 40}")
    for name, seconds, headline, _ in rows:
        print(f"{name:<{width}}  {seconds:8.1f}  {headline}")
    if len(rows) > 1:
        print(f"{'total':<{width}}  {sum(r[1] for r in rows):8.1f}")


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--brief", action="store_true", help="names and descriptions only")


def _list(args) -> int:
    for spec in EXPERIMENTS.values():
        print(f"{spec.name}\n    {spec.description}")
        if not args.brief:
            options = " ".join(f"--{k.replace('_', '-')}="
                               + (",".join(map(str, v)) if isinstance(v, (tuple, list)) else str(v))
                               for k, v in spec.defaults.items())
            print(f"    options: {options}")
    return 0


COMMANDS["run"] = ("run a chapter-6 experiment (or all): progress bar, JSON, CSV and PNG files",
                   _run_args, _run)
COMMANDS["list"] = ("list the experiments and their options", _list_args, _list)
