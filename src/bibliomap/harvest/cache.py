"""Raw API answers kept on disk, one file per request, so a re-run or a resume re-reads them offline."""
from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from bibliomap.atomic import write_bytes


class PageCache:
    """A folder of raw response bodies keyed by a hash of the request (URL and parameters)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @staticmethod
    def key(url: str, params: dict[str, Any]) -> str:
        """A stable key for a request: SHA-256 of the URL and its sorted parameters."""
        canon = json.dumps([url, sorted((str(k), str(v)) for k, v in params.items())], ensure_ascii=False)
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.raw"

    def get(self, key: str) -> bytes | None:
        """The cached body, or None."""
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, body: bytes) -> None:
        """Store a body atomically (a crash never leaves half a page in the cache)."""
        write_bytes(self._path(key), body)

    def drop(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self._path(key).unlink()
