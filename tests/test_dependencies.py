"""What osaid assumes of its dependencies, checked against the installed versions."""
from __future__ import annotations

from osaid.data import load


def test_yaml12_resolver_table_is_ruamels_own():
    """load.py builds the YAML 1.2 resolver table itself (ruamel keeps its own in the private
    _version_implicit_resolver): it must be exactly the table ruamel builds for 1.2, or a ruamel
    upgrade changed its shape (then widen the pin in pyproject.toml only after fixing load.py)."""
    from ruamel.yaml.resolver import VersionedResolver

    class Reference(VersionedResolver):
        processing_version = (1, 2)

    loader = load._safe()  # the reader class: libyaml's parser with our YAML 1.2 resolver
    assert loader.versioned_resolver.fget(None) == Reference().versioned_resolver
    # and YAML 1.2 it is: no yes/no booleans, no bare octal, no sexagesimals
    data, problems = load.parse("x.yaml", "a: yes\nb: 010\nc: 0o10\nd: 1:30\ne: true\n")
    assert (data, problems) == ({"a": "yes", "b": 10, "c": 8, "d": "1:30", "e": True}, [])

