"""A local stand-in for the OpenAlex, Crossref and PubMed APIs, for tests and the harvest benchmark.

It serves, on 127.0.0.1, answers in the shapes the real APIs send (per their
documentation and the recorded answers under tests/fixtures/web): OpenAlex
``/openalex/works`` cursor pages and ``/works/doi:...`` singletons, Crossref
``/crossref/works`` cursor pages and ``/works/{doi}``, and PubMed
``/pubmed/esearch.fcgi`` + ``/pubmed/efetch.fcgi`` (MEDLINE text). The records
come from real data: the PubMed MEDLINE export under ../shared/corpora (records
served verbatim by efetch, and rendered as OpenAlex works and Crossref items).

Faults are injected per page: ``sim.fault("openalex", page=2, kind="429",
retry_after="3")``; kinds: 401, 429, 500, 503, malformed (a 200 whose body is cut
short), drop (the connection closes mid-body). Every request is logged with its
arrival time, so tests and the benchmark can count requests per second.
"""
from __future__ import annotations

import base64
import csv
import dataclasses
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from rapidfuzz import fuzz

SHARED = Path(__file__).resolve().parents[3] / "shared"
MEDLINE_FILE = SHARED / "corpora" / "pubmed-medline" / "pubmed.txt"

ISO2 = {
    "China": "CN", "USA": "US", "United States": "US", "Italy": "IT", "Spain": "ES", "Germany": "DE", "France": "FR",
    "United Kingdom": "GB", "UK": "GB", "Canada": "CA", "Australia": "AU", "Brazil": "BR", "India": "IN", "Japan": "JP",
    "Korea": "KR", "Iran": "IR", "Netherlands": "NL", "Portugal": "PT", "Switzerland": "CH", "Turkey": "TR", "Greece": "GR",
}


def medline_records(path: Path = MEDLINE_FILE) -> list[str]:
    """The MEDLINE records of a PubMed export, verbatim, one string each."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    starts = [m.start() for m in re.finditer(r"^PMID- ", text, re.M)]
    return [text[a:b].strip("\n") for a, b in zip(starts, starts[1:] + [len(text)])]


def inverted_index(text: str | None) -> dict[str, list[int]] | None:
    """OpenAlex's abstract_inverted_index of a text: {word: [positions]}."""
    if not text:
        return None
    index: dict[str, list[int]] = {}
    for i, word in enumerate(text.split()):
        index.setdefault(word, []).append(i)
    return index


def _country_code(affiliation: str) -> str | None:
    tail = affiliation.rstrip(". ").rsplit(",", 1)[-1].strip()
    tail = re.sub(r"\S+@\S+", "", tail).strip(" .")
    return ISO2.get(tail)


