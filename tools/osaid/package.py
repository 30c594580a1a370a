"""Where osaid's own files are (schemas, templates) and which files make up its code: what a
cache's stamp and the site's fingerprint cover, so a change to any of them invalidates both."""

from __future__ import annotations

import os

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "schemas")
TEMPLATES = os.path.join(HERE, "templates")
_CODE = (".py", ".json", ".html", ".xml", ".css", ".js", ".txt")


def code_files() -> list[os.DirEntry]:
    """Every file of osaid's code, schemas and templates (the whole package tree, sorted by path)."""
    out: list[os.DirEntry] = []
    stack = [HERE]
    while stack:
        with os.scandir(stack.pop()) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__" and not e.name.startswith("."):
                        stack.append(e.path)
                elif e.name.endswith(_CODE):
                    out.append(e)
    return sorted(out, key=lambda e: e.path)
