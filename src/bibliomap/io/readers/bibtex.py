"""BibTeX reader: generic (Zotero, Mendeley, JabRef, Google Scholar, PoP), Scopus and WoS .bib exports.

A regex-driven tokenizer of our own (entries, nested braces, quoted values,
``@string`` macros, ``#`` concatenation; ``@comment``/``@preamble`` skipped) and a
compact LaTeX-to-Unicode decoder. The database is detected per entry from its
content: ``Unique-ID = {WOS:...}`` -> "wos", ``source = {Scopus}`` -> "scopus",
otherwise "bibtex". An unterminated entry is rejected with its line number and
reading resumes at the next entry.
"""
from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.finalize import TEXT_CLEAN
from bibliomap.corpus.identifiers import (
    normalize_arxiv_id,
    normalize_doi,
    normalize_pmid,
    normalize_wos_ut,
    split_isbns,
    split_issns,
)
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_author, new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import count_cell, split_list, to_year
from bibliomap.io.readers.pop_notes import database_of, is_pop_key, is_truncation_marker, parse_pop_notes
from bibliomap.io.readers.scopus_csv import split_scopus_references

# --------------------------------------------------------------------------------------
# LaTeX -> Unicode
# --------------------------------------------------------------------------------------

_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361", "G": "\u030f",
}

_SYMBOLS = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
    "textendash": "–", "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "textquotedbl": '"', "textasciitilde": "~",
    "textasciicircum": "^", "textbackslash": "\\", "textbar": "|", "textless": "<", "textgreater": ">",
    "textunderscore": "_", "textregistered": "®", "texttrademark": "™", "textcopyright": "©",
    "copyright": "©", "textdegree": "°", "degree": "°", "textperthousand": "‰", "textsection": "§",
    "S": "§", "P": "¶", "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€", "yen": "¥",
    "dag": "†", "ddag": "‡", "textdagger": "†", "ldots": "…", "dots": "…", "cdots": "⋯",
    "textellipsis": "…", "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«",
    "guillemetright": "»", "quad": " ", "qquad": " ", "textmu": "µ", "LaTeX": "LaTeX", "TeX": "TeX",
    "BibTeX": "BibTeX", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι",
    "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "times": "×",
    "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
    "approx": "≈", "sim": "∼", "infty": "∞", "cdot": "·", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫",
    "sqrt": "√", "in": "∈", "ell": "ℓ", "circ": "∘", "ast": "∗", "star": "⋆", "prime": "′",
}

# Formatting commands and declarations: the name goes, the argument (if any) stays.
_DROP = {
    "textit", "textbf", "textsc", "textrm", "textsf", "texttt", "textup", "textsl", "textmd",
    "textnormal", "emph", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb",
    "mathnormal", "mbox", "hbox", "text", "underline", "uline", "url", "ensuremath",
    "textsuperscript", "textsubscript", "NoCaseChange", "MakeUppercase", "MakeLowercase",
    "em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "normalfont", "upshape", "itshape",
    "bfseries", "scshape", "mdseries", "rmfamily", "sffamily", "ttfamily", "relax", "protect",
    "left", "right", "big", "Big", "displaystyle", "nolinkurl", "small", "footnotesize", "large",
}

_ESCAPES = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", "~": "~", "^": "^",
    " ": " ", "\n": " ", "\t": " ", ",": " ", ";": " ", ":": " ", ">": " ", "!": "", "-": "",
    "/": "", "@": "", "\\": " ", "|": "|", "*": "",
}

_LATEX = re.compile(
    r"(?=[\\\-`'~{}$])(?:(?P<acc>\\(?P<an>[\"'`^~=.])\s*(?:\{\s*(?P<ab>\\[ij](?![A-Za-z])|[A-Za-z]{0,2})\s*\}|(?P<au>\\[ij](?![A-Za-z])|[A-Za-z])))"
    r"|(?P<lacc>\\(?P<ln>[cvuHkrdbtG])(?:\s*\{\s*(?P<lb>\\[ij](?![A-Za-z])|[A-Za-z]{0,2})\s*\}|\s+(?P<lu>[A-Za-z])))"
    r"|(?P<cmd>\\(?P<cn>[A-Za-z]+)(?P<ct>\{\}|[ \t]+)?)"
    r"|(?P<esc>\\(?P<ec>.))"
    r"|(?P<dash>---?)"
    r"|(?P<quote>``|'')"
    r"|(?P<tilde>~)"
    r"|(?P<drop>[{}$]))",
    re.S,
)
_LATEX_START = re.compile(r"\\|--|``|''|~|\{|\}|\$")  # where a _LATEX match can start (all literals: fast scan)
_NEEDS_LATEX = re.compile(r"[\\{}$~]|--|``|''")
_ESCAPED = frozenset("_&%#$~^")  # what _VERBATIM unescapes, but braces
_VERBATIM = re.compile(r"\\([_&%#$~^{}])|(?<!\\)[{}]")


