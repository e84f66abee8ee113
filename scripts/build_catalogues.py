"""Build the message catalogues of the report: extract, merge, check, compile (Babel).

    python scripts/build_catalogues.py          # update the .pot and every .po, compile the .mo files
    python scripts/build_catalogues.py --check  # only report messages without a translation (exit 1 if any)

Messages are the strings passed to ``_()``, ``N_()`` in ``src/bibliomap`` (Python) and to
``_()`` in its Jinja templates. ``report/locale/bibliomap.pot`` is the template;
``report/locale/<lang>/LC_MESSAGES/bibliomap.po`` holds a language's translations (edit it
by hand or with any PO editor) and is merged with the template here: new messages are added
empty, vanished ones marked obsolete. The compiled ``bibliomap.mo`` beside each .po is what
``bibliomap.i18n`` loads at run time (standard-library gettext); it is committed, so the
package needs no build step. A message left untranslated fails the build.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bibliomap"
LOCALE = PACKAGE / "report" / "locale"
KEYWORDS = {"_": None, "N_": None}
METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2.ext:babel_extract")]


def extract() -> Catalog:
    """Every message of the package's code and templates, with where it is used."""
    template = Catalog(project="bibliomap", domain="bibliomap", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        if isinstance(message, tuple):  # a plural call: each form is its own message (see bibliomap.i18n.ngettext)
            for m in message:
                if m:
                    template.add(m, locations=[(filename, lineno)])
        elif message:
            template.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return template


def update(lang: str, template: Catalog) -> Catalog:
    po = LOCALE / lang / "LC_MESSAGES" / "bibliomap.po"
    if po.exists():
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain="bibliomap")
    else:
        catalog = Catalog(locale=lang, domain="bibliomap", project="bibliomap")
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def missing(catalog: Catalog) -> list[str]:
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every message is translated")
    args = parser.parse_args()
    template = extract()
    languages = sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir())
    failed = False
    if not args.check:
        LOCALE.mkdir(parents=True, exist_ok=True)
        with (LOCALE / "bibliomap.pot").open("wb") as f:
            write_po(f, template, width=100, omit_header=False, sort_output=True)
    for lang in languages:
        catalog = update(lang, template)
        gaps = missing(catalog)
        if gaps:
            failed = True
            print(f"{lang}: {len(gaps)} message(s) without a translation:", file=sys.stderr)
            for m in gaps:
                print(f"  {m!r}", file=sys.stderr)
        if args.check:
            continue
        folder = LOCALE / lang / "LC_MESSAGES"
        with (folder / "bibliomap.po").open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, ignore_obsolete=True)
        with (folder / "bibliomap.mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        print(f"{lang}: {len(catalog)} messages, {len(catalog) - len(gaps)} translated -> {folder / 'bibliomap.mo'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
