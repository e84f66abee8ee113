"""Whether a JSON export is JSON Lines that can be cut at any line end (``bibliomap.io.splits``).

The JSON readers (``readers.openalex_json.iter_json_items``) first parse the whole text as one
JSON document, and read it as JSON Lines only when that fails and one of its first non-blank
lines is an object. A file whose first non-blank line is a JSON object and which has a second
non-blank line can never parse as one document (data follows a complete value), so it is read
as JSON Lines: such a file may be cut just after any ``\\n``, and each piece read as JSON Lines
(a pretty-printed document, or a single line, is read whole). The readers count lines with
``str.splitlines``, so a file holding any other character it takes for a line end is read whole
too, as line numbers are counted from ``\\n`` bytes.
"""
from __future__ import annotations

import json
import re

#: The JSON readers that read JSON Lines.
JSON_LINES_FORMATS = frozenset({"openalex_json", "crossref_json"})
#: Line ends of ``str.splitlines`` other than LF and CR, as UTF-8 bytes (VT, FF, FS, GS, RS, NEL, U+2028, U+2029).
_OTHER_LINE_ENDS = re.compile(rb"[\x0b\x0c\x1c-\x1e]|\xc2\x85|\xe2\x80[\xa8\xa9]")


def json_lines_head(head: str) -> bool:
    """Whether a JSON file whose decoded head is ``head`` is read as JSON Lines: its first non-blank line is a
    JSON object and a second non-blank line follows it."""
    lines = (line for line in head.split("\n") if line.strip())
    first, second = next(lines, None), next(lines, None)
    if first is None or second is None:
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def json_lines_cuttable(data: bytes) -> bool:
    """Whether a block of a UTF-8 JSON Lines file holds no line end but LF and CR LF (bare CRs are checked apart)."""
    return _OTHER_LINE_ENDS.search(data) is None