def openalex_work(rec: dict, n: int) -> dict:
    """A corpus record (from the MEDLINE reader) as an OpenAlex work object."""
    wid = f"https://openalex.org/W{3000000000 + int(rec['pmid'] or n)}"
    authorships = []
    for i, a in enumerate(rec["authors"]):
        display = " ".join(p for p in (a.get("given"), a.get("surname")) if p)
        insts = [{"id": None, "display_name": aff, "ror": None, "country_code": _country_code(aff), "type": None} for aff in a["affiliations"][:1]]
        authorships.append({
            "author_position": "first" if i == 0 else "middle",
            "author": {"id": f"https://openalex.org/A{5000000000 + n * 100 + i}", "display_name": display, "orcid": None},
            "institutions": insts,
            "countries": [c["country_code"] for c in insts if c["country_code"]],
            "is_corresponding": i == 0,
            "raw_author_name": display,
            "raw_affiliation_strings": a["affiliations"],
        })
    return {
        "id": wid,
        "doi": f"https://doi.org/{rec['doi']}" if rec["doi"] else None,
        "title": rec["title"],
        "display_name": rec["title"],
        "publication_year": rec["year"],
        "publication_date": rec["date"] if rec["date"] and len(rec["date"]) == 10 else (f"{rec['year']}-01-01" if rec["year"] else None),
        "ids": {"openalex": wid, "doi": f"https://doi.org/{rec['doi']}" if rec["doi"] else None, "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{rec['pmid']}"},
        "language": "en",
        "primary_location": {
            "is_oa": False,
            "landing_page_url": f"https://pubmed.ncbi.nlm.nih.gov/{rec['pmid']}",
            "source": {"id": None, "display_name": rec["source_title"], "issn_l": (rec["issn"] or [None])[0], "issn": rec["issn"] or None, "type": "journal"},
        },
        "type": "article",
        "type_crossref": "journal-article",
        "open_access": {"is_oa": False, "oa_status": "closed", "oa_url": None},
        "authorships": authorships,
        "cited_by_count": 0,
        "biblio": {"volume": rec["volume"], "issue": rec["issue"], "first_page": rec["page_start"], "last_page": rec["page_end"]},
        "is_retracted": False,
        "is_paratext": False,
        "keywords": [{"id": f"https://openalex.org/keywords/{k.lower().replace(' ', '-')}", "display_name": k, "score": 0.5} for k in rec["author_keywords"][:5]],
        "referenced_works": [],
        "referenced_works_count": 0,
        "abstract_inverted_index": inverted_index(rec["abstract"]),
        "updated_date": "2025-01-01T00:00:00",
    }


def crossref_item(rec: dict) -> dict:
    """A corpus record as a Crossref /works item."""
    parts = [int(p) for p in (rec["date"] or str(rec["year"] or "")).split("-") if p.isdigit()]
    return {
        "DOI": rec["doi"],
        "type": "journal-article",
        "title": [rec["title"]],
        "author": [
            {"given": a.get("given"), "family": a.get("surname"), "sequence": "first" if i == 0 else "additional",
             "affiliation": [{"name": x} for x in a["affiliations"][:1]]}
            for i, a in enumerate(rec["authors"])
        ],
        "container-title": [rec["source_title"]] if rec["source_title"] else [],
        "issued": {"date-parts": [parts]} if parts else {"date-parts": [[None]]},
        "volume": rec["volume"],
        "page": "-".join(p for p in (rec["page_start"], rec["page_end"]) if p) or None,
        "abstract": f"<jats:p>{rec['abstract']}</jats:p>" if rec["abstract"] else None,
        "ISSN": rec["issn"],
        "is-referenced-by-count": 0,
        "references-count": 0,
        "publisher": "Example Publisher",
        "URL": f"https://doi.org/{rec['doi']}",
        "indexed": {"date-time": "2025-01-01T00:00:00Z"},
    }


def real_data() -> tuple[list[str], list[dict], list[dict]]:
    """(MEDLINE records, OpenAlex works, Crossref items) built from the real PubMed export."""
    from bibliomap.io.read import read_file

    records = medline_records()
    recs = read_file(MEDLINE_FILE).records
    works = [openalex_work(r, i) for i, r in enumerate(recs)]
    items = [crossref_item(r) for r in recs if r["doi"]]
    return records, works, items


def scholar_style_export(records, path):
    """A Publish or Perish CSV of real records as Google Scholar shows them: initials, '...' after
    three authors, titles over 150 characters cut at a word with '…' (the real export in
    pop_propithecus.csv's source keeps titles up to 161 characters and cuts at 115-172, median 157),
    no DOI, a snippet for abstract."""
    header = ["Cites", "Authors", "Title", "Year", "Source", "Publisher", "ArticleURL", "CitesURL", "GSRank", "QueryDate", "Type", "DOI", "Abstract"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, r in enumerate(records, start=1):
            names = [f"{''.join(p[0] for p in (a['given'] or '').replace('-', ' ').split())} {a['surname']}".strip() for a in r["authors"][:3]]
            authors = ", ".join(names) + (", ..." if len(r["authors"]) > 3 else "")
            title = r["title"] if len(r["title"]) <= 150 else r["title"][:150].rsplit(" ", 1)[0] + " …"
            w.writerow([0, authors, title, r["year"], r["source_title"], "", "", f"https://scholar.google.com/scholar?cites={i}",
                        i, "2025-01-01 10:00:00", "", "", "… a snippet …"])


@dataclasses.dataclass
class Fault:
    api: str
    page: int | None  # page index (0-based); None: any page
    kind: str
    times: int = 1  # how many times it fires; -1: forever
    retry_after: str | None = None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    if cursor == "*":
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)[1])
    except (ValueError, IndexError) as exc:
        raise ValueError(f"invalid cursor {cursor!r}") from exc


