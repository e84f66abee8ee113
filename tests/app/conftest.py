"""Fixtures for the app's tests: an app over a fresh workspace, driven by Starlette's TestClient."""
from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest

# the harvest tests' simulated APIs on 127.0.0.1 and their fixtures (api_data, sim), shared rather than copied
HARVEST = Path(__file__).resolve().parents[1] / "harvest"
sys.path.insert(0, str(HARVEST))
_spec = importlib.util.spec_from_file_location("harvest_fixtures", HARVEST / "conftest.py")
_harvest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_harvest)
api_data, sim = _harvest.api_data, _harvest.sim

SCOPUS = "scopus-csv/litstudy_scopus.csv"
RIS = "ris/example.ris"
#: Study settings that keep a run of the small corpus quick and give the term table enough terms.
FAST = {"terms.min_occurrences": "3", "maps.clustering_random_starts": "2"}


class AppClient:
    """A TestClient plus the page's CSRF token and shortcuts for the app's forms."""

    def __init__(self, client, app) -> None:
        self.client = client
        self.app = app
        self.csrf = app.state.csrf

    def __getattr__(self, name):
        return getattr(self.client, name)

    def create(self, name: str) -> int:
        r = self.client.post("/projects", data={"name": name, "csrf": self.csrf})
        assert r.status_code == 200, r.text
        return int(re.search(r"/p/(\d+)/data", str(r.url)).group(1))

    def upload(self, pid: int, path: Path, name: str | None = None):
        return self.client.put(f"/p/{pid}/upload", params={"name": name or path.name}, content=path.read_bytes(),
                               headers={"X-CSRF-Token": self.csrf})

    def form(self, url: str, **data):
        return self.client.post(url, data={"csrf": self.csrf, **data})

    def ingest(self, pid: int, timeout: float = 120):
        """Start the project's ingest, wait until it ends, and return the Data page then shown (the
        first one without the progress section: an outcome is shown once)."""
        page = self.form(f"/p/{pid}/ingest")
        end = time.time() + timeout
        while 'id="ingest-progress"' in page.text:
            if time.time() > end:
                raise AssertionError(f"the ingest of project {pid} did not finish in {timeout} s")
            time.sleep(0.1)
            if self.client.get(f"/p/{pid}/ingest/status").json()["final"]:
                page = self.client.get(f"/p/{pid}/data")
        return page

    def wait(self, pid: int, timeout: float = 240) -> dict:
        """The project's last job once it has a final status."""
        end = time.time() + timeout
        while time.time() < end:
            job = self.app.state.store.jobs(pid)[-1]
            if job["status"] in ("done", "failed", "cancelled", "interrupted"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"job of project {pid} did not finish in {timeout} s")


def make_client(workspace: Path, **kwargs):
    from starlette.testclient import TestClient

    from bibliomap.app import create_app

    app = create_app(workspace, slots=kwargs.pop("slots", 1), **kwargs)
    return TestClient(app, base_url="http://127.0.0.1", **({"headers": kwargs.pop("headers")} if "headers" in kwargs else {})), app


@pytest.fixture
def scopus(corpora) -> Path:
    return corpora / SCOPUS


@pytest.fixture
def ris(corpora) -> Path:
    return corpora / RIS


@pytest.fixture
def open_app(tmp_path):
    """A function that opens the app over one workspace (call it again to 'restart' the server)."""
    opened = []

    def _open(**kwargs) -> AppClient:
        client, app = make_client(tmp_path / "ws", **kwargs)
        client.__enter__()
        opened.append(client)
        return AppClient(client, app)

    yield _open
    for c in opened:
        c.__exit__(None, None, None)


def process_children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``, from /proc."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


@pytest.fixture
def children():
    """A function giving the live child processes of a process id."""
    return process_children


@pytest.fixture
def app_client(open_app) -> AppClient:
    return open_app()


def pytest_configure(config):
    # Starlette's TestClient announces a future move from httpx to httpx2; the tests use httpx as documented
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with")
