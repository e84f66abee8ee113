"""Reading exports into records and writing maps, networks and tables to files."""