def _accent(mark: str, base: str) -> str:
    if base in ("\\i", "\\j"):
        base = base[1]
    if not base:
        return mark if mark in "\"'`^~=." else ""
    combined = unicodedata.normalize("NFC", base[0] + _ACCENTS[mark])
    return combined + base[1:]


def _latex_sub(m: re.Match) -> str:
    kind = m.lastgroup  # the matched alternative: its group closes last
    if kind == "drop":  # braces and math shifts
        return ""
    if kind == "esc":
        c = m.group("ec")
        return _ESCAPES.get(c, c)
    if kind == "dash":
        return "—" if len(m.group("dash")) == 3 else "–"
    if kind == "cmd":
        name = m.group("cn")
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _DROP:
            return ""
        trail = m.group("ct")
        return name + (" " if trail and trail != "{}" else "")  # unknown command: keep its name
    if kind == "acc":
        base = m.group("ab") if m.group("ab") is not None else m.group("au")
        return _accent(m.group("an"), base)
    if kind == "lacc":
        base = m.group("lb") if m.group("lb") is not None else m.group("lu")
        return _accent(m.group("ln"), base)
    if kind == "quote":
        return "“" if m.group("quote") == "``" else "”"
    return " "  # tilde


def _needs_latex(value: str) -> bool:
    """Whether ``_NEEDS_LATEX`` occurs in ``value`` (substring tests: much faster than the regex)."""
    return (
        "\\" in value or "{" in value or "}" in value or "$" in value or "~" in value
        or "--" in value or "``" in value or "''" in value
    )


def decode_latex(value: str, verbatim: bool = False) -> str:
    """LaTeX markup to plain Unicode text; ``verbatim`` (DOIs, URLs, references) only unescapes and unbraces."""
    if verbatim:
        if "{" in value or "}" in value:
            if "\\" in value and ("\\{" in value or "\\}" in value):
                return _VERBATIM.sub(lambda m: m.group(1) or "", value)
            value = value.replace("{", "").replace("}", "")  # no escaped brace: every brace goes
        if "\\" in value:
            return _unescape(value)
        return value
    if value[:1] == "{" and value[-1:] == "}":
        inner = value[1:-1]
        if "{" not in inner and "}" not in inner:
            value = inner  # the usual extra brace pair around a whole value
    if _needs_latex(value):
        return _latex_decode(value)
    return value


def _unescape(value: str) -> str:
    """``_VERBATIM.sub`` of a value without braces: each backslash followed by one of
    ``_`` ``&`` ``%`` ``#`` ``$`` ``~`` ``^`` goes (a backslash is never what one escapes,
    so each is decided alone)."""
    parts = value.split("\\")
    return parts[0] + "".join(p if p[:1] in _ESCAPED else "\\" + p for p in parts[1:])


def _latex_decode(value: str) -> str:
    """``_LATEX.sub(_latex_sub, value)``, several times faster on long text.

    A match of ``_LATEX`` can only start where ``_LATEX_START`` does, and ``_LATEX_START``
    is found by re's fast first-character scan (``_LATEX`` starts with a lookahead, so re
    tries it at every character). At each such place ``_LATEX`` matches as sub would,
    but for a backslash that ends the value.
    """
    parts: list[str] = []
    last = 0
    start = _LATEX_START.search(value)
    while start is not None:
        i = start.start()
        m = _LATEX.match(value, i)
        if m is None:
            start = _LATEX_START.search(value, i + 1)
            continue
        parts.append(value[last:i])
        parts.append(_latex_sub(m))
        last = m.end()
        start = _LATEX_START.search(value, last)
    parts.append(value[last:])
    return "".join(parts)


#: Every character str.split() splits on but the space.
NON_SPACE_WHITESPACE = (
    "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680",
    "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009",
    "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
)


def _has_other_whitespace(value: str) -> bool:
    """Whether ``value`` holds whitespace other than the space: ``not value.isprintable()`` but for
    non-whitespace control characters, and faster on long values (one memchr-like scan per character)."""
    for c in NON_SPACE_WHITESPACE:
        if c in value:
            return True
    return False


def _clean(value: str, verbatim: bool = False) -> str:
    """Collapse whitespace (fields are wrapped in exports) and decode LaTeX.

    ``decode_latex`` is written out for the usual non-verbatim value: this runs for
    nearly every field of every entry.
    """
    if verbatim:
        value = decode_latex(value, True)
    else:
        if value[:1] == "{" and value[-1:] == "}":
            inner = value[1:-1]
            if "{" not in inner and "}" not in inner:
                value = inner  # the usual extra brace pair around a whole value
        if (
            "\\" in value or "{" in value or "}" in value or "$" in value or "~" in value
            or "--" in value or "``" in value or "''" in value
        ):  # _needs_latex
            value = _latex_decode(value)
    if (
        (value.isprintable() if len(value) < 2000 else not _has_other_whitespace(value))
        and value.rfind("  ") < 0 and value[:1] != " " and value[-1:] != " "
    ):
        return value  # already collapsed (the only printable whitespace is the space)
    return " ".join(value.split())


