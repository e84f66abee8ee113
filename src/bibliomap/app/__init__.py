"""The local web app (``bibliomap app``): projects, uploads and ingest, settings, term verification,
runs with live progress, results. It composes the library's public functions; see ``server``."""
from __future__ import annotations


def create_app(*args, **kwargs):
    """The Starlette app (see :func:`bibliomap.app.server.create_app`)."""
    from bibliomap.app.server import create_app as _create

    return _create(*args, **kwargs)
