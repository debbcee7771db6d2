"""The language an article is written in, as an ISO 639-1 code.

The body is identified with py3langid (langid.py's model, 97 languages): a
page's declared `lang` is often its template's, not its story's (a German
story under `<html lang="en">`). A text too short to identify keeps the
language its source declares, if any.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["identify_language"]

_MIN_LETTERS = 40  # below this langid.py guesses; a declared tag is better
_SAMPLE = 3000  # characters read: a story's language shows in its first lines
_LETTER = re.compile(r"[^\W\d_]")
_TAG = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)


def identify_language(text: str, declared: str | None = None) -> str | None:
    """Return the ISO 639-1 code of `text`'s language, or None if unknown.

    `declared` is the tag the source gives (`de-DE`, `en`); it is used only
    when the text is too short to identify.
    """
    sample = text[:_SAMPLE]
    if len(_LETTER.findall(sample)) >= _MIN_LETTERS:
        code, _ = _identifier().classify(sample)
        if isinstance(code, str) and len(code) == 2:
            return code
    match = _TAG.match(declared.strip()) if declared else None
    return match[1].lower() if match else None


@functools.cache
def _identifier() -> Any:
    """langid.py's identifier, loaded once (about a second) on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)
