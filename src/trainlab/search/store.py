"""The study store: one SQLite file, one row per finished trial, committed as the trial ends.

WAL mode lets other processes and threads read while a study writes (the desktop app's search
view polls ``SearchStore(path).trials()``); ``synchronous=FULL`` makes each commit durable, so a
study killed at any point (even kill -9) keeps every trial it reported finished.
A file that is not a trainlab store, or a store SQLite finds corrupt (``PRAGMA quick_check`` on
opening; any later "malformed" error too), is refused with ValueError naming it before anything
is written to it. One study runs on a store at a time (:meth:`SearchStore.study_lock`).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from trainlab.search.lock import StudyLock
from trainlab.search.trial import Trial

__all__ = ["SearchStore", "FORMAT", "SCHEMA_VERSION"]

FORMAT = "trainlab-search"
SCHEMA_VERSION = "1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE trials (
    number INTEGER PRIMARY KEY, stage INTEGER NOT NULL, state TEXT NOT NULL,
    params TEXT NOT NULL, seed INTEGER NOT NULL, value REAL, val_acc TEXT NOT NULL,
    train_acc TEXT NOT NULL, epochs INTEGER NOT NULL, elapsed REAL NOT NULL,
    finished_at REAL NOT NULL, error TEXT);
"""
_COLUMNS = "number, stage, state, params, seed, val_acc, train_acc, elapsed, error, finished_at"


class SearchStore:
    """A study's trials in SQLite at ``path`` (created if missing unless ``create=False``).

    Read API (safe from any thread or process while a study runs): :meth:`trials`,
    :meth:`study_info`, :meth:`best`, :meth:`result`.
    """

    def __init__(self, path, *, create: bool = True):
        self.path = Path(path)
        new = not self.path.exists() or self.path.stat().st_size == 0
        if new and not create:
            raise FileNotFoundError(f"no search store at {self.path}")
        if not new:
            with open(self.path, "rb") as fh:
                if fh.read(16) != _SQLITE_MAGIC:
                    raise ValueError(f"{self.path} is not a SQLite file (not a trainlab search store); "
                                     "left untouched")
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
        try:
            self._open(create)
        except BaseException:
            self._conn.close()
            raise

    def _open(self, create: bool) -> None:
        try:
            tables = self._tables()
            if not tables and create:
                # a new file, or one a concurrent opener is creating: nothing in it to lose
                self._create()
                tables = self._tables()
            meta = dict(self._conn.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
            if meta.get("format") != FORMAT or "trials" not in tables:
                raise ValueError(f"{self.path} is a SQLite file but not a trainlab search store "
                                 f"(tables: {sorted(tables)}); left untouched")
            if meta.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"{self.path}: store schema {meta.get('schema_version')!r}, "
                                 f"this trainlab reads {SCHEMA_VERSION!r}")
            # every page read once (milliseconds for thousands of trials): a damaged page is
            # found now, not when a study has trained trials it cannot store
            problems = [r[0] for r in self._conn.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise ValueError(f"{self.path} is corrupt (SQLite quick_check: {'; '.join(problems)}); "
                                 "left untouched")
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path} is corrupt or not a trainlab search store "
                             f"(SQLite: {exc}); left untouched") from None

    def _run(self, sql: str, args=()) -> list:
        """``sql`` under the store's lock, all rows; a damaged file is a ValueError naming it."""
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.IntegrityError:
                raise
            except sqlite3.DatabaseError as exc:
                raise ValueError(f"{self.path} is corrupt (SQLite: {exc})") from None

    def _tables(self) -> set:
        return {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _create(self) -> None:
        # One transaction, the check inside it: a reader (or a second study) opening the file
        # meanwhile sees either no tables or the whole schema with its format row.
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            if self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._conn.execute(statement)
                self._conn.executemany("INSERT INTO meta VALUES (?, ?)",
                                       [("format", FORMAT), ("schema_version", SCHEMA_VERSION)])
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    # -- study description ---------------------------------------------------------------------
    def study_info(self) -> dict | None:
        """The study's settings (strategy, space, config, seed, …) or None before the first run."""
        rows = self._run("SELECT value FROM meta WHERE key='study'")
        return json.loads(rows[0][0]) if rows else None

    def bind_study(self, info: dict) -> None:
        """Record ``info`` for a new store; for an existing one, require the same settings (a
        resumed study must not mix trials of another search)."""
        info = json.loads(json.dumps(info))  # normalise tuples etc. as they will read back
        # OR IGNORE: of two studies binding a new store at once, the second compares below
        self._run("INSERT OR IGNORE INTO meta VALUES ('study', ?)", (json.dumps(info),))
        stored = self.study_info()
        diff = sorted(k for k in set(info) | set(stored) if info.get(k) != stored.get(k))
        if diff:
            raise ValueError(f"{self.path} holds a study with other settings ({', '.join(diff)} "
                             "differ); use another store file to start a new search")

    # -- trials -------------------------------------------------------------------------------
    def add_trial(self, trial: Trial) -> Trial:
        """Commit one finished trial (durable on return)."""
        trial.finished_at = time.time() if trial.finished_at is None else trial.finished_at
        row = (trial.number, trial.stage, trial.state, json.dumps(trial.params), trial.seed,
               trial.value, json.dumps(trial.val_acc), json.dumps(trial.train_acc), trial.epochs,
               trial.elapsed, trial.finished_at, trial.error)
        try:
            self._run("INSERT INTO trials (number, stage, state, params, seed, value, val_acc, "
                      "train_acc, epochs, elapsed, finished_at, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                      row)
        except sqlite3.IntegrityError:
            raise ValueError(f"trial {trial.number} is already stored in {self.path}") from None
        return trial

    def trials(self, states=None) -> list[Trial]:
        """Finished trials by number (only those whose state is in ``states`` when given)."""
        rows = self._run(f"SELECT {_COLUMNS} FROM trials ORDER BY number")
        out = [Trial(n, s, st, json.loads(p), seed, json.loads(v), json.loads(tr), el, err, fin)
               for n, s, st, p, seed, v, tr, el, err, fin in rows]
        return out if states is None else [t for t in out if t.state in set(states)]

    def best(self, n: int = 1) -> list[Trial]:
        from trainlab.search.results import ranked
        return ranked(self.trials())[:n]

    def result(self):
        from trainlab.search.results import SearchResult
        return SearchResult(self.trials(), self.study_info())

    def study_lock(self) -> StudyLock:
        """The lock a running study holds (``with store.study_lock():``): a second study on
        this store, in any process, gets :class:`~trainlab.search.lock.StoreInUseError`."""
        return StudyLock(self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