# --------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------

_ENTRY = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_NEXT_ENTRY_AT_LINE = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]", re.M)
_KEY = re.compile(r"[ \t\r\n]*([^,{}()=\"#\r\n]*?)[ \t]*,")  # Scopus keys may hold spaces ("Van Dam2023")
_WS = re.compile(r"[ \t\r\n]*")
_FIELD_NAME = re.compile(r"[ \t\r\n]*([^\s=,{}\"#()@](?:[^=,{}\"#()\n]*[^\s=,{}\"#()])?)\s*=[ \t\r\n]*")
_BRACE_SCAN = re.compile(r"(?<!\\)[{}]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]")
_QUOTE_SCAN = re.compile(r"(?<!\\)[{}\"]|\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]")
_NUMBER = re.compile(r"\d+")
_MACRO = re.compile(r"[A-Za-z_][\w\-:.+/']*")
_CONCAT = re.compile(r"[ \t\r\n]*#[ \t\r\n]*")
#: The usual field, ``name = {plain value}`` or ``{{plain value}}`` (WoS) not followed by ``#``: parsed in one match.
#: Anything else (inner braces, escapes, '@', quotes, macros, odd names) takes the full path.
_SIMPLE_FIELD = re.compile(r"[ \t\r\n]*([A-Za-z][\w-]*)[ \t]*=[ \t\r\n]*\{(\{[^{}\\@]*\}|[^{}\\@]*)\}(?![ \t\r\n]*#)")
#: ``name = {`` (a name _FIELD_NAME reads alike), the short plain ``name = {value},`` or
#: ``name = {{value}},`` (WoS), and the whitespace and comma after a value
_FIELD_HEAD = re.compile(r"[ \t\r\n]*([A-Za-z][\w-]*)[ \t]*=[ \t\r\n]*\{")
_SHORT_SIMPLE_FIELD_COMMA = re.compile(r"[ \t\r\n]*([A-Za-z][\w-]*)[ \t]*=[ \t\r\n]*\{(\{[^{}\\@]{0,500}\}|[^{}\\@]{0,500})\}[ \t\r\n]*,")
_WS_COMMA = re.compile(r"[ \t\r\n]*,")
#: a line that begins like an entry ('@type'); between entries it is an entry whose start is broken
_LINE_AT = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)([^\n]{0,40})", re.M)
#: what follows an entry closed too early by an extra '}': more ', name = ...' fields
_STRAY_TAIL = re.compile(r"[ \t]*,[ \t\r\n]*[A-Za-z][\w-]*[ \t]*=")

_MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}


class _Unterminated(Exception):
    """An entry whose braces or quotes never close (or run into the next entry)."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


def _scan_braced(text: str, pos: int) -> int:
    """``text[pos]`` is '{': the index just past its matching '}'.

    Fast path with str.find/count (each '}' in turn, counting the '{' since the
    previous one); the regex scan handles escaped braces and values that run into
    the next entry (and reports them).
    """
    end = text.find("}", pos + 1)
    opened, closed = text.count("{", pos, end) if end >= 0 else 0, 1
    while end >= 0 and opened != closed:
        nxt = text.find("}", end + 1)
        if nxt >= 0:
            opened += text.count("{", end + 1, nxt)
            closed += 1
        end = nxt
    if (
        end >= 0
        and (text.find("\\", pos, end) < 0 or (text.find("\\{", pos, end) < 0 and text.find("\\}", pos, end) < 0))
        and (text.find("@", pos, end) < 0 or _NEXT_ENTRY_AT_LINE.search(text, pos, end) is None)
    ):
        return end + 1
    return _scan_braced_slow(text, pos)


def _scan_braced_slow(text: str, pos: int) -> int:
    depth = 0
    for m in _BRACE_SCAN.finditer(text, pos):
        ch = m.group(0)
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return m.end()
        else:
            raise _Unterminated(m.start() + 1, "unbalanced braces: the value runs into the next entry")
    raise _Unterminated(len(text), "unbalanced braces: the value is never closed")


def _scan_quoted(text: str, pos: int) -> int:
    """``text[pos]`` is '"': the index just past the closing '"' (at brace depth 0)."""
    depth = 0
    for m in _QUOTE_SCAN.finditer(text, pos + 1):
        ch = m.group(0)
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise _Unterminated(m.start(), "unbalanced braces inside a quoted value")
        elif ch == '"':
            if depth == 0:
                return m.end()
        else:
            raise _Unterminated(m.start() + 1, "unterminated quoted value: it runs into the next entry")
    raise _Unterminated(len(text), "unterminated quoted value")


def _parse_value(text: str, pos: int, macros: dict[str, str], unknown: list[str]) -> tuple[str, int]:
    """Parse ``part # part # ...`` at ``pos``; returns (raw value with inner braces kept, end)."""
    parts: list[str] = []
    while True:
        ch = text[pos:pos + 1]
        if ch == "{":
            end = _scan_braced(text, pos)
            parts.append(text[pos + 1:end - 1])
        elif ch == '"':
            end = _scan_quoted(text, pos)
            parts.append(text[pos + 1:end - 1])
        else:
            m = _NUMBER.match(text, pos) or _MACRO.match(text, pos)
            if m is None:
                raise _Unterminated(pos, f"expected a value, found {text[pos:pos + 20]!r}")
            end = m.end()
            word = m.group(0)
            if word.isdigit():
                parts.append(word)
            else:
                low = word.lower()
                if low in macros:
                    parts.append(macros[low])
                elif low in _MONTH_MACROS:
                    parts.append(_MONTH_MACROS[low])
                else:
                    unknown.append(word)
                    parts.append(word)
        c = _CONCAT.match(text, end)
        if c is None or c.end() == end and text[end:end + 1] != "#":
            return "".join(parts), end
        pos = c.end()


