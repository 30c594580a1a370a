"""Releases on top: versions and their state machine (version), bump, the rules and gates (rules), the
review of history (verify, signatures), release itself, the review schedule and status."""
