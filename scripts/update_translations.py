#!/usr/bin/env python3
"""Update the app's translations from the sources, and compile them.

``pyside6-lupdate`` collects the texts to translate from the app (``self.tr``,
``QCoreApplication.translate``, ``QT_TRANSLATE_NOOP``) and from the library modules that use
:mod:`trainlab._i18n` (``translate`` and ``N_``, read as ``QT_TRANSLATE_NOOP``) into
``gui/trainlab_gui/translations/trainlab_<lang>.ts``: new texts arrive unfinished, texts gone
from the sources are dropped. Translate the new ones (Qt Linguist: ``pyside6-linguist``, or any
editor) following ``translations/glossary.md``, then run this again: ``pyside6-lrelease``
compiles each ``.ts`` into the ``.qm`` the app loads (committed, so that building the package
needs no Qt).

``--check`` changes nothing and exits 1 when the ``.ts`` files miss texts of the sources or keep
texts the sources no longer have, or a ``.qm`` is not the compiled ``.ts`` (the tests run it).

Usage: ``python scripts/update_translations.py [--check]`` (PySide6 installed: the ``gui`` extra)
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "gui" / "trainlab_gui"
LIBRARY = ROOT / "src" / "trainlab"
TRANSLATIONS = APP / "translations"
LANGUAGES = ("ko", "ja")
# N_(context, text) marks a text as QT_TRANSLATE_NOOP does; translate(context, text) is read
# as QCoreApplication.translate by lupdate without an alias.
ALIASES = ["-tr-function-alias", "QT_TRANSLATE_NOOP+=N_"]


def sources() -> list[Path]:
    """The app's modules and the library's modules that have translatable texts."""
    library = [p for p in sorted(LIBRARY.rglob("*.py"))
               if "trainlab._i18n import" in p.read_text(encoding="utf-8")]
    return sorted(APP.rglob("*.py")) + library


def tool(name: str) -> str:
    """The path of ``pyside6-lupdate`` or ``pyside6-lrelease`` (beside this Python first)."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: pip install PySide6-Essentials (the gui extra)")
    return found


def ts_path(language: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"trainlab_{language}.ts"


def qm_path(language: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"trainlab_{language}.qm"


def extract(ts_files) -> None:
    """Merge the sources' texts into ``ts_files`` (created if missing), dropping vanished ones."""
    subprocess.run([tool("pyside6-lupdate"), *ALIASES, "-no-obsolete", "-locations", "none",
                    "-silent", *map(str, sources()), "-ts", *map(str, ts_files)], check=True)


def release(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def messages(ts: Path) -> set:
    """{(context, source text)} of a .ts file."""
    root = ET.parse(ts).getroot()
    return {(ctx.findtext("name"), m.findtext("source"))
            for ctx in root.iter("context") for m in ctx.iter("message")}


def check() -> list[str]:
    """What is out of date: texts the .ts files lack or keep, .qm files not compiled from them."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        copies = [shutil.copy(ts_path(lang), ts_path(lang, tmp)) for lang in LANGUAGES]
        extract(copies)
        for lang in LANGUAGES:
            committed, fresh = messages(ts_path(lang)), messages(ts_path(lang, tmp))
            for kind, texts in (("lacks", fresh - committed), ("keeps", committed - fresh)):
                problems += [f"{ts_path(lang).name} {kind} [{c}] {s!r}" for c, s in sorted(texts)]
            release(ts_path(lang), qm_path(lang, tmp))
            if not qm_path(lang).exists() or not filecmp.cmp(qm_path(lang), qm_path(lang, tmp),
                                                             shallow=False):
                problems.append(f"{qm_path(lang).name} is not compiled from {ts_path(lang).name}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of date")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python scripts/update_translations.py", file=sys.stderr)
        return 1 if problems else 0
    TRANSLATIONS.mkdir(exist_ok=True)
    extract([ts_path(lang) for lang in LANGUAGES])
    for lang in LANGUAGES:
        release(ts_path(lang), qm_path(lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
