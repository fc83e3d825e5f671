"""The app's language: English, Korean or Japanese, chosen by ``--lang`` or the system's locale.

The app's texts and the library's (figures, help texts, the batch-norm graph's explanations:
:mod:`trainlab._i18n`) go through Qt's translation system; the translations are compiled into
``translations/trainlab_<lang>.qm`` from the ``.ts`` files beside them, whose terms follow the
book's Korean and Japanese editions (``translations/glossary.md``). Qt's own texts (the file
dialogs' buttons) come from the ``qtbase_<lang>.qm`` that Qt ships. CJK text is drawn with a font
that has its glyphs, where the system has one (Debian: ``fonts-noto-cjk``).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from trainlab import _i18n

from trainlab_gui import LANGUAGES

__all__ = ["LANGUAGES", "TRANSLATIONS", "system_language", "install", "uninstall", "current",
           "monospace_font"]

TRANSLATIONS = Path(__file__).with_name("translations")
# Fonts with the language's glyphs, the first one the system has is used: Noto CJK (Debian's
# fonts-noto-cjk, also on most Linux desktops), then Windows' and macOS' own.
_FONTS = {"ko": ("Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo",
                 "NanumGothic"),
          "ja": ("Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", "Meiryo", "Hiragino Sans")}
# Monospace fonts whose CJK glyphs are exactly two Latin cells wide (the batch-norm graph's
# columns line up with them).
_MONOSPACE = {"ko": ("Noto Sans Mono CJK KR", "D2Coding", "NanumGothicCoding"),
              "ja": ("Noto Sans Mono CJK JP", "MS Gothic", "Osaka-Mono")}

_state: dict = {"language": "en", "translators": [], "font": None}


def system_language() -> str:
    """The first of the system's UI languages that the app speaks ('en' when none is)."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def _first_family(candidates) -> str | None:
    families = set(QFontDatabase.families())
    return next((f for f in candidates if f in families), None)


def install(app: QApplication, language: str | None = None) -> str:
    """Translate the app (and the library's texts) into ``language`` (None: the system's),
    before its windows are made; returns the language used.

    Raises
    ------
    ValueError
        A language the app does not speak.
    FileNotFoundError
        Its compiled translation is missing (a broken installation).
    """
    language = system_language() if language is None else language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    uninstall(app)
    if language != "en":
        own = QTranslator(app)
        path = TRANSLATIONS / f"trainlab_{language}.qm"
        if not own.load(str(path)):
            raise FileNotFoundError(f"the app's {language} translation is missing: {path}")
        qt = QTranslator(app)  # the standard dialogs' buttons; Qt may not ship every language
        translators = [own] + ([qt] if qt.load(f"qtbase_{language}", QLibraryInfo.path(
            QLibraryInfo.TranslationsPath)) else [])
        for translator in translators:
            app.installTranslator(translator)
        _state["translators"] = translators
        family = _first_family(_FONTS[language])
        if family is not None:  # after the app's own: Latin text keeps its font and line height
            _state["font"] = QFont(app.font())
            font = QFont(app.font())
            # the family the default resolves to: a generic name ("Sans Serif") is not one, and
            # Qt would skip it for the CJK font
            font.setFamilies([QFontInfo(font).family(), family])
            app.setFont(font)
    _i18n.set_translator(QCoreApplication.translate if language != "en" else None)
    _state["language"] = language
    return language


def uninstall(app: QApplication) -> None:
    """English again (for windows made after this call)."""
    for translator in _state["translators"]:
        app.removeTranslator(translator)
    _state["translators"] = []
    if _state["font"] is not None:
        app.setFont(_state["font"])
        _state["font"] = None
    _i18n.set_translator(None)
    _state["language"] = "en"


def current() -> str:
    """The language installed ('en' by default)."""
    return _state["language"]


def monospace_font(points: int) -> QFont:
    """The system's fixed-width font at ``points``, in Korean and Japanese one whose CJK glyphs
    take two cells where the system has such a font."""
    font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
    font.setPointSize(points)
    family = _first_family(_MONOSPACE.get(current(), ()))
    if family is not None:
        font.setFamilies([family, *font.families()])
    return font
