"""Default page sizes and client-side rate limits of the harvests (no imports: the CLI reads them at start-up)."""

#: OpenAlex: works per page (the API's maximum) and requests per second (a tenth of its 100/s).
OPENALEX_PER_PAGE = 200
OPENALEX_RATE = 10.0
#: Crossref: rows per page (the API's maximum) and requests per second (under the public pool's 5/s).
CROSSREF_ROWS = 1000
CROSSREF_RATE = 3.0
#: PubMed: records per efetch, and requests per second under NCBI's 3/s (10/s with an API key).
PUBMED_BATCH = 500
PUBMED_RATE = 2.0
PUBMED_RATE_WITH_KEY = 8.0