def _braced_field_comma(text: str, pos: int) -> tuple[str, str, int] | None:
    """``name = {value},`` at ``pos`` as (lower-cased name, value, index past the comma), or None.

    A field whose value is not short and plain (those ``_SHORT_SIMPLE_FIELD_COMMA``
    matches), parsed as ``_parse_fields``' general path would (``_FIELD_NAME`` then
    ``_parse_value``) in fewer steps, with ``_scan_braced`` (str.find at memory speed,
    where a regex walks a character class one character at a time; most of a file is
    in a few long values). None for anything else (no comma after the value, ``#``
    concatenation, quoted or macro values, unbalanced braces): the general path
    handles and reports those.
    """
    m = _FIELD_HEAD.match(text, pos)
    if m is None:
        return None
    start = m.end()
    try:
        end = _scan_braced(text, start - 1)
    except _Unterminated:
        return None
    c = _WS_COMMA.match(text, end)
    if c is None:
        return None
    return m.group(1).lower(), text[start:end - 1], c.end()


def _parse_fields(text: str, pos: int, close: str, macros: dict[str, str], unknown: list[str]) -> tuple[list[tuple[str, str]], int]:
    """Parse ``name = value, ...`` up to the entry's closing char; returns (fields, index past close)."""
    fields: list[tuple[str, str]] = []
    while True:
        # the usual fields, short and plain: a scanner matches one after the other where the last ended
        scanner = _SHORT_SIMPLE_FIELD_COMMA.scanner(text, pos)
        m = scanner.match()
        while m is not None:
            name, value = m.groups()
            fields.append((name.lower(), value))
            pos = m.end()
            m = scanner.match()
        braced = _braced_field_comma(text, pos)
        if braced is not None:  # other braced values
            fields.append(braced[:2])
            pos = braced[2]
            continue
        pos = _WS.match(text, pos).end()
        ch = text[pos:pos + 1]
        if ch == close:
            return fields, pos + 1
        if ch == ",":
            pos += 1
            continue
        if not ch:
            raise _Unterminated(pos, f"entry not closed with '{close}' before the end of the file")
        if ch == "@" and _ENTRY.match(text, pos):
            raise _Unterminated(pos, f"entry not closed with '{close}' before the next entry")
        m = _SIMPLE_FIELD.match(text, pos)
        if m is not None:
            fields.append((m.group(1).lower(), m.group(2)))
            pos = m.end()
        else:
            m = _FIELD_NAME.match(text, pos)
            if m is None:
                raise _Unterminated(pos, f"expected 'field = value', found {text[pos:pos + 30]!r}")
            value, pos = _parse_value(text, m.end(), macros, unknown)
            fields.append(("_".join(m.group(1).lower().split()), value))
        pos = _WS.match(text, pos).end()
        ch = text[pos:pos + 1]
        if ch not in (",", close):
            if not ch:
                raise _Unterminated(pos, f"entry not closed with '{close}' before the end of the file")
            raise _Unterminated(pos, f"expected ',' or '{close}' after field {m.group(1)!r}, found {text[pos:pos + 20]!r}")


def _skip_block(text: str, pos: int, opener: str) -> int:
    """Skip a @comment/@preamble block whose opener is at ``pos``."""
    if opener == "{":
        try:
            return _scan_braced(text, pos)
        except _Unterminated:
            nl = text.find("\n", pos)
            return len(text) if nl < 0 else nl
    end = text.find(")", pos)
    return len(text) if end < 0 else end + 1


