"""The Corpus (one row per publication), its schema, merging and deduplication."""
from bibliomap.corpus.corpus import Corpus
from bibliomap.corpus.schema import FIELD_DOCS, FIELD_NAMES, SCHEMA, new_author, new_record

__all__ = ["Corpus", "FIELD_DOCS", "FIELD_NAMES", "SCHEMA", "new_author", "new_record"]
