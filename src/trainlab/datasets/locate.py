"""Where dataset files are looked for.

Order (first folder holding all four IDX files wins):

1. ``root=`` given by the caller: the folder itself, then ``root/<name>`` (and the
   torchvision layout ``root/MNIST/raw`` / ``root/FashionMNIST/raw``);
2. every folder listed in ``$TRAINLAB_DATA`` (``os.pathsep``-separated): ``<dir>/<name>``;
3. the user cache folder ``<cache>/<name>``, where ``<cache>`` is
   ``$XDG_CACHE_HOME/trainlab`` or ``~/.cache/trainlab`` on Linux,
   ``~/Library/Caches/trainlab`` on macOS and ``%LOCALAPPDATA%\\trainlab\\Cache`` on Windows
   (the platformdirs conventions); downloads go there;
4. system folders ``<dir>/datasets/<name>`` for each ``<dir>`` of ``$XDG_DATA_DIRS`` plus
   ``/usr/local/share`` and ``/usr/share`` -- Debian's ``dataset-fashion-mnist`` package
   installs ``/usr/share/datasets/fashion-mnist``.

Each of the four files may be gzip-compressed or not: ``train-images-idx3-ubyte.gz``,
``train-images-idx3-ubyte`` or ``train-images.idx3-ubyte`` (and likewise for the others).

The book's ``mnist.pkl`` is never unpickled (loading a pickle can run arbitrary code); a
folder that holds only ``mnist.pkl`` does not count.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ROLES",
    "SYSTEM_DATA_DIRS",
    "SearchReport",
    "candidate_dirs",
    "find_idx_files",
    "idx_file_names",
    "user_cache_dir",
]

#: The four files of an MNIST-style dataset, by role: (stem, IDX tag).
ROLES: dict[str, tuple[str, str]] = {
    "train_images": ("train-images", "idx3"),
    "train_labels": ("train-labels", "idx1"),
    "test_images": ("t10k-images", "idx3"),
    "test_labels": ("t10k-labels", "idx1"),
}

#: System folders that hold ``<name>/`` dataset folders, searched after ``$XDG_DATA_DIRS``.
SYSTEM_DATA_DIRS: tuple[str, ...] = ("/usr/local/share/datasets", "/usr/share/datasets")

#: Alternative folder names per dataset (torchvision's, underscore spelling).
_ALIASES: dict[str, tuple[str, ...]] = {
    "mnist": ("MNIST",),
    "fashion-mnist": ("fashion_mnist", "FashionMNIST"),
}


def idx_file_names(role: str) -> tuple[str, ...]:
    """Accepted file names for ``role``, preferred first (gzip, raw, dotted raw)."""
    stem, tag = ROLES[role]
    return (f"{stem}-{tag}-ubyte.gz", f"{stem}-{tag}-ubyte", f"{stem}.{tag}-ubyte")


def user_cache_dir(appname: str = "trainlab") -> Path:
    """Per-user cache folder, platformdirs-style, without depending on platformdirs.

    Parameters
    ----------
    appname : str
        The application's folder name inside the platform's cache folder.

    Returns
    -------
    pathlib.Path
        ``$XDG_CACHE_HOME/<appname>`` or ``~/.cache/<appname>`` on Linux,
        ``~/Library/Caches/<appname>`` on macOS, ``%LOCALAPPDATA%\\<appname>\\Cache`` on
        Windows (not created).
    """
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / appname / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / appname
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / appname


def _system_dirs() -> list[Path]:
    xdg = os.environ.get("XDG_DATA_DIRS", "").split(os.pathsep)
    return ([Path(d) / "datasets" for d in xdg if d and os.path.isabs(d)]
            + [Path(d) for d in SYSTEM_DATA_DIRS])


def candidate_dirs(name: str, root: str | os.PathLike[str] | None = None) -> list[tuple[str, Path]]:
    """Folders searched for dataset ``name``, in order, each with a label of its origin."""
    names = (name, *_ALIASES.get(name, ()))
    out: list[tuple[str, Path]] = []
    if root is not None:
        r = Path(root).expanduser()
        out.append(("root=", r))
        out.extend(("root=", r / n) for n in names)
        out.extend(("root=", r / n / "raw") for n in _ALIASES.get(name, ())[-1:])
    for d in os.environ.get("TRAINLAB_DATA", "").split(os.pathsep):
        if d:
            out.extend(("$TRAINLAB_DATA", Path(d).expanduser() / n) for n in names)
    out.append(("user cache", user_cache_dir() / name))
    for s in _system_dirs():
        out.extend(("system", s / n) for n in names)
    seen: set[Path] = set()  # a folder listed twice (e.g. in $XDG_DATA_DIRS too) counts once
    return [(k, p) for k, p in out if not (p in seen or seen.add(p))]


@dataclass
class SearchReport:
    """What a search found, for error messages."""

    searched: list[tuple[str, Path]] = field(default_factory=list)
    partial: list[tuple[Path, list[str]]] = field(default_factory=list)  # folder, missing files
    pickles: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        lines = ["Searched folders:"]
        for kind, p in self.searched:
            lines.append(f"  {p}  ({kind})")
        for p, missing in self.partial:
            lines.append(f"  incomplete: {p} lacks {', '.join(missing)}")
        for p in self.pickles:
            lines.append(f"  ignored: {p} (pickle files are never loaded: unsafe)")
        return "\n".join(lines)


def _files_in(folder: Path) -> tuple[dict[str, Path], list[str]]:
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role in ROLES:
        for fname in idx_file_names(role):
            p = folder / fname
            if p.is_file():
                found[role] = p
                break
        else:
            missing.append(idx_file_names(role)[0])
    return found, missing


def find_idx_files(name: str, root: str | os.PathLike[str] | None,
                   report: SearchReport) -> dict[str, Path] | None:
    """The four files of dataset ``name`` (role -> path) from the first complete folder of
    :func:`candidate_dirs`, or None; ``report`` records the search."""
    for kind, folder in candidate_dirs(name, root):
        report.searched.append((kind, folder))
        if not folder.is_dir():
            continue
        found, missing = _files_in(folder)
        if not missing:
            return found
        if found:
            report.partial.append((folder, missing))
        pkl = folder / "mnist.pkl"
        if pkl.is_file():
            report.pickles.append(pkl)
    return None


def files_in_folder(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """The four IDX files in ``folder``; raises :class:`FileNotFoundError` if any is missing."""
    found, missing = _files_in(Path(folder))
    if missing:
        raise FileNotFoundError(f"{folder}: missing {', '.join(missing)} (gzip or raw)")
    return found
