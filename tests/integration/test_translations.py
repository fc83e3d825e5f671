"""The app's Korean and Japanese translations: current with the sources and compiled, every text
translated with its placeholders and shortcut keys, the glossary's terms used, every name the app
shows through a translation present, and fonts with every glyph they need."""
import os
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "gui" / "trainlab_gui" / "translations"
LANGUAGES = ("ko", "ja")
COLUMN = {"ko": 1, "ja": 2}  # the glossary's columns


def catalogue(language: str) -> dict:
    """{(context, source): (translation or None, type attribute)} of a .ts file."""
    root = ET.parse(TRANSLATIONS / f"trainlab_{language}.ts").getroot()
    out = {}
    for ctx in root.iter("context"):
        for m in ctx.iter("message"):
            tr = m.find("translation")
            out[(ctx.findtext("name"), m.findtext("source"))] = (tr.text, tr.get("type"))
    return out


def fields(text: str) -> list:
    """The str.format fields of ``text`` with their format specs, sorted."""
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None)


def accelerators(text: str) -> int:
    return len(re.findall(r"&[^&\s]", text.replace("&&", "")))


def glossary() -> list:
    """[(English alternatives, {language: alternatives})] of glossary.md's table."""
    rows = []
    for line in (TRANSLATIONS / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or cells[0] in ("English", "---"):
            continue
        rows.append(([t.strip() for t in cells[0].split(" / ")],
                     {lang: [t.strip() for t in cells[COLUMN[lang]].split(" / ")] for lang in LANGUAGES}))
    return rows


def test_the_catalogues_hold_exactly_the_sources_texts_and_are_compiled():
    """``update_translations.py --check``: lupdate finds no text the .ts files lack or keep, and
    lrelease makes the committed .qm files byte for byte."""
    pytest.importorskip("PySide6")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated_with_its_placeholders_and_shortcut(language):
    entries = catalogue(language)
    assert len(entries) > 400
    bad = []
    for (context, source), (translation, kind) in entries.items():
        where = f"[{context}] {source!r}"
        if kind is not None or not (translation or "").strip():
            bad.append(f"{where}: {kind or 'empty'}")
        elif fields(translation) != fields(source):
            bad.append(f"{where}: placeholders {fields(translation)} != {fields(source)}")
        elif accelerators(translation) != accelerators(source):
            bad.append(f"{where}: shortcut key lost or added in {translation!r}")
    assert not bad, "\n".join(bad)


def _kept_in_english() -> set:
    """The book's English terms that its Japanese edition keeps (Batch Normalization, …)."""
    return {t for _, terms in glossary() for t in terms["ja"] if re.fullmatch(r"[A-Za-z ]+", t)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_left_in_english(language):
    """A translation equal to its English source is one without words (``{tip} ({shortcuts})``)
    or one of the book's own English terms."""
    kept = _kept_in_english()
    same = [f"[{c}] {s!r}" for (c, s), (t, _) in catalogue(language).items()
            if t == s and re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", s)) and s not in kept]
    assert not same, "\n".join(same)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glossary_is_followed(language):
    """Every English text with a glossary term (a whole word or phrase, plural too, placeholders
    aside) has the term's translation in its own."""
    rows = glossary()
    assert len(rows) > 30
    missing = []
    for (context, source), (translation, _) in catalogue(language).items():
        text = re.sub(r"\{[^}]*\}", "", source)
        for english, translated in rows:
            if any(re.search(rf"(?<![A-Za-z_]){re.escape(term)}(?:e?s)?(?![A-Za-z_])", text, re.I)
                   for term in english) \
                    and not any(t.lower() in (translation or "").lower() for t in translated[language]):
                missing.append(f"[{context}] {source!r} -> {translation!r}: {' / '.join(translated[language])}")
    assert not missing, "\n".join(missing)


def test_every_name_the_app_shows_through_a_translation_has_one():
    """The experiments and their options, the settings' labels, the search's strategies and
    pruners, the learning-rate schedules: each has an entry, so that none is shown in English."""
    from trainlab.engine import RunSpec
    from trainlab.experiments import EXPERIMENTS
    from trainlab.optim import OPTIMIZERS, SCHEDULES
    from trainlab.search.pruners import PRUNERS

    sys.path.insert(0, str(ROOT / "gui"))
    from trainlab_gui.core.form import _CHOICE_WORDS, _LABELS

    entries = catalogue("ko")
    wanted = {("ExperimentsView", name) for name in EXPERIMENTS}
    wanted |= {("ExperimentsView", key) for spec in EXPERIMENTS.values() for key in spec.defaults}
    wanted |= {("SearchView", name) for name in ("random", "staged", "bayes", "tpe", "gp", *PRUNERS)}
    wanted |= {("form", text) for text in _CHOICE_WORDS.values()}
    assert set(SCHEDULES) | {"none", "default", "sample"} <= set(_CHOICE_WORDS)
    settings = {f.name for f in RunSpec.__dataclass_fields__.values() if f.name != "hyperparameters"}
    settings |= {name for cls in (*OPTIMIZERS.values(), *SCHEDULES.values()) for name in cls.hyperparameters()}
    assert settings <= set(_LABELS), sorted(settings - set(_LABELS))
    wanted |= {("form", _LABELS[name]) for name in settings}
    assert wanted <= set(entries), sorted(wanted - set(entries))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fonts_have_every_glyph_of_the_translations(language):
    """The font the app picks for the language draws every character of its translations (no
    tofu boxes); CI installs it (Debian's fonts-noto-cjk), elsewhere the test skips without one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    pytest.importorskip("PySide6")
    sys.path.insert(0, str(ROOT / "gui"))
    from PySide6.QtGui import QFont, QRawFont
    from trainlab_gui.app import application
    from trainlab_gui.language import _FONTS, _MONOSPACE, _first_family

    application()
    for fonts in (_FONTS, _MONOSPACE):
        family = _first_family(fonts[language])
        if family is None:
            if os.environ.get("TRAINLAB_REQUIRE_CJK_FONTS"):
                pytest.fail(f"no {language} font installed (one of {fonts[language]}): apt-get install fonts-noto-cjk")
            pytest.skip(f"no {language} font installed (Debian: fonts-noto-cjk)")
        raw = QRawFont.fromFont(QFont(family))
        text = "".join(t or "" for t, _ in catalogue(language).values())
        # glyph 0 is the font's "missing glyph" box (supportsCharacter misses some of a .ttc's)
        missing = sorted({c for c in text if ord(c) > 0x2000 and not raw.glyphIndexesForString(c)[0]})
        assert not missing, f"{family} lacks {missing}"
