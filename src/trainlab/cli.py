"""The ``trainlab`` command line.

``trainlab train`` trains one network of the chapter (its options are the settings of
:class:`trainlab.engine.RunSpec` and the optimizers' hyperparameters); ``trainlab run NAME|all``
and ``trainlab list`` run the chapter's experiments; ``trainlab gui`` opens the desktop lab when
it is installed.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from trainlab.engine import RunSpec, optimizer_hyperparameters, parse_setting
from trainlab.experiments.commands import commands as experiment_commands
from trainlab.optim import OPTIMIZERS, SCHEDULES

# name -> (help, add_arguments(parser), run(args) -> exit code)
COMMANDS: dict = {}

TRAIN_EXAMPLE = ("example: trainlab train --dataset sample --optimizer momentum --lr 0.05 "
                 "--momentum 0.8 --epochs 3 --batchnorm")


def _setting_type(key: str):
    """An argparse type for a RunSpec setting: the engine's parser, errors as argparse's."""
    def parse(text):
        try:
            field, value = parse_setting(key, text)
            return value[key] if field == "hyperparameters" else value
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = key
    return parse


def _train_args(p: argparse.ArgumentParser) -> None:
    p.epilog = TRAIN_EXAMPLE
    p.add_argument("--spec", metavar="RUN.json", help="start from a saved run spec (options given "
                   "here change it)")
    p.add_argument("--save-spec", metavar="RUN.json", help="write the run spec (with the changes "
                   "made while training) to this file")
    for f in dataclasses.fields(RunSpec):
        if f.name in ("hyperparameters", "changes"):
            continue
        flag = "--" + f.name.replace("_", "-")
        help_text = f.metadata["help"]
        if f.name == "schedule":
            help_text += " as NAME:key=value,...: " + "; ".join(
                f"{n}" + (f" ({', '.join(c.hyperparameters())})" if c.hyperparameters() else "")
                for n, c in SCHEDULES.items())
        if isinstance(f.default, bool):
            p.add_argument(flag, dest=f.name, action="store_true", default=argparse.SUPPRESS,
                           help=help_text)
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
        if default not in (None, ""):
            help_text += f" (default: {shown})"
        p.add_argument(flag, dest=f.name, type=_setting_type(f.name), default=argparse.SUPPRESS,
                       metavar=f.name.upper(), choices=f.metadata["choices"], help=help_text)
    for name, (h, owners) in optimizer_hyperparameters().items():
        defaults = sorted({str(OPTIMIZERS[o].hyperparameters()[name].default) for o in owners})
        p.add_argument("--" + name.replace("_", "-"), dest=f"hyper_{name}", type=_setting_type(name),
                       default=argparse.SUPPRESS, metavar=name.upper(),
                       help=f"{h.help} of {', '.join(owners)} (default: {' / '.join(defaults)})")
    p.add_argument("--quiet", action="store_true", help="print only the final accuracy")


def spec_from_args(args) -> RunSpec:
    """The RunSpec the options describe (from ``--spec`` if given); ValueError naming a bad one."""
    base = RunSpec()
    if getattr(args, "spec", None):
        with open(args.spec, encoding="utf-8") as f:
            base = RunSpec.from_json(f.read())
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(RunSpec) if hasattr(args, f.name)}
    hyper = {k[len("hyper_"):]: v for k, v in vars(args).items() if k.startswith("hyper_")}
    optimizer = given.get("optimizer", base.optimizer)
    if optimizer != base.optimizer:
        base = base.replace(hyperparameters={})  # another optimizer's values do not carry over
    owners = optimizer_hyperparameters()
    for name in hyper:
        if optimizer not in owners[name][1]:
            raise ValueError(f"--{name.replace('_', '-')} is a hyperparameter of "
                             f"{', '.join(owners[name][1])}, not of {optimizer}")
    return base.replace(**given, hyperparameters={**base.hyperparameters, **hyper})


def _run_train(args) -> int:
    from trainlab.engine import build, load_data

    spec = spec_from_args(args)  # every setting checked before any data loads
    loaded = load_data(spec.dataset, progress=not args.quiet)
    if loaded.message and not args.quiet:
        print(loaded.message, file=sys.stderr)
    trainer = build(spec, (loaded.train, loaded.test))
    if not args.quiet:
        print(f"{spec.label()} on {loaded.name}: {trainer.max_iter} steps of {spec.batch_size}")

        def on_epoch(tr, info):
            losses = tr.train_loss_list
            loss = f"{losses[-1]:.4f}" if losses else "   -  "
            print(f"epoch {info['epoch']:3d}  step {info['iteration']:6d}  loss {loss}  "
                  f"train acc {info['train_acc']:.4f}  test acc {info['test_acc']:.4f}", flush=True)
        trainer.add_callback("epoch", on_epoch)
    start = time.perf_counter()
    test_acc = trainer.train()
    elapsed = time.perf_counter() - start
    steps = trainer.current_iter
    print(f"final test accuracy {test_acc:.4f}  ({steps} steps in {elapsed:.2f} s, "
          f"{1e3 * elapsed / max(steps, 1):.3f} ms/step incl. evaluation)")
    if args.save_spec:
        with open(args.save_spec, "w", encoding="utf-8") as f:
            f.write(spec.replace(changes=trainer.changes).to_json())
    if trainer.stop_reason:
        print(f"stopped: {trainer.stop_reason}", file=sys.stderr)
        return 1
    return 0


COMMANDS["train"] = ("train one multi-layer network and report loss and accuracy per epoch",
                     _train_args, _run_train)
COMMANDS.update(experiment_commands())


def _gui_entry_point():
    """The desktop lab's main function, found through its installed entry point (the library
    does not import the app)."""
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="gui_scripts") if ep.name == "trainlab-gui"]
    return found[0].load() if found else None


def _gui_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("options", nargs=argparse.REMAINDER, help="options of trainlab-gui "
                   "(trainlab gui --help lists them)")


def _run_gui(args) -> int:
    why = ""
    try:
        gui_main = _gui_entry_point()
    except ImportError as exc:
        gui_main, why = None, f" ({exc})"
    if gui_main is None:
        print(f"trainlab gui: the desktop lab is not installed{why}; install it with "
              "pip install 'trainlab[gui]'", file=sys.stderr)
        return 2
    return gui_main(args.options)


COMMANDS["gui"] = ("open the desktop lab: live curves, histograms, optimizer paths, experiments, "
                   "search (needs trainlab[gui])", _gui_args, _run_gui)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["gui"]:  # everything after 'gui' is the app's, --help included
        return COMMANDS["gui"][2](argparse.Namespace(options=argv[1:]))
    if argv[:1] == ["run"] and len(argv) > 1 and not argv[1].startswith("-"):
        # compare-optimizers is compare_optimizers
        argv[1] = argv[1].replace("-", "_")
    parser = argparse.ArgumentParser(prog="trainlab", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_, add_arguments, _) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_, description=help_,
                                     formatter_class=argparse.RawDescriptionHelpFormatter))
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command][2](args)
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"trainlab {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