def iter_entries(source: Source) -> Iterator[tuple[int, int, str, str, list[tuple[str, str]]]]:
    """Yield (record_no, line, entry type, key, raw fields) per entry; rejects broken ones on ``source``."""
    text = source.text
    macros: dict[str, str] = {}
    pos, line, line_pos = 0, source.first_line, 0
    record_no = 0
    while True:
        m = _ENTRY.search(text, pos)
        gap_end = len(text) if m is None else m.start()
        if text.find("@", pos, gap_end) >= 0:  # text between entries that begins like one
            for bad in _LINE_AT.finditer(text, pos, gap_end):
                if bad.group(1).lower() in ("comment", "preamble", "string"):
                    continue
                record_no += 1
                at = line + text.count("\n", line_pos, bad.start())
                source.reject(record_no, at, f"entry start {bad.group(0).strip()!r} is not '@type{{key,': the entry cannot be read")
        if m is None:
            return
        start = m.start()
        line += text.count("\n", line_pos, start)
        line_pos = start
        etype = m.group(1).lower()
        opener = m.group(2)
        close = "}" if opener == "{" else ")"
        if etype in ("comment", "preamble"):
            pos = _skip_block(text, m.end() - 1, opener)
            continue
        unknown: list[str] = []
        if etype == "string":
            try:
                fields, pos = _parse_fields(text, m.end(), close, macros, unknown)
            except _Unterminated as exc:
                source.warn(f"{source.where(line=line)}: @string definition skipped: {exc.reason}")
                pos = _resume(text, m.end())
                continue
            for name, value in fields:
                macros[name] = value
            continue
        record_no += 1
        k = _KEY.match(text, m.end())
        key = ""
        body = m.end()
        if k is not None and "=" not in k.group(0):
            key, body = k.group(1), k.end()
        try:
            fields, pos = _parse_fields(text, body, close, macros, unknown)
            if _STRAY_TAIL.match(text, pos):  # closed by an extra brace: the fields go on after it
                stray_line = line + text.count("\n", start, pos - 1)
                more, pos = _parse_fields(text, pos, close, macros, unknown)
                fields += more
                source.warn(f"{source.where(line=stray_line, record=record_no)}: an extra '{close}' in @{etype} entry {key!r} was ignored; the fields after it were read")
        except _Unterminated as exc:
            bad_line = line + text.count("\n", start, min(exc.pos, len(text)))
            source.reject(record_no, line, f"malformed @{etype} entry {key!r}: {exc.reason} (near line {bad_line})")
            pos = _resume(text, m.end())
            continue
        if unknown:
            source.warn(f"{source.where(line=line, record=record_no)}: undefined macro(s) {', '.join(sorted(set(unknown)))} kept as text")
        yield record_no, line, etype, key, fields


def _resume(text: str, after: int) -> int:
    """Where to continue after a broken entry: the next entry start at a line start after ``after``."""
    nxt = _NEXT_ENTRY_AT_LINE.search(text, after)
    if nxt is None:
        return len(text)
    return nxt.start()


# --------------------------------------------------------------------------------------
# Fields -> record
# --------------------------------------------------------------------------------------

_SCOPUS_EID = re.compile(r"2-s2\.0-\d+")
_CITED_BY = re.compile(r"cited\s+by:?\s*(\d+)", re.I)
_PAGES = re.compile(r"\s*(?:-+|–|—)\s*")
_MONTHS = {m[:3].lower(): i for i, m in enumerate(_MONTH_MACROS.values(), 1)}
_AND = re.compile(r"\s+and\s+")
_COMMA = re.compile(r",")
# unmatched names list before an address: "A, B; C, D, Addr" or "Wang Cuirong; Yang Zhaoping, Addr"
_WOS_NAMES_PREFIX = re.compile(r"^(?:(?:[^,;\[\]]+, [^,;\[\]]+; )+[^,;\[\]]+, [^,;\[\]]+|[^,\[\]]*;[^,\[\]]*), (.+)$")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")

# Fields consumed into schema columns (per database); everything else goes to ``extra``.
_USED_COMMON = {
    "author", "title", "abstract", "year", "date", "month", "journal", "journaltitle", "booktitle",
    "volume", "number", "issue", "pages", "doi", "url", "issn", "eissn", "isbn", "language", "langid",
    "publisher", "pmid", "pubmed_id", "pubmed-id", "eprint", "arxivid", "eid",
}
_USED = {
    "scopus": _USED_COMMON | {"abbrev_source_title", "art_number", "author_keywords", "keywords",
                              "references", "affiliation", "affiliations", "funding_details",
                              "document_type", "type", "source"},
    "wos": _USED_COMMON | {"journal-iso", "article-number", "keywords", "keywords-plus", "cited-references",
                           "times-cited", "unique-id", "affiliation", "web-of-science-categories", "oa",
                           "funding-acknowledgement", "type", "earlyaccessdate", "early_access_date"},
    "bibtex": _USED_COMMON | {"shortjournal", "keywords", "affiliation", "affiliations"},
}


def _detect_database(fields: dict[str, str]) -> str:
    uid = fields.get("unique-id", "")
    if "WOS:" in uid.upper():
        return "wos"
    if decode_latex(fields.get("source", ""), True).strip().lower() == "scopus":
        return "scopus"
    if "scopus.com/inward" in fields.get("url", "") and ("document_type" in fields or "abbrev_source_title" in fields):
        return "scopus"  # older Scopus exports without 'source'
    return "bibtex"


