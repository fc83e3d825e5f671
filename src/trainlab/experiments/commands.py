"""``trainlab run NAME|all`` and ``trainlab list``: the registered experiments on the command line.

Each experiment's options are made from its registry entry (its keyword defaults, parsed by
:meth:`ExperimentSpec.parse_option`): ``batch_size`` becomes ``--batch-size``; a tuple default
takes a comma-separated list, a bool ``--x/--no-x``. Options not given are not passed, so the
experiment's own defaults (the book's settings) apply. An experiment checks its options before
it loads any data.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from trainlab.engine import DATASET_HELP
from trainlab.experiments import plots, run_experiment
from trainlab.experiments.base import EXPERIMENTS, ExperimentSpec, _shown

__all__ = ["commands"]

def _option_type(spec: ExperimentSpec, name: str):
    def parse(text):
        try:
            return spec.parse_option(name, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = name
    return parse


def _common_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default="default", help=DATASET_HELP)
    p.add_argument("--dtype", choices=["float32", "float64"], default=argparse.SUPPRESS,
                   help="floating-point type (each experiment's default otherwise)")
    p.add_argument("--seed", type=int, default=0, help="seed of weights and batches (default: 0)")
    p.add_argument("--out", default="trainlab-results",
                   help="folder for the JSON, CSV and PNG files (default: trainlab-results)")
    p.add_argument("--no-plot", action="store_true", help="write JSON and CSV only")
    p.add_argument("--threads", type=int, default=None,
                   help="training threads (1 is fastest on a busy machine with few cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no table")


def _run_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="experiment", required=True, metavar="NAME",
                           help="an experiment from 'trainlab list', or all")
    for spec in EXPERIMENTS.values():
        ep = sub.add_parser(spec.name, help=spec.description, description=spec.description,
                            epilog="example: " + spec.example(),
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        _common_args(ep)
        for name, default in spec.defaults.items():
            help_text = spec.param_help.get(name, "")
            if default is not None:
                help_text += f" (default: {_shown(default)})"
            flag = "--" + name.replace("_", "-")
            if isinstance(default, bool):
                ep.add_argument(flag, dest=name, default=argparse.SUPPRESS, help=help_text,
                                action=argparse.BooleanOptionalAction)
            else:
                ep.add_argument(flag, dest=name, default=argparse.SUPPRESS, help=help_text,
                                metavar=name.upper(), type=_option_type(spec, name))
    _common_args(sub.add_parser("all", help="every experiment with its defaults (the whole chapter)"))


def _data_loader(name: str, quiet: bool):
    """A callable that loads the dataset once, when an experiment asks for it."""
    from trainlab.engine import load_data

    loaded = {}

    def load():
        if "data" not in loaded:
            data = load_data(name, progress=not quiet)
            if data.message and not quiet:
                print(data.message, file=sys.stderr)
            loaded["data"], loaded["name"] = (data.train, data.test), data.name
        return loaded["data"]
    return load, loaded


def _run(args) -> int:
    names = list(EXPERIMENTS) if args.experiment == "all" else [args.experiment]
    if args.threads is not None:
        from trainlab import set_num_threads
        set_num_threads(args.threads)
    load, loaded = _data_loader(args.dataset, args.quiet)
    out = Path(args.out)
    can_plot = not args.no_plot and plots.matplotlib_available()
    if not args.no_plot and not can_plot:
        print(f"trainlab run: {plots.INSTALL_HINT}; writing JSON and CSV only", file=sys.stderr)
    rows, status = [], 0
    for name in names:
        options = {k: getattr(args, k) for k in EXPERIMENTS[name].defaults if hasattr(args, k)}
        if hasattr(args, "dtype"):
            options["dtype"] = args.dtype
        start = time.perf_counter()
        call = run_experiment(name, load, **options, seed=args.seed, progress=not args.quiet)
        seconds = time.perf_counter() - start
        files = call.save(out)
        if can_plot:
            files["png"] = plots.save_figure(call, out / f"{name}.png", dataset=loaded.get("name"))
        rows.append((name, seconds, call.summary.get("headline", ""), files))
        if not args.quiet:
            print(f"{name}: " + ", ".join(str(p) for p in files.values()), file=sys.stderr)
        if call.summary.get("error"):  # the files hold what was computed; the run still failed
            print(f"trainlab run: {name}: {call.summary['error']}", file=sys.stderr)
            status = 1
    if not args.quiet:
        _print_table(rows, loaded.get("name"))
    return status


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
            options = " ".join(f"--{k.replace('_', '-')}={_shown(v)}" for k, v in spec.defaults.items())
            print(f"    options: {options}")
    return 0


def commands() -> dict:
    """The 'run' and 'list' sub-commands: name -> (help, add_arguments, run)."""
    return {"run": ("run a chapter-6 experiment (or all): progress bar, JSON, CSV and PNG files",
                    _run_args, _run),
            "list": ("list the experiments and their options", _list_args, _list)}
