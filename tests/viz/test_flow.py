"""The PRISMA-style record flow: one box per input file (up to six and 'n more files'), never touching."""
from __future__ import annotations

import pytest

from bibliomap.viz.flow import _MAX_FILES, _PAD, file_boxes


@pytest.mark.parametrize("n", range(1, _MAX_FILES + 2))
def test_file_boxes_keep_apart_and_inside_the_figure(n):
    boxes = file_boxes(n)
    assert len(boxes) == n
    edges = [(x - w / 2 - _PAD, x + w / 2 + _PAD) for x, w in boxes]  # drawn extent, rounded padding included
    assert edges[0][0] >= 0 and edges[-1][1] <= 1
    for (_l, right), (left, _r) in zip(edges, edges[1:]):
        assert left - right >= 0.01
