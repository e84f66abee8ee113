"""Citation metrics (Publish or Perish set), descriptive tables, productivity laws, trends, themes."""
