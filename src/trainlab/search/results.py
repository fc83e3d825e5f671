"""Results of a search: ranking, the best trial, top-N curves, a text table and CSV export."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from trainlab._i18n import translate
from trainlab.search.trial import Trial

__all__ = ["SearchResult", "ranked"]


def ranked(trials: list[Trial]) -> list[Trial]:
    """Trials best first: completed ones by last validation accuracy (the chapter's ranking),
    then pruned/diverged ones by theirs, failed last; ties go to the lower trial number.

    Parameters
    ----------
    trials : list of Trial
        The trials to rank (not modified).
    """
    def key(t):
        return (t.state == "complete", t.value is not None, t.value or 0.0, -t.number)
    return sorted(trials, key=key, reverse=True)


class SearchResult:
    """The trials of a study, best first through :func:`ranked`, with ``table()`` and ``to_csv()``.

    Parameters
    ----------
    trials : list of Trial
        All the study's finished trials.
    info : dict, optional
        The study's settings.
    executed : int
        Trials run by the call that made this result (the rest came from the store).
    seconds : float, optional
        Wall time of that call.
    """

    def __init__(self, trials: list[Trial], info: dict | None = None, executed: int = 0,
                 seconds: float | None = None):
        self.trials = list(trials)
        self.info = info or {}
        self.executed = executed  # trials run by this call (the rest came from the store)
        self.seconds = seconds    # wall time of that call

    def __len__(self):
        return len(self.trials)

    def count(self, state: str) -> int:
        return sum(t.state == state for t in self.trials)

    @property
    def best(self) -> Trial | None:
        """The best trial, or None when no trial reached a validation accuracy."""
        top = self.top(1)
        return top[0] if top and top[0].value is not None else None

    def failures(self) -> list[tuple[str, int]]:
        """The errors of the failed trials, ``(error, trials)`` with the most common first."""
        return Counter(t.error or "unknown error" for t in self.trials if t.state == "failed").most_common()

    def top(self, n: int = 20) -> list[Trial]:
        return ranked(self.trials)[:n]

    def curves(self, n: int = 20) -> dict[int, list[float]]:
        """Validation accuracy per epoch of the ``n`` best trials (the chapter plots 20)."""
        return {t.number: list(t.val_acc) for t in self.top(n)}

    def param_names(self) -> list[str]:
        names = list(self.info.get("space", {}))
        for t in self.trials:
            names += [k for k in t.params if k not in names]
        return names

    def rows(self) -> list[dict]:
        """One flat dict per trial: number, stage, state, seed, parameters, final and best
        validation accuracy, epochs, seconds, then val_acc_1 … val_acc_E."""
        names = self.param_names()
        width = max((t.epochs for t in self.trials), default=0)
        out = []
        for t in self.trials:
            row = {"number": t.number, "stage": t.stage, "state": t.state, "seed": t.seed}
            row.update({name: t.params.get(name) for name in names})
            row.update(val_acc=t.value, best_val_acc=max(t.val_acc, default=None),
                       epochs=t.epochs, seconds=round(t.elapsed, 4))
            row.update({f"val_acc_{i + 1}": (t.val_acc[i] if i < t.epochs else None)
                        for i in range(width)})
            out.append(row)
        return out

    def to_csv(self, path) -> Path:
        rows = self.rows()
        path = Path(path)
        fields = list(rows[0]) if rows else ["number", "stage", "state", "seed"] + self.param_names()
        with open(path, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    def table(self, n: int | None = 20) -> str:
        """The ``n`` best trials as text, in the chapter's "Best-k (val acc) | lr, weight decay" order."""
        names = self.param_names()
        lines = [f"{'rank':>4} {'trial':>5} {'state':<9} {'val acc':>7} {'epochs':>6} {'s':>6}  "
                 + "  ".join(names)]
        for rank, t in enumerate(self.top(n if n is not None else len(self.trials)), 1):
            values = "  ".join(_fmt(t.params.get(k)) for k in names)
            acc = "-" if t.value is None else f"{t.value:.4f}"
            lines.append(f"{rank:>4} {t.number:>5} {t.state:<9} {acc:>7} {t.epochs:>6} "
                         f"{t.elapsed:>6.2f}  {values}")
        return "\n".join(lines)

    def summary(self) -> str:
        best = self.best
        head = translate("search", "{n} trials ({complete} complete, {pruned} pruned, {diverged} "
                                   "diverged, {failed} failed)").format(
            n=len(self), complete=self.count("complete"), pruned=self.count("pruned"),
            diverged=self.count("diverged"), failed=self.count("failed"))
        failures = self.failures()
        if failures:
            cause, count = failures[0]
            head += translate("search", "; {failed} failed; {cause} ({count} trials)").format(
                failed=self.count("failed"), cause=cause, count=count)
            if len(failures) > 1:
                head += translate("search", ", and {n} other errors").format(n=len(failures) - 1)
        if best is None:
            return head
        params = ", ".join(f"{k}={_fmt(v)}" for k, v in best.params.items())
        return head + translate("search", "; best: trial {trial}, val acc {accuracy:.4f} | "
                                          "{params}").format(trial=best.number, accuracy=best.value,
                                                             params=params)


def _fmt(v) -> str:
    return f"{v:.3e}" if isinstance(v, float) else str(v)
