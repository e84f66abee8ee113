"""Static figures (matplotlib) and the self-contained interactive map viewer."""
