"""The checklist at work: the working groups' tally of votes (tally), AI systems evaluated against a
checklist version (evaluate) with SPDX license data (licenses)."""