def _split_top_level(raw: str, pattern: re.Pattern) -> list[str]:
    """Split ``raw`` on ``pattern`` only where it is outside braces."""
    if "{" not in raw:
        return pattern.split(raw)
    out, last = [], 0
    depth, counted = 0, 0  # brace depth after raw[:counted] (as _brace_depths counts it)
    for m in pattern.finditer(raw):
        i = m.start() + 1
        depth += _brace_change(raw, counted, i)
        counted = i
        if depth == 0:
            out.append(raw[last:m.start()])
            last = m.end()
    out.append(raw[last:])
    return out


def _brace_change(raw: str, start: int, end: int) -> int:
    """How much the braces in ``raw[start:end]`` change the depth: those after a backslash do not."""
    before = max(start - 1, 0)  # an escaping backslash may sit just before the range
    opened = raw.count("{", start, end) - raw.count("\\{", before, end)
    closed = raw.count("}", start, end) - raw.count("\\}", before, end)
    return opened - closed


def _brace_depths(raw: str) -> list[int]:
    depths, d, prev = [], 0, ""
    for ch in raw:
        if ch == "{" and prev != "\\":
            d += 1
        elif ch == "}" and prev != "\\":
            d -= 1
        depths.append(d)
        prev = ch
    return depths


def _parse_authors(raw: str) -> tuple[list[dict], bool]:
    """Authors from a BibTeX name list; True when the list ends with 'and others' (truncated)."""
    authors: list[dict] = []
    truncated = False
    for part in _split_top_level(raw.strip(), _AND):
        part = part.strip()
        if not part:
            continue
        if part.lower() == "others" or is_truncation_marker(part):  # Google Scholar / PoP: "and ..."
            truncated = True
            continue
        if part.startswith("{") and part.endswith("}") and _brace_depths(part)[:-1].count(0) == 0:
            corporate = _clean(part)
            authors.append(new_author(name=corporate, surname=corporate))
            continue
        name = _clean(part)
        parts = name.split(",") if "{" not in name else _split_top_level(name, _COMMA)
        pieces = [p for p in map(str.strip, parts) if p]
        if len(pieces) >= 3:  # "von Last, Jr, First"
            name = f"{pieces[0]}, {pieces[2]}"
        authors.append(parse_name(name))
    return authors, truncated


def _split_keywords(value: str) -> list[str]:
    return split_list(value, ";" if ";" in value else ",")


def _iso_date(year: int | None, month: str | None, date: str | None) -> str | None:
    if date:
        m = _DATE.match(date.strip())
        if m:
            y, mo, d = m.group(1), m.group(2), m.group(3)
            return y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
    if year is None:
        return None
    if month:
        tokens = month.replace(".", " ").split()
        mo = None
        if tokens:
            t = tokens[0].lower()
            mo = int(t) if t.isdigit() and 1 <= int(t) <= 12 else _MONTHS.get(t[:3])
        if mo:
            day = tokens[1] if len(tokens) > 1 and tokens[1].isdigit() and 1 <= int(tokens[1]) <= 31 else None
            return f"{year}-{mo:02d}" + (f"-{int(day):02d}" if day else "")
    return str(year)


def _wos_affiliations(raw: str, authors: list[dict]) -> list[str]:
    """Parse WoS 'Affiliation' lines into per-author affiliations; returns all addresses in order."""
    lines: list[str] = []
    for piece in raw.split("\n"):
        piece = piece.strip()
        if not piece:
            continue
        if lines and not lines[-1].endswith("."):
            lines[-1] += " " + piece  # a wrapped address line
        else:
            lines.append(piece)
    by_name = {a["name"]: a for a in authors if a.get("name")}
    names_longest_first = sorted(by_name, key=len, reverse=True)
    addresses: list[str] = []
    reprint: list[str] = []
    for line in lines:
        line = _clean(line).rstrip(".").strip()
        if not line:
            continue
        if line.startswith("["):  # "[Smith, J; Doe, A] Univ X, City, Country"
            close = line.find("]")
            names = [n.strip() for n in line[1:close].split(";")] if close > 0 else []
            addr = line[close + 1:].strip() if close > 0 else line
            owners = [by_name[n] for n in names if n in by_name]
        elif "(Corresponding Author)" in line:
            addr = line.split("(Corresponding Author)", 1)[1].lstrip(" ,")
            if addr and addr not in reprint:
                reprint.append(addr)
            continue
        else:  # "Smith, John; Doe, Anna, Univ X, City, Country"
            owners, pos = [], 0
            while True:
                owner = next((n for n in names_longest_first if line.startswith(n, pos)), None)
                if owner is None:
                    break
                owners.append(by_name[owner])
                pos += len(owner)
                if line.startswith("; ", pos):
                    pos += 2
                    continue
                break
            if owners and line.startswith(",", pos):
                addr = line[pos + 1:].strip()
            else:
                owners = []
                m = _WOS_NAMES_PREFIX.match(line)
                addr = m.group(1).strip() if m else line
        if not addr:
            continue
        if addr not in addresses:
            addresses.append(addr)
        for a in owners:
            if addr not in a["affiliations"]:
                a["affiliations"].append(addr)
    return addresses or reprint


