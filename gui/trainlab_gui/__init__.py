"""trainlab's desktop lab (``trainlab-gui``)."""

LANGUAGES = ("en", "ko", "ja")  # English and the translations the app ships (``language.py``)
