"""Where counting runs: in-process (default); other engines plug in behind the same interface."""
