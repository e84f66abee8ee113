"""``bibliomap terms``: noun-phrase terms of titles/abstracts with VOSviewer's selection rules."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from bibliomap.cli.common import fail, load_corpus, load_thesaurus, stored_input
from bibliomap.cli.engine_options import chosen_engine, engine_option, master_option


def register(app: typer.Typer) -> None:
    @app.command("terms")
    def terms_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files."),
        out: Path = typer.Option(..., "--out", "-o", help="Write the verification table here (TSV)."),
        fields: str = typer.Option("title,abstract", "--fields", help="Text fields: title, abstract or title,abstract."),
        counting: str = typer.Option("binary", "--counting", help="binary (once per document) or full (every occurrence)."),
        min_occurrences: int = typer.Option(10, "--min-occurrences", min=1, help="Minimum occurrences of a candidate term."),
        keep: float = typer.Option(0.6, "--keep", help="Share of the candidates kept, most relevant first (rounded up)."),
        n_terms: Optional[int] = typer.Option(None, "--n-terms", min=0, help="Keep this many terms instead of a share."),
        specificity_weight: float = typer.Option(
            0.7, "--specificity-weight", min=0.0, max=1.0,
            help="Share of termhood against academic prose in the relevance score; 0 = co-occurrence KL alone."),
        keyword_evidence: bool = typer.Option(
            False, "--keyword-evidence",
            help="Let the records' author and index keywords add to termhood (off: works the same without keywords)."),
        thesaurus: Optional[Path] = typer.Option(None, "--thesaurus", help="VOSviewer thesaurus file (label<TAB>replace by)."),
        nested: bool = typer.Option(
            False, "--nested",
            help="Also count attested sub-phrases inside longer phrases (C-value's nested terms; VOSviewer does not)."),
        keep_labels: bool = typer.Option(False, "--keep-structured-labels", help="Do not ignore structured-abstract labels."),
        keep_copyright: bool = typer.Option(False, "--keep-copyright", help="Do not remove copyright statements."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
        engine: str = engine_option(),
        spark_master: Optional[str] = master_option(),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary output."),
    ) -> None:
        """Extract terms and write VOSviewer's verification table (term, occurrences, relevance score,
        selected) plus thesaurus-suggestions.tsv beside it."""
        from rich.console import Console

        from bibliomap.atomic import write_text
        from bibliomap.corpus.stored import StoredCorpus
        from bibliomap.text.suggestions import suggest, write_suggestions
        from bibliomap.text.terms import extract_terms

        field_list = tuple(f.strip().lower() for f in fields.split(",") if f.strip())
        bad = [f for f in field_list if f not in ("title", "abstract")]
        if not field_list or bad:
            fail(f"--fields: expected title, abstract or title,abstract, got {fields!r}")
        if counting not in ("binary", "full"):
            fail(f"--counting: expected binary or full, got {counting!r}")
        if not 0 < keep <= 1:
            fail(f"--keep: expected a share in (0, 1], got {keep}")
        thes = load_thesaurus(thesaurus) if thesaurus is not None else None
        options = dict(fields=field_list, counting=counting, min_occurrences=min_occurrences, keep=keep, n_terms=n_terms,
                       thesaurus=thes, ignore_structured_labels=not keep_labels, ignore_copyright=not keep_copyright,
                       specificity_weight=specificity_weight, nested=nested, keyword_evidence=keyword_evidence)
        with chosen_engine(engine, spark_master) as session:  # Spark: reading and tagging in tasks; selection here
            # one saved corpus: its texts are read from the file a batch at a time (on Spark by the executors), so
            # this process never holds them all
            corpus = stored_input(corpus_or_files) or load_corpus(corpus_or_files, format=format, quiet=quiet)
            if session is None:
                result = extract_terms(corpus, **options)
            else:
                from bibliomap.engines.spark_terms import extract_terms_spark

                result = extract_terms_spark(session, corpus, **options)
        table = result.terms.rename(columns={"relevance": "relevance score"}).copy()
        table["relevance score"] = table["relevance score"].map(lambda v: "" if v != v else f"{v:.4f}")
        table["selected"] = table["selected"].map({True: "yes", False: "no"})
        write_text(out, table.to_csv(sep="\t", index=False, lineterminator="\n"))
        occ = dict(zip(result.terms["term"], result.terms["occurrences"]))
        texts = (t for f in field_list for t in (corpus.iter_values(f) if isinstance(corpus, StoredCorpus)
                                                 else corpus.values(f)))
        sugg_path = out.parent / "thesaurus-suggestions.tsv"
        write_suggestions(suggest(occ, texts), sugg_path)
        if not quiet:
            n_cand = int((result.terms["occurrences"] >= min_occurrences).sum())
            Console(stderr=True).print(
                f"{len(result.terms)} terms; {n_cand} meet the threshold of {min_occurrences}; "
                f"{len(result.labels)} selected. Wrote {out} and {sugg_path}")
