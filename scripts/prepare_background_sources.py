"""Extract the openly licensed titles and abstracts that scripts/build_background.py learns from.

    python scripts/prepare_background_sources.py MIRROR_ROOT

MIRROR_ROOT holds git clones of the source repositories (one folder per ``owner+name``, each with a
``repo`` git directory, as the project's fetch tool lays them out). Each source below is read at the
pinned commit and written to ``scripts/background_sources/NAME.csv.gz`` with three columns: ``field``
(the arXiv archive, or the search query the collector used), ``title`` (may be empty) and ``abstract``.
The arXiv texts are arXiv metadata, which arXiv releases under CC0 1.0; the systematic-review sets
(``REVIEW_SOURCES``: applied, social and medical sciences) are published by their curators under
CC BY 4.0 or CC0 1.0, each named with its license; the NSF award abstracts (``NSF_SOURCE``: research
grants of every NSF directorate) are in the public domain; see background_sources/README.md.
None of the tables is kept in the repository (fetched data stays out of it; they are listed in
.gitignore): run this script before scripts/build_background.py to rebuild the shipped model. Deterministic: the same commits give
byte-identical files.
"""
from __future__ import annotations

import gzip
import html
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent / "background_sources"

#: name, repository, commit, path, the column holding the field, the title column (None: no titles), abstract column
SOURCES = [
    ("arxiv-snapshot-2007", "gechhai/Topic_Discovery", "01102fc9aa76adafdc32ad53ede0921a8c308a4c", "arxiv_data.csv",
     "categories", "title", "abstract"),
    ("arxiv-api-queries", "thealphacubicle/NLP-Abstract-Readibility", "383f7af1edd7745aae083340f86a1d0e2381e90c",
     "data/arxiv_test.csv", "query", None, "abstract"),
    ("arxiv-cs-ml", "tiagoft/NLP", "897bafbd4a97393ae8797f59ec501d6c943ec1ac", "arxiv_data.csv",
     "terms", "titles", "summaries"),
]


#: name, repository, commit, path, research field, title column, abstract column, license: the
#: systematic-review datasets of ASReview whose curators publish them under CC BY 4.0 or CC0 1.0
#: (``index.csv`` of the repository; the sets under a "custom open license" are not used)
_ASREVIEW = ("asreview/systematic-review-datasets", "0909240fec2602c3ecef82d131790d390edb33bf")
REVIEW_SOURCES = [
    ("review-nudging", *_ASREVIEW, "datasets/Nagtegaal_2019/output/Nagtegaal_2019.csv",
     "public-administration", "title", "abstract", "CC0 1.0"),
    ("review-depression-models", *_ASREVIEW, "datasets/Bannach-Brown_2019/output/Bannach-Brown_2019.csv",
     "preclinical-medicine", "title", "abstract", "CC BY 4.0"),
    ("review-software-engineering", *_ASREVIEW,
     "datasets/Hall_Wahono_Radjenovic_Kitchenham/output/Kitchenham_2010.csv",
     "software-engineering", "title", "abstract", "CC BY 4.0"),
    ("review-ptsd-trajectories", *_ASREVIEW, "datasets/van_de_Schoot_2017/csv/schoot-lgmm-ptsd-included-1.csv",
     "psychology", "title", "abstract", "CC BY 4.0"),
]


#: repository, commit, folder: the award records (one XML file per award) that the US National Science
#: Foundation published for 2017, as its award search downloads them. NSF: "Award data posted on the NSF
#: web site, including award abstract text, is in the public domain and not subject to copyright."
NSF_SOURCE = ("spatialdatahub/2017-NSF-Award-analysis", "cd78cb52e09186f76a1b4e18ede9741f4a09912b", "awards_2017")
#: the table's field per NSF directorate (the Office of the Director's few mixed awards are left out)
NSF_DIRECTORATES = {
    "Direct For Biological Sciences": "nsf-biology",
    "Direct For Computer & Info Scie & Enginr": "nsf-computing",
    "Direct For Education and Human Resources": "nsf-education",
    "Directorate For Engineering": "nsf-engineering",
    "Directorate For Geosciences": "nsf-geosciences",
    "Direct For Mathematical & Physical Scien": "nsf-mathematical-physical",
    "Direct For Social, Behav & Economic Scie": "nsf-social-behavioral-economic",
}
#: awards kept per directorate (the first by award number): measured in benchmarks/bench_terms.py, the
#: grants' prose weighs as much as a field's, not as much as all the papers together (see build_background)
NSF_PER_DIRECTORATE = 600
#: the sentence NSF appends to its award abstracts: it says nothing about the research
_NSF_STATEMENT = re.compile(r"This award reflects NSF'?s statutory mission.*?review criteria\.?", re.S | re.I)
#: programme labels before a grant's title ("Collaborative Research: CAREER: ..."): not the research's words
_NSF_TITLE_LABELS = re.compile(r"^(?:[^:]{1,40}:\s*){1,3}")


