"""Harvest: queries of public APIs (OpenAlex, Crossref, PubMed) that write files the io readers read, and enrichment.

- :func:`bibliomap.harvest.openalex.fetch_openalex`, :func:`bibliomap.harvest.crossref.fetch_crossref`,
  :func:`bibliomap.harvest.pubmed.fetch_pubmed`: a query to a JSONL / MEDLINE file, resumable.
- :func:`bibliomap.harvest.enrich.enrich_corpus`: fill what Google Scholar records lack from OpenAlex or Crossref.

Only these explicit calls touch the network; nothing else in bibliomap does.
"""
