"""Beneath everything: the only module that runs git (git), the repository's states at any ref or the
index or the work tree, parsed once (states), and the caches of parses and results (cache)."""