def _wos_references(raw: str) -> list[str]:
    """One reference per line of a WoS 'Cited-References' value, whitespace collapsed, final '.' dropped.

    The whole value is decoded at once: verbatim decoding never adds or removes a line
    break and no escape spans one, so that equals decoding line by line.
    """
    lines = list(map(str.strip, decode_latex(raw, verbatim=True).split("\n")))
    joined = " ".join(lines)
    if joined.rfind("  ") >= 0 or _has_other_whitespace(joined):  # else every line is already collapsed, as usual
        lines = [" ".join(line.split()) for line in lines]
    return list(filter(None, map(str.rstrip, map(_DROP_FINAL_PERIOD, lines))))


_DROP_FINAL_PERIOD = operator.methodcaller("removesuffix", ".")


#: Fields whose repeats add to a list; any other field repeated with another value keeps its first.
_LIST_FIELDS = {
    "author", "editor", "keywords", "author_keywords", "keywords-plus", "funding_details", "funding_text",
    "funding-acknowledgement", "funding-text", "affiliation", "affiliations", "references", "cited-references",
    "note", "annote", "comment", "web-of-science-categories", "research-areas", "orcid-numbers",
    "researcherid-numbers", "file", "mendeley-tags",
}


def build_record(
    source: Source, record_no: int, line: int, etype: str, key: str, raw_fields: list[tuple[str, str]]
) -> dict[str, Any] | None:
    """A schema record from one entry's raw fields; None (after rejecting) when it has no title and no id."""
    fields: dict[str, str] = {}
    for name, value in raw_fields:
        if name not in fields or not fields[name].strip():
            fields[name] = value
        elif not value.strip() or value == fields[name]:
            continue
        elif name in _LIST_FIELDS:  # a repeated list field (Scopus repeats funding_details)
            joiner = " and " if name in ("author", "editor") else "; "
            fields[name] = f"{fields[name]}{joiner}{value}"
        else:
            source.warn(f"{source.where(line=line, record=record_no)}: field {name!r} appears twice in entry {key!r}; "
                        f"the first value is kept, {value[:40]!r} is not")
    db = _detect_database(fields)

    def text(name: str) -> str | None:
        v = fields.get(name)
        if v is None:
            return None
        v = _clean(v)
        return v or None

    def verb(name: str) -> str | None:
        v = fields.get(name)
        if v is None:
            return None
        v = _clean(v, verbatim=True)
        return v or None

    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = db
    pop_extra: dict[str, str] = {}  # Publish or Perish's notes, when the entry is from PoP
    rec["title"] = text("title")
    rec["abstract"] = text("abstract")
    if "author" in fields:
        rec["authors"], rec["authors_truncated"] = _parse_authors(fields["author"])
        rec["n_authors"] = len(rec["authors"]) + (1 if rec["authors_truncated"] else 0)
        if not rec["authors_truncated"]:
            rec["authors_truncated"] = False
    rec["year"] = to_year(text("year")) or to_year(text("date"))
    if rec["year"] is None and db == "wos":
        rec["year"] = to_year(text("earlyaccessdate") or text("early_access_date"))
    rec["date"] = _iso_date(rec["year"], text("month"), text("date"))
    rec["source_title"] = text("journal") or text("journaltitle") or text("booktitle")
    rec["source_abbrev"] = text("abbrev_source_title") or text("journal-iso") or text("shortjournal")
    rec["volume"] = text("volume")
    rec["issue"] = text("number") or text("issue")
    pages = text("pages")
    if pages:
        bits = _PAGES.split(pages, maxsplit=1)
        rec["page_start"] = bits[0] or None
        rec["page_end"] = bits[1] if len(bits) > 1 and bits[1] else None
    rec["article_number"] = text("art_number") or text("article-number")
    eid_field = verb("eid")
    if eid_field and not _SCOPUS_EID.search(eid_field):
        rec["article_number"] = rec["article_number"] or eid_field
    url = verb("url")
    rec["url"] = url
    rec["doi"] = normalize_doi(verb("doi"))
    if rec["doi"] is None and url and "doi.org/" in url:
        rec["doi"] = normalize_doi(url)
    eid = _SCOPUS_EID.search(eid_field or "") or _SCOPUS_EID.search(url or "")
    rec["eid"] = eid.group(0) if eid else None
    rec["wos_ut"] = normalize_wos_ut(verb("unique-id")) if db == "wos" else None
    rec["pmid"] = normalize_pmid(verb("pubmed_id") or verb("pmid") or verb("pubmed-id"))
    eprint_is_arxiv = "arxiv" in (fields.get("archiveprefix", "") + fields.get("eprinttype", "")).lower()
    rec["arxiv_id"] = normalize_arxiv_id(verb("arxivid") or (verb("eprint") if eprint_is_arxiv else None))
    rec["issn"] = split_issns(" ".join(filter(None, [verb("issn"), verb("eissn")])))
    rec["isbn"] = split_isbns(verb("isbn"))
    rec["language"] = text("language") or text("langid")
    rec["publisher"] = text("publisher")

    if db == "scopus":
        rec["doc_type_raw"] = text("document_type") or text("type")  # 'type' since the 2023 exports
        rec["author_keywords"] = split_list(text("author_keywords"))
        rec["index_keywords"] = split_list(text("keywords"))
        affs = text("affiliations") or text("affiliation")
        rec["affiliations"] = split_list(affs)
        refs = fields.get("references")
        rec["references"] = split_scopus_references(_clean(refs, verbatim=True)) if refs else []
        note = text("note") or ""
        cited = _CITED_BY.search(note)
        rec["times_cited"] = int(cited.group(1)) if cited else None
        rec["open_access"] = True if "open access" in note.lower() else None
        rec["funding"] = text("funding_details")
        rec["_reference_style"] = "scopus"
    elif db == "wos":
        rec["doc_type_raw"] = text("type")
        rec["author_keywords"] = split_list(text("keywords"))
        rec["index_keywords"] = split_list(text("keywords-plus"))
        rec["subject_categories"] = split_list(text("web-of-science-categories"))
        if "affiliation" in fields:
            rec["affiliations"] = _wos_affiliations(fields["affiliation"], rec["authors"])
        rec["references"] = _wos_references(fields["cited-references"]) if "cited-references" in fields else []
        rec["times_cited"] = count_cell(source, text("times-cited"), "times-cited", record_no, line)
        oa = text("oa")
        rec["open_access"] = True if oa else None
        rec["funding"] = text("funding-acknowledgement") or text("funding-text")
        rec["_reference_style"] = "wos"
    else:
        rec["doc_type_raw"] = etype
        kw = text("keywords")
        rec["author_keywords"] = _split_keywords(kw) if kw else []
        rec["affiliations"] = split_list(text("affiliations") or text("affiliation"))
        pop = parse_pop_notes([_clean(v, verbatim=True) for n, v in raw_fields if n == "note"])
        if pop.is_pop or is_pop_key(key):  # a Publish or Perish export
            rec["database"] = database_of(pop.cites_url)
            rec["times_cited"] = pop.cites if pop.cites is not None else 0  # PoP omits the note at zero
            rec["query_date"] = pop.query_date
            fields.pop("note", None)
            pop_extra = {"note": "; ".join(pop.other)} if pop.other else {}
            if pop.cites_url:
                pop_extra["cites_url"] = pop.cites_url

    if rec["times_cited"] is not None:
        rec["citation_counts"] = [{"database": rec["database"], "count": rec["times_cited"], "date": rec["query_date"]}]
    # every string above comes from _clean (or a normalizer's match, or the entry type) and is
    # None when empty; Scopus references are pieces of collapsed text, each stripped
    rec[TEXT_CLEAN] = True
    extra: dict[str, str] = {"bibtex_type": etype}
    if key:
        extra["bibtex_key"] = key
    used = _USED[db]
    for name, value in fields.items():
        if name not in used:
            v = _clean(value)
            if v:
                extra[name] = v
    extra.update(pop_extra)
    rec["extra"] = extra
    if not rec["title"] and not any(rec[k] for k in ("doi", "eid", "wos_ut", "pmid", "arxiv_id")):
        source.reject(record_no, line, f"@{etype} entry {key!r} has no title and no identifier")
        return None
    return rec


