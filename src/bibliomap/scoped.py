"""Context variables set for the length of a block: how a higher layer hands a choice down to a lower one.

An engine (``bibliomap.engines``) chooses how files are read, duplicates linked, terms extracted and
pairs counted; the report chooses the language and the figure formats. The lower layer keeps a
``contextvars.ContextVar`` and a small ``..._with`` function that calls :func:`set_within`, so it
never imports the layer that chooses.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def set_within(variable: contextvars.ContextVar[T], value: T) -> Iterator[None]:
    """``variable`` holds ``value`` within the block and its earlier value after it, however the block ends."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
