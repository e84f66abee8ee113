"""The language of the report, its figures and its generated sentences (gettext catalogues).

Text shown to a reader is written in English in the code and passed through :func:`_`; the
translations are standard gettext catalogues, ``report/locale/<lang>/LC_MESSAGES/bibliomap.po``,
compiled to the ``.mo`` files shipped beside them by ``scripts/build_catalogues.py`` (Babel).
Another language is one more catalogue. The language is a context variable, so the study
sets it once (:func:`language`) and every function drawing or writing inside follows it.
Terms, titles and names from the data are never translated.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
from collections.abc import Iterator
from pathlib import Path

from bibliomap.scoped import set_within

#: Languages with a catalogue (English is the source language and needs none).
LANGUAGES = ("en", "id")
DOMAIN = "bibliomap"
LOCALE_DIR = Path(__file__).parent / "report" / "locale"

_CURRENT: contextvars.ContextVar[gettext.NullTranslations] = contextvars.ContextVar("language", default=gettext.NullTranslations())
_CODE: contextvars.ContextVar[str] = contextvars.ContextVar("language_code", default="en")


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the identity)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Inside, :func:`_` translates into ``lang``."""
    with set_within(_CURRENT, translations(lang)), set_within(_CODE, lang):
        yield


def current_language() -> str:
    """The code of the language :func:`_` translates into now."""
    return _CODE.get()


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    return _CURRENT.get().gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined; it is translated (with :func:`_`) where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular (n = 1) or the plural message, translated. The choice is English's; the catalogues
    so far (Indonesian has one form) need no other rule, and each form is its own msgid."""
    return _(singular if int(n) == 1 else plural)