def _nsf_text(text: str) -> str:
    """An NSF abstract as plain text: entities decoded, markup and NSF's closing statement removed."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return _clean(_NSF_STATEMENT.sub(" ", text))


def _nsf_title(title: str) -> str:
    """A grant's title without its leading programme labels (short segments ending in a colon)."""
    title = _clean(html.unescape(title))
    m = _NSF_TITLE_LABELS.match(title)
    if m and len(title) - m.end() > 10 and all(len(p.split()) <= 5 for p in title[:m.end()].split(":")):
        return title[m.end():]
    return title


def nsf_table(mirrors: Path) -> pd.DataFrame | None:
    """Title, abstract and directorate (as ``field``) of the NSF awards of ``NSF_SOURCE``: abstracts of more
    than 200 characters, duplicates (collaborative awards share one abstract) dropped, the first
    ``NSF_PER_DIRECTORATE`` per directorate by award number. None when the repository is not cloned."""
    repo, commit, folder = NSF_SOURCE
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        print(f"{repo}: no clone under {mirrors}; its table is left as it is")
        return None
    names = subprocess.run(["git", "-C", str(git_dir), "ls-tree", "-r", "--name-only", commit, f"{folder}/"],
                           check=True, capture_output=True, text=True).stdout.split()
    batch = subprocess.run(["git", "-C", str(git_dir), "cat-file", "--batch"], check=True, capture_output=True,
                           input="".join(f"{commit}:{n}\n" for n in sorted(names)).encode()).stdout
    rows, pos = [], 0
    while pos < len(batch):
        end = batch.index(b"\n", pos)
        header, pos = batch[pos:end].decode().split(), end + 1
        if header[-1] == "missing":
            continue
        size = int(header[2])
        award = ET.fromstring(batch[pos:pos + size]).find("Award")
        pos += size + 1
        field = NSF_DIRECTORATES.get((award.findtext("Organization/Directorate/LongName") or "").strip())
        if field is not None:
            rows.append((award.findtext("AwardID") or "", field, _nsf_title(award.findtext("AwardTitle") or ""),
                         _nsf_text(award.findtext("AbstractNarration") or "")))
    df = pd.DataFrame(rows, columns=["id", "field", "title", "abstract"]).sort_values("id", kind="stable")
    df = df[df["abstract"].str.len() > 200].drop_duplicates(["title", "abstract"])
    df = df[df.groupby("field").cumcount() < NSF_PER_DIRECTORATE]
    print(f"{repo}@{commit[:12]}:{folder} ({len(names)} awards; public domain)")
    return df.sort_values(["field", "id"], kind="stable")[["field", "title", "abstract"]]


def _field(value: str) -> str:
    """The top-level arXiv archive of a category list ("math.CO cs.CG" -> "math", "['cs.CV']" -> "cs")."""
    first = str(value).strip("[]'\" ").split()[0].strip("',\"")
    return first.split(".")[0]


def _clean(text: object) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _write(name: str, out: pd.DataFrame) -> None:
    out = out[out["abstract"].str.len() > 0].drop_duplicates(["title", "abstract"]).reset_index(drop=True)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(out.to_csv(index=False).encode("utf-8"))
    (OUT / f"{name}.csv.gz").write_bytes(buf.getvalue())
    print(f"{name}: {len(out)} records; fields {out['field'].value_counts().to_dict()}")


def _read(mirrors: Path, repo: str, commit: str, path: str) -> pd.DataFrame | None:
    """The CSV file ``path`` of ``repo`` at ``commit`` (None, with a note, when the repository is not there)."""
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        print(f"{repo}: no clone under {mirrors}; its table is left as it is")
        return None
    raw = subprocess.run(["git", "-C", str(git_dir), "show", f"{commit}:{path}"], check=True,
                         capture_output=True).stdout
    return pd.read_csv(io.BytesIO(raw))


def extract(mirrors: Path) -> None:
    OUT.mkdir(exist_ok=True)
    for name, repo, commit, path, field, title_col, abstract_col, license in REVIEW_SOURCES:
        if (df := _read(mirrors, repo, commit, path)) is None:
            continue
        print(f"{repo}@{commit[:12]}:{path} ({license})")
        _write(name, pd.DataFrame({"field": field, "title": df[title_col].map(_clean),
                                   "abstract": df[abstract_col].map(_clean)}))
    if (nsf := nsf_table(mirrors)) is not None:
        _write("nsf-awards-2017", nsf)
    for name, repo, commit, path, field_col, title_col, abstract_col in SOURCES:
        if (df := _read(mirrors, repo, commit, path)) is None:
            continue
        print(f"{repo}@{commit[:12]}:{path} (CC0 1.0)")
        _write(name, pd.DataFrame({
            "field": df[field_col].map(_field) if field_col != "query" else df[field_col].astype(str),
            "title": df[title_col].map(_clean) if title_col else "",
            "abstract": df[abstract_col].map(_clean),
        }))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    extract(Path(sys.argv[1]))
