"""``trainlab run`` / ``trainlab list`` through ``trainlab.cli.main``: files written (PNG
included), options parsed from the registry, bad input answered with a clear error."""
import json

import pytest

from trainlab.cli import main
from trainlab.experiments import EXPERIMENTS, plots
from trainlab.experiments import commands as experiments_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SMALL = ["--dataset", "sample", "--iterations", "20", "--batch-size", "32", "--hidden", "20,20", "--quiet"]


pytestmark = pytest.mark.usefixtures("one_blas_thread")


def test_list_names_every_experiment_with_its_options(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in EXPERIMENTS:
        assert name in out
    assert "--iterations=2000" in out and "--batch-size=128" in out


def test_run_writes_json_csv_and_png_and_prints_a_table(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    rc = main(["run", "compare-optimizers", *SMALL[:-1], "--optimizers", "sgd,adam",
               "--lr", "sgd=0.1", "--out", str(tmp_path), "--seed", "2"])
    assert rc == 0
    saved = json.loads((tmp_path / "compare_optimizers.json").read_text())
    assert saved["params"]["iterations"] == 20 and saved["params"]["hidden"] == [20, 20]
    assert saved["params"]["lr"] == {"sgd": 0.1, "adam": 0.001}
    assert saved["params"]["seed"] == 2 and list(saved["series"])[:2] == ["SGD", "Adam"]
    assert (tmp_path / "compare_optimizers.csv").read_text().startswith("series,x,y")
    assert (tmp_path / "compare_optimizers.png").read_bytes()[:8] == PNG_MAGIC
    out = capsys.readouterr().out
    assert "compare_optimizers" in out and "test acc" in out and "sample" in out


# command-line options that keep each experiment to about a second on the sample
TINY_ARGS = {
    "optimizer_paths": ["--steps", "5"],
    "compare_optimizers": ["--iterations", "15", "--hidden", "20"],
    "activation_histograms": ["--n-inputs", "50", "--symmetry-steps", "0", "--activations", "relu,tanh",
                              "--weight-inits", "he,0.01"],
    "compare_weight_init": ["--iterations", "15", "--hidden", "20"],
    "batchnorm_sweep": ["--n-scales", "4", "--train-size", "100", "--epochs", "2", "--hidden", "20"],
    "overfitting": ["--train-size", "200", "--test-size", "100", "--epochs", "3", "--hidden", "20",
                    "--dropout-ratios", "0.2,0.5"],
    "ensemble": ["--members", "2", "--iterations", "10", "--hidden", "20"],
}


@pytest.mark.parametrize("name", list(TINY_ARGS))
def test_every_experiment_renders_its_figure(name, tmp_path):
    pytest.importorskip("matplotlib")
    args = ["run", name, "--dataset", "sample", "--out", str(tmp_path), "--quiet", *TINY_ARGS[name]]
    assert main(args) == 0
    png = (tmp_path / f"{name}.png").read_bytes()
    assert png[:8] == PNG_MAGIC and len(png) > 10_000  # a drawn figure, not an empty canvas


def test_without_matplotlib_json_and_csv_are_written_and_the_fix_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(plots, "matplotlib_available", lambda: False)
    assert main(["run", "optimizer-paths", "--steps", "3", "--out", str(tmp_path), "--quiet"]) == 0
    assert (tmp_path / "optimizer_paths.json").exists() and not (tmp_path / "optimizer_paths.png").exists()
    assert "pip install 'trainlab[plot]'" in capsys.readouterr().err


def test_run_all_runs_every_registered_experiment_and_totals(tmp_path, capsys, monkeypatch):
    # two quick ones: the loop, not the chapter, is tested (a copy: the registry's order stays)
    quick = {n: EXPERIMENTS[n] for n in ("optimizer_paths", "activation_histograms")}
    monkeypatch.setattr(experiments_cli, "EXPERIMENTS", quick)
    assert main(["run", "all", "--out", str(tmp_path), "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "optimizer_paths" in out and "activation_histograms" in out and "total" in out
    assert {p.name for p in tmp_path.iterdir()} == {
        "optimizer_paths.json", "optimizer_paths.csv", "activation_histograms.json", "activation_histograms.csv"}


def test_unknown_experiment_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "optimiser_paths"])
    assert exc.value.code == 2 and "invalid choice: 'optimiser_paths'" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--iterations", "-3"], "iterations must be an integer >= 1, got -3"),
    (["--optimizers", "sgd,adamw"], "unknown optimizer 'adamw'"),
    (["--backend", "torch"], "unknown backend 'torch'"),
])
def test_bad_options_exit_2_with_the_problem_named(args, message, tmp_path, capsys):
    assert main(["run", "compare_optimizers", *SMALL, *args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "trainlab run: error:" in err and message in err


def test_a_mistyped_number_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        main(["run", "compare_optimizers", "--iterations", "lots"])
    assert "argument --iterations: iterations must be an integer, got 'lots'" in capsys.readouterr().err


def test_train_still_works(capsys):
    assert main(["train", "--dataset", "sample", "--epochs", "1", "--hidden", "20", "--quiet"]) == 0
    assert "final test accuracy" in capsys.readouterr().out


def test_options_are_checked_before_any_data_loads(tmp_path, capsys, monkeypatch):
    import trainlab.engine

    def no_loading(*args, **kwargs):
        raise AssertionError("data were loaded before the options were checked")

    monkeypatch.setattr(trainlab.engine, "load_data", no_loading)
    rc = main(["run", "compare_optimizers", "--dataset", "mnist", "--optimizers", "sgd,adamm",
               "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and "unknown optimizer 'adamm' (did you mean 'adam'?)" in err
    assert "it/s" not in err and "step" not in err  # no progress bar was drawn
    assert main(["train", "--optimizer", "sgd", "--momentum", "0.5"]) == 2
    assert "--momentum is a hyperparameter of momentum, nesterov, not of sgd" in capsys.readouterr().err
    assert main(["train", "--activation", "relu", "--weight-init", "lecun"]) == 2
    assert "unknown weight init 'lecun'" in capsys.readouterr().err


def test_one_name_per_idea_and_each_experiment_listed_once(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    assert out.count("compare_optimizers") == 1 and "compare-optimizers" not in out
    for name in ("compare_optimizers", "optimizer_paths", "overfitting", "batchnorm_sweep"):
        with pytest.raises(SystemExit):
            main(["run", name, "--help"])
        text = capsys.readouterr().out
        assert "--lr LR" in text and "``" not in text and "example: trainlab run" in text
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    assert "--threads THREADS" in text and "--lr LR" in text and "example: trainlab train" in text


def test_train_saves_a_spec_that_trains_the_same_again(tmp_path, capsys):
    spec = tmp_path / "run.json"
    args = ["train", "--dataset", "sample", "--epochs", "1", "--hidden", "20", "--train-size", "300",
            "--optimizer", "momentum", "--lr", "0.05", "--threads", "1"]
    assert main(args + ["--save-spec", str(spec)]) == 0
    first = capsys.readouterr().out
    assert "epoch   0" in first and "epoch   1" in first and "momentum lr=0.05 he on sample" in first
    saved = json.loads(spec.read_text())
    assert saved["hyperparameters"] == {"lr": 0.05} and saved["threads"] == 1
    assert main(["train", "--spec", str(spec)]) == 0
    again = capsys.readouterr().out
    final = [line.split("(")[0] for line in (first, again) for line in line.splitlines()
             if line.startswith("final test accuracy")]
    assert final[0] == final[1]


def test_gui_command_says_how_to_install_the_app_when_absent(capsys, monkeypatch):
    import trainlab.cli

    monkeypatch.setattr(trainlab.cli, "_gui_entry_point", lambda: None)
    assert main(["gui", "--help"]) == 2
    assert "pip install 'trainlab[gui]'" in capsys.readouterr().err
