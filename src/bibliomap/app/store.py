"""The app's state in SQLite (projects, jobs and their step records), so a restart loses nothing.

Every process (the server and each job worker) opens its own connection; WAL mode lets
a worker write its progress while the server reads it.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    records INTEGER
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    status TEXT NOT NULL,          -- queued | running | done | failed | cancelled | interrupted
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    message TEXT NOT NULL DEFAULT '',
    pid INTEGER
);
CREATE TABLE IF NOT EXISTS steps (
    job_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    seconds REAL NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    source TEXT NOT NULL,          -- openalex | crossref | pubmed
    query TEXT NOT NULL,
    params TEXT NOT NULL,          -- the form's other values as JSON (never the API key)
    file TEXT NOT NULL,            -- the upload it becomes
    status TEXT NOT NULL,          -- running | done | failed | interrupted
    created REAL NOT NULL,
    finished REAL,
    records INTEGER,
    total INTEGER,
    message TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: Job states after which nothing changes any more.
FINAL = ("done", "failed", "cancelled", "interrupted")


class Store:
    """Thin data access over one SQLite file; rows come back as dicts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA busy_timeout=30000")
        return db

    def _all(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        db = self._connect()
        try:
            return [dict(r) for r in db.execute(sql, args).fetchall()]
        finally:
            db.close()

    def _one(self, sql: str, *args: Any) -> dict[str, Any] | None:
        rows = self._all(sql, *args)
        return rows[0] if rows else None

    def _run(self, sql: str, *args: Any) -> int:
        """Execute one statement; the number of rows changed."""
        db = self._connect()
        try:
            return int(db.execute(sql, args).rowcount)
        finally:
            db.close()

    def _insert(self, sql: str, *args: Any) -> int:
        """Execute one INSERT; the new row's id."""
        db = self._connect()
        try:
            return int(db.execute(sql, args).lastrowid)
        finally:
            db.close()

    # projects -------------------------------------------------------------------------
    def add_project(self, name: str) -> int:
        return self._insert("INSERT INTO projects (name, created) VALUES (?, ?)", name, time.time())

    def project(self, pid: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM projects WHERE id = ?", pid)

    def projects(self) -> list[dict[str, Any]]:
        """Every project with its last job (status and finish time), newest first."""
        return self._all(
            """SELECT p.*, j.id AS job_id, j.status AS job_status, j.finished AS job_finished
               FROM projects p LEFT JOIN jobs j ON j.id = (SELECT MAX(id) FROM jobs WHERE project_id = p.id)
               ORDER BY p.id DESC""")

    def rename_project(self, pid: int, name: str) -> None:
        self._run("UPDATE projects SET name = ? WHERE id = ?", name, pid)

    def set_records(self, pid: int, records: int | None) -> None:
        self._run("UPDATE projects SET records = ? WHERE id = ?", records, pid)

    def delete_project(self, pid: int) -> None:
        self._run("DELETE FROM steps WHERE job_id IN (SELECT id FROM jobs WHERE project_id = ?)", pid)
        self._run("DELETE FROM jobs WHERE project_id = ?", pid)
        self._run("DELETE FROM searches WHERE project_id = ?", pid)
        self._run("DELETE FROM projects WHERE id = ?", pid)

    # jobs -----------------------------------------------------------------------------
    def add_job(self, project_id: int) -> int:
        return self._insert("INSERT INTO jobs (project_id, status, created) VALUES (?, 'queued', ?)", project_id, time.time())

    def job(self, job_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM jobs WHERE id = ?", job_id)

    def jobs(self, project_id: int | None = None, status: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM jobs WHERE 1=1", []
        if project_id is not None:
            sql += " AND project_id = ?"
            args.append(project_id)
        if status:
            sql += f" AND status IN ({','.join('?' * len(status))})"
            args.extend(status)
        return self._all(sql + " ORDER BY id", *args)

    def set_job(self, job_id: int, **fields: Any) -> None:
        cols = ", ".join(f"{k} = ?" for k in fields)
        self._run(f"UPDATE jobs SET {cols} WHERE id = ?", *fields.values(), job_id)

    def finish_job(self, job_id: int, status: str, message: str = "") -> bool:
        """Set a final status unless the job already has one; True when this call set it."""
        n = self._run(
            f"UPDATE jobs SET status = ?, message = ?, finished = ? WHERE id = ? AND status NOT IN ({','.join('?' * len(FINAL))})",
            status, message, time.time(), job_id, *FINAL)
        return n > 0

    def add_step(self, job_id: int, seq: int, name: str, title: str, status: str, seconds: float, message: str) -> None:
        self._run("INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?, ?, ?)", job_id, seq, name, title, status, seconds, message)

    def steps(self, job_id: int) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM steps WHERE job_id = ? ORDER BY seq", job_id)

    def mark_interrupted(self) -> int:
        """After a restart: jobs and searches left queued or running by the previous server are interrupted."""
        self._run(
            "UPDATE searches SET status = 'interrupted', finished = ?, message = 'the server stopped before the search finished; nothing was added: search again' "
            "WHERE status = 'running'", time.time())
        return self._run(
            "UPDATE jobs SET status = 'interrupted', finished = ?, message = 'the server stopped before the job finished' "
            "WHERE status IN ('queued', 'running')", time.time())

    # searches (harvests from a public API into an upload) ------------------------------
    def add_search(self, project_id: int, source: str, query: str, params: str, file: str) -> int:
        return self._insert("INSERT INTO searches (project_id, source, query, params, file, status, created) "
                            "VALUES (?, ?, ?, ?, ?, 'running', ?)", project_id, source, query, params, file, time.time())

    def set_search(self, search_id: int, **fields: Any) -> None:
        cols = ", ".join(f"{k} = ?" for k in fields)
        self._run(f"UPDATE searches SET {cols} WHERE id = ?", *fields.values(), search_id)

    def search(self, search_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM searches WHERE id = ?", search_id)

    def searches(self, project_id: int) -> list[dict[str, Any]]:
        """The project's searches, newest first."""
        return self._all("SELECT * FROM searches WHERE project_id = ? ORDER BY id DESC", project_id)

    def finish_search(self, search_id: int, status: str, message: str, records: int | None = None, total: int | None = None) -> None:
        self._run("UPDATE searches SET status = ?, message = ?, records = ?, total = ?, finished = ? WHERE id = ?",
                  status, message, records, total, time.time(), search_id)

    # settings of the app itself ---------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._run("INSERT OR REPLACE INTO meta VALUES (?, ?)", key, value)
