"""The ``trainlab`` command line.

``trainlab train``: train one network of the chapter on a dataset and print its curve summary.
``trainlab run NAME|all`` and ``trainlab list``: the chapter's experiments (``experiments/cli.py``).
Sub-commands register themselves in ``COMMANDS`` (name -> (help, add_arguments, run)).
"""
from __future__ import annotations

import argparse
import sys
import time

COMMANDS: dict = {}  # name -> (help, add_arguments(parser), run(args) -> exit code)


def load_data(name: str, *, quiet: bool = False):
    """((x_train, t_train), (x_test, t_test)) and the dataset's name; 'default' falls back."""
    from trainlab import datasets

    if name == "default":
        chosen = datasets.load_default_dataset(progress=not quiet)
        if chosen.message and not quiet:
            print(chosen.message, file=sys.stderr)
        return chosen.data, chosen.name
    return datasets.load_dataset(name, progress=not quiet), name


def _train_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default="default",
                   help="mnist, fashion-mnist, sample, a folder of IDX files, or default "
                        "(MNIST if available, else Fashion-MNIST, else the embedded sample)")
    p.add_argument("--hidden", default="100,100,100,100", help="hidden layer sizes, comma-separated")
    p.add_argument("--activation", default="relu", choices=["relu", "sigmoid", "tanh"])
    p.add_argument("--weight-init", default="he", help="he, xavier, relu, sigmoid or a number")
    p.add_argument("--optimizer", default="adam", help="sgd, momentum, nesterov, adagrad, rmsprop, adam")
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2 λ of the network (the book's)")
    p.add_argument("--batchnorm", action="store_true")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout ratio (0 disables)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--train-size", type=int, default=None, help="use only the first N training samples")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quiet", action="store_true")


def _run_train(args) -> int:
    from trainlab import MultiLayerNetExtend, Trainer

    (x_train, t_train), (x_test, t_test) = load_data(args.dataset, quiet=args.quiet)[0]
    if args.train_size is not None:
        x_train, t_train = x_train[:args.train_size], t_train[:args.train_size]
    hidden = [int(s) for s in args.hidden.split(",") if s.strip()]
    weight_init = args.weight_init
    try:
        weight_init = float(weight_init)
    except ValueError:
        pass
    net = MultiLayerNetExtend(x_train.shape[1], hidden, int(t_train.max()) + 1, args.activation, weight_init,
                              args.weight_decay, use_dropout=args.dropout > 0,
                              dropout_ratio=args.dropout or 0.5, use_batchnorm=args.batchnorm,
                              dtype=args.dtype, seed=args.seed)
    trainer = Trainer(net, x_train, t_train, x_test, t_test, epochs=args.epochs,
                      mini_batch_size=args.batch_size, optimizer=args.optimizer,
                      optimizer_param={"lr": args.lr}, verbose=False, seed=args.seed,
                      record_loss="before_update")
    if not args.quiet:
        trainer.add_callback("epoch", lambda tr, info: print(
            f"epoch {info['epoch']:3d}  iter {info['iteration']:6d}  loss {tr.train_loss_list[-1]:.4f}  "
            f"train acc {info['train_acc']:.4f}  test acc {info['test_acc']:.4f}", flush=True))
    start = time.perf_counter()
    test_acc = trainer.train()
    elapsed = time.perf_counter() - start
    steps = trainer.current_iter
    print(f"final test accuracy {test_acc:.4f}  ({steps} steps in {elapsed:.2f} s, "
          f"{1e3 * elapsed / max(steps, 1):.3f} ms/step incl. evaluation)")
    if trainer.stop_reason:
        print(f"stopped: {trainer.stop_reason}", file=sys.stderr)
        return 1
    return 0


COMMANDS["train"] = ("train one multi-layer network and report loss and accuracy per epoch",
                     _train_args, _run_train)


def _register_experiment_commands() -> None:
    from trainlab.experiments import cli  # noqa: F401  (adds "run" and "list" to COMMANDS)


def main(argv=None) -> int:
    _register_experiment_commands()
    parser = argparse.ArgumentParser(prog="trainlab", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_, add_arguments, _) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_, description=help_))
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command][2](args)
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"trainlab {args.command}: error: {exc}", file=sys.stderr)
        return 2


try:  # the desktop lab; its options are Qt-free, Qt loads in _gui.run
    from trainlab_gui import __main__ as _gui
    COMMANDS["gui"] = ("open the desktop lab: live curves, histograms, optimizer paths, experiments, "
                       "search (needs trainlab[gui])", _gui.add_arguments, _gui.run)
except ImportError:  # an install made before gui/ was part of the package
    pass

if __name__ == "__main__":
    sys.exit(main())