def _norm(text: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in text or "").split())


class ApiSim:
    """The simulated APIs, served by a thread (use as a context manager)."""

    def __init__(self, works: list[dict] | None = None, items: list[dict] | None = None, medline: list[str] | None = None) -> None:
        self.works = works or []
        self.items = items or []
        self.medline = medline or []
        self.faults: list[Fault] = []
        self.log: list[tuple[float, str, dict[str, str]]] = []
        self.webenvs: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # control ----------------------------------------------------------------------------
    def fault(self, api: str, page: int | None, kind: str, times: int = 1, retry_after: str | None = None) -> None:
        self.faults.append(Fault(api, page, kind, times, retry_after))

    def url(self, api: str) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/{api}"

    def requests_to(self, path_part: str) -> list[tuple[float, str, dict[str, str]]]:
        return [r for r in self.log if path_part in r[1]]

    def max_requests_per_second(self) -> int:
        """The most requests that arrived within any one-second window."""
        times = sorted(t for t, _, _ in self.log)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best

    def __enter__(self) -> "ApiSim":
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # headers and body leave in one write (no delayed-ACK stalls)
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                sim._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    # serving ----------------------------------------------------------------------------
    def _take_fault(self, api: str, page: int | None) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.api == api and (f.page is None or f.page == page) and f.times != 0:
                    if f.times > 0:
                        f.times -= 1
                    return f
        return None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = unquote(parts.path)
        with self._lock:
            self.log.append((time.monotonic(), path, params))
        try:
            api, status, body, ctype, page = self._route(path, params)
        except ValueError as exc:
            self._send(h, 400, json.dumps({"error": "Invalid query", "message": str(exc)}).encode(), "application/json")
            return
        fault = self._take_fault(api, page) if page is not None else None
        if fault is None:
            self._send(h, status, body, ctype)
        elif fault.kind in ("401", "429", "500", "503"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            self._send(h, int(fault.kind), json.dumps({"error": "simulated", "message": f"HTTP {fault.kind}"}).encode(), "application/json", headers)
        elif fault.kind == "malformed":
            self._send(h, 200, body[: len(body) // 2], ctype)
        elif fault.kind == "drop":
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.connection.shutdown(socket.SHUT_RDWR)
            h.close_connection = True
        else:
            raise AssertionError(f"unknown fault kind {fault.kind}")

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _route(self, path: str, params: dict[str, str]) -> tuple[str, int, bytes, str, int | None]:
        js = "application/json; charset=utf-8"
        if path == "/openalex/works":
            doc, page = self._openalex_list(params)
            return "openalex", 200, json.dumps(doc).encode(), js, page
        if path.startswith("/openalex/works/doi:"):
            doi = path[len("/openalex/works/doi:"):].lower()
            work = next((w for w in self.works if w.get("doi") and w["doi"].lower() == f"https://doi.org/{doi}"), None)
            if work is None:
                return "openalex", 404, json.dumps({"error": "404", "message": "not found"}).encode(), js, 0
            return "openalex", 200, json.dumps(work).encode(), js, 0
        if path == "/crossref/works":
            doc, page = self._crossref_list(params)
            return "crossref", 200, json.dumps(doc).encode(), js, page
        if path.startswith("/crossref/works/"):
            doi = path[len("/crossref/works/"):].lower()
            item = next((w for w in self.items if (w.get("DOI") or "").lower() == doi), None)
            if item is None:
                return "crossref", 404, b"Resource not found.", "text/plain", 0
            return "crossref", 200, json.dumps({"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": item}).encode(), js, 0
        if path == "/pubmed/esearch.fcgi":
            with self._lock:
                webenv = f"MCID_sim{len(self.webenvs) + 1}"
                self.webenvs.add(webenv)
            result = {"count": str(len(self.medline)), "retmax": "0", "retstart": "0", "querykey": "1", "webenv": webenv,
                      "idlist": [], "translationset": [], "querytranslation": params.get("term", "")}
            return "pubmed-search", 200, json.dumps({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}).encode(), js, None
        if path == "/pubmed/efetch.fcgi":
            if params.get("WebEnv") not in self.webenvs:
                raise ValueError("unknown WebEnv")
            start, size = int(params.get("retstart", 0)), int(params.get("retmax", 20))
            text = "\n\n".join(self.medline[start:start + size]) + "\n"
            return "pubmed", 200, text.encode(), "text/plain; charset=UTF-8", start // size
        return "none", 404, b"no such endpoint", "text/plain", None

    def _openalex_list(self, params: dict[str, str]) -> tuple[dict, int | None]:
        per_page = int(params.get("per_page") or params.get("per-page") or 25)
        if not 1 <= per_page <= 200:
            raise ValueError("per_page must be between 1 and 200")
        filt = params.get("filter", "")
        m = re.search(r"title\.search:([^,]*)", filt)
        if m:
            works = self._title_search(m.group(1), re.search(r"publication_year:(\d+)-(\d+)", filt), per_page)
            return {"meta": {"count": len(works), "db_response_time_ms": 12, "page": 1, "per_page": per_page, "groups_count": None}, "results": works}, None
        offset = _offset(params["cursor"]) if "cursor" in params else (int(params.get("page", 1)) - 1) * per_page
        results = self.works[offset:offset + per_page]
        meta = {"count": len(self.works), "db_response_time_ms": 25, "page": None, "per_page": per_page,
                "next_cursor": _cursor(offset + per_page) if results else None, "groups_count": None}
        return {"meta": meta, "results": results, "group_by": []}, offset // per_page

    def _title_search(self, query: str, years: re.Match | None, n: int) -> list[dict]:
        """Works ranked by word overlap with the query (a rough stand-in for OpenAlex's title search)."""
        q = set(_norm(query).split())
        scored = []
        for w in self.works:
            if years and not (int(years.group(1)) <= (w.get("publication_year") or 0) <= int(years.group(2))):
                continue
            words = set(_norm(w.get("title") or "").split())
            overlap = len(q & words) / max(1, len(q))
            if overlap >= 0.5:
                scored.append((-overlap, w["id"], w))
        return [w for _, _, w in sorted(scored, key=lambda x: (x[0], x[1]))[:n]]

    def _crossref_list(self, params: dict[str, str]) -> tuple[dict, int | None]:
        rows = int(params.get("rows", 20))
        if not 0 <= rows <= 1000:
            raise ValueError("rows must be between 0 and 1000")
        if "query.bibliographic" in params:
            q = _norm(params["query.bibliographic"])
            scored = sorted(((-fuzz.token_set_ratio(q, _norm((it.get("title") or [""])[0])), it["DOI"], it) for it in self.items), key=lambda x: (x[0], x[1]))
            items = [it for s, _, it in scored if -s >= 50][:rows]
            return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                    "message": {"facets": {}, "total-results": len(items), "items": items, "items-per-page": rows, "query": {"start-index": 0, "search-terms": None}}}, None
        offset = _offset(params.get("cursor", "*"))
        items = self.items[offset:offset + rows]
        message = {"facets": {}, "next-cursor": _cursor(offset + rows), "total-results": len(self.items), "items": items,
                   "items-per-page": rows, "query": {"start-index": 0, "search-terms": params.get("query")}}
        return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}, offset // max(rows, 1)
