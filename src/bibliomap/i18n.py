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
import numbers
import string
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

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


@functools.cache
def _number_symbols(lang: str) -> dict[int, str]:
    """The swap of '.' and ',' that writes an English-formatted number in ``lang`` (CLDR's decimal and
    group symbols, from Babel): Indonesian writes 5.283,5 for 5,283.5."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str.maketrans({".": get_decimal_symbol(lang), ",": get_group_symbol(lang)})


def localize_number(text: str) -> str:
    """A number written the English way ("0.05", "1,234.5", "27.3%") as the current language writes it
    ("0,05", "1.234,5" in Indonesian): a reader of an Indonesian report takes "5.283" for five thousand."""
    lang = current_language()
    return text if lang == "en" else text.translate(_number_symbols(lang))


def decimal_mark() -> str:
    """The current language's decimal symbol ("," in Indonesian), for pages that read the numbers back (sorting)."""
    return localize_number(".")


def number_localizer() -> Callable[[str], str]:
    """``localize_number`` fixed to the current language, for text drawn later, outside the language's scope
    (a figure's tick labels, drawn again when its vector copies are written after the study)."""
    lang = current_language()
    if lang == "en":
        return lambda text: text
    table = _number_symbols(lang)
    return lambda text: text.translate(table)


class _LocalizedFormatter(string.Formatter):
    """``str.format`` that writes the numbers it formats in the current language (``localize_number``)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            return localize_number(text)
        return text


_FORMATTER = _LocalizedFormatter()


class Message(str):
    """A translated message whose ``format`` writes numbers as the current language does ("{q:.2f}" ->
    "0,05" in Indonesian), so every ``_("...").format(...)`` of the report is localized in one place."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        return _FORMATTER.vformat(str(self), args, kwargs)

    def format_map(self, mapping: Mapping[str, Any]) -> str:  # type: ignore[override]
        return _FORMATTER.vformat(str(self), (), mapping)


def _(message: str) -> str:
    """``message`` in the current language (itself when there is no translation); outside English, a
    :class:`Message`, whose ``format`` writes numbers the language's way."""
    text = _CURRENT.get().gettext(message)
    return text if _CODE.get() == "en" else Message(text)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined; it is translated (with :func:`_`) where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular (n = 1) or the plural message, translated. The choice is English's; the catalogues
    so far (Indonesian has one form) need no other rule, and each form is its own msgid."""
    return _(singular if int(n) == 1 else plural)
