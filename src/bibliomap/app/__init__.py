"""The local web app (``bibliomap app``): projects, uploads and ingest, searches of OpenAlex, Crossref
and PubMed, settings, term verification, runs with live progress, results. It composes the library's public functions.

Stack: Starlette (small ASGI toolkit: streamed request bodies for uploads, streaming responses for
server-sent events, no ORM or form framework to fight) served by uvicorn; Jinja2 templates with
autoescaping (already a dependency of the report); a little vanilla JavaScript (XHR upload progress,
EventSource, the verification table) served from the package, so nothing is fetched from a CDN;
the state in SQLite through the standard library, one file in the workspace. Studies run in spawned
(not daemonic) processes, so a run can be cancelled (SIGTERM), never blocks the server, and starts
the study's own background worker as the command line does.
Modules: ``server`` (the application and its routes), ``views`` (one module per page), ``web``
(rendering), ``security``, ``store``, ``workspace``, ``jobs`` + ``worker``, ``sections`` (the report's
sections as Results pages), and one module per page's logic.
"""
from __future__ import annotations


def create_app(*args, **kwargs):
    """The Starlette app (see :func:`bibliomap.app.server.create_app`)."""
    from bibliomap.app.server import create_app as _create

    return _create(*args, **kwargs)
