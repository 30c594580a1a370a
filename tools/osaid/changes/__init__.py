"""What changed, by meaning: words and spelling (words, lexicon), the diff of two documents (diff, matching),
the diff of two states of the repository (compare), governance as a diffed document (governance),
maintainers' reclassifications (reclass), a clause's history (history), the changelog (changelog)."""
