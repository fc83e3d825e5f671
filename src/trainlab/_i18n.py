"""The library's words that an application shows its users, translatable without the library
knowing how: the desktop app installs Qt's translator here, and the command line, notebooks and
everything else keep the English text.

Two calls, both spelt as Qt's translation tools (``pyside6-lupdate``) read them, so the texts are
extracted from the library's sources with the app's:

* ``translate(context, text)`` where text is made at call time (a figure's titles, the batch-norm
  graph's explanations); placeholders are filled after it: ``translate(c, "{n} steps").format(n=3)``;
* ``N_(context, text)`` where text is made at import time (help texts, constants): it only marks
  ``text`` and returns it, and whoever shows it calls ``translate(context, text)``.

The context names where a text belongs (``"figures"``, ``"RunSpec"``, ``"Hyperparameter"``,
``"experiments"``, ``"explain"``), so one English text may be translated differently in two places.
"""
from __future__ import annotations

from typing import Callable

__all__ = ["translate", "N_", "set_translator"]

_translator: Callable[[str, str], str] | None = None


def translate(context: str, text: str) -> str:
    """``text`` in the user's language by the installed translator (``text`` itself without one,
    or where it has no translation)."""
    translator = _translator
    if translator is None:
        return text
    return translator(context, text) or text


def N_(context: str, text: str) -> str:  # noqa: N802 - the marker's conventional name (gettext's)
    """Mark ``text`` for translation in ``context`` and return it unchanged."""
    return text


def set_translator(translator: Callable[[str, str], str] | None) -> None:
    """Translate the library's texts with ``translator(context, text)`` (None: English again)."""
    global _translator
    _translator = translator
