"""The SQLite store: round trip, refusal of foreign and corrupt files, live reading."""
import sqlite3
import threading

import pytest

from trainlab.search import SearchStore, Trial


def _trial(n, value=0.5, state="complete"):
    return Trial(n, 0, state, {"lr": 10.0 ** -n}, 100 + n, [0.1, value], [0.2, value + 0.1], 0.25)


def test_round_trip_and_best(tmp_path):
    path = tmp_path / "s.db"
    with SearchStore(path) as store:
        store.bind_study({"seed": 1})
        for n, v in [(0, 0.3), (1, 0.7), (2, 0.5)]:
            store.add_trial(_trial(n, v))
        store.add_trial(_trial(3, 0.9, state="pruned"))
        with pytest.raises(ValueError, match="already stored"):
            store.add_trial(_trial(1))
    with SearchStore(path, create=False) as store:
        trials = store.trials()
        assert [t.number for t in trials] == [0, 1, 2, 3]
        assert trials[1].params == {"lr": 0.1} and trials[1].val_acc == [0.1, 0.7]
        assert trials[1].seed == 101 and trials[1].finished_at is not None
        # a pruned trial never outranks a completed one
        assert [t.number for t in store.best(3)] == [1, 2, 0]
        assert [t.number for t in store.trials(states={"pruned"})] == [3]
        assert store.study_info() == {"seed": 1}


def test_other_study_settings_are_refused(tmp_path):
    with SearchStore(tmp_path / "s.db") as store:
        store.bind_study({"seed": 1, "space": {"lr": [1, 2]}})
        store.bind_study({"seed": 1, "space": {"lr": (1, 2)}})  # same settings: resume
        with pytest.raises(ValueError, match="seed differ"):
            store.bind_study({"seed": 2, "space": {"lr": [1, 2]}})


def test_missing_store_without_create(tmp_path):
    with pytest.raises(FileNotFoundError):
        SearchStore(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("content", [
    b"hello, this is a text file\n" * 10,                  # not SQLite
    b"SQLite format 3\x00" + b"\xff" * 2000,               # SQLite header, garbage pages
])
def test_non_store_files_are_refused_untouched(tmp_path, content):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a|corrupt"):
        SearchStore(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE people (name TEXT)")
    con.execute("INSERT INTO people VALUES ('ada')")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(ValueError, match="not a trainlab search store"):
        SearchStore(path)
    assert path.read_bytes() == before


def test_reader_sees_trials_while_writer_commits(tmp_path):
    path = tmp_path / "live.db"
    writer = SearchStore(path)
    seen, errors = [], []

    def read():
        try:
            with SearchStore(path) as reader:  # its own connection, as the app would open it
                for _ in range(200):
                    seen.append(len(reader.trials()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    for n in range(30):
        writer.add_trial(_trial(n))
    thread.join()
    writer.close()
    assert not errors
    assert seen == sorted(seen) and seen[-1] <= 30  # never goes back, never sees half a trial
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