# --------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------

_SNIFF_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(article|inproceedings|conference|book|incollection|inbook|misc|phdthesis|mastersthesis|"
    r"techreport|unpublished|proceedings|online|report|thesis|manual|booklet|string|preamble|comment)[ \t]*[{(]",
    re.I | re.M,
)
_SNIFF_FIELD = re.compile(r"^\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]", re.M)


def sniff(head: str, filename: str) -> float:
    """BibTeX: '@article{' style entry starts at line starts plus 'field = {' lines."""
    if _SNIFF_ENTRY.search(head) is None:
        if re.search(r"^[ \t]*@[A-Za-z]+[ \t]*\{[^,\n]*,", head, re.M) is None:
            return 0.0
        score = 0.6
    else:
        score = 0.85
    if _SNIFF_FIELD.search(head):
        score += 0.1
    if filename.endswith((".bib", ".bibtex")):
        score += 0.05
    return min(score, 1.0)


@register(
    "bibtex",
    sniff=sniff,
    description="BibTeX (.bib): generic (Zotero, Mendeley, Google Scholar, PoP), Scopus and Web of Science exports",
    extensions=(".bib", ".bibtex"),
    aliases=("bib",),
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per BibTeX entry; broken entries are rejected with their line."""
    if _ENTRY.search(source.text) is None:
        raise ReaderError(f"{source.where()}: not BibTeX: no '@type{{' entry found")
    kept = 0
    for record_no, line, etype, key, fields in iter_entries(source):
        rec = build_record(source, record_no, line, etype, key, fields)
        if rec is not None:
            kept += 1
            yield rec
    source.n_read = kept + len(source.rejected)
