"""``python -m bibliomap``: the same as the ``bibliomap`` command."""
from bibliomap.cli import main

main()
