"""The study pipeline and its HTML report."""
