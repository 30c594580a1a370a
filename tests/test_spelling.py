"""The dictionary behind spelling fixes (lexicon.py): the same answers as pyspellchecker itself,
and a kept copy that is never trusted when stale or damaged."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
import test_severity_corpus as corpus

from osaid.changes import lexicon, words


def test_same_words_and_corrections_as_pyspellchecker():
    from spellchecker import SpellChecker

    reference = SpellChecker(language="en", distance=1)
    ours = lexicon.load()
    probes = {w.lower() for rows in (corpus.EDITORIAL, corpus.NOT_EDITORIAL) for _, b, a in rows for w in (b, a)
              if w.isalpha()}
    assert len(probes) > 400
    for w in sorted(probes):
        assert (w in ours) == (w in reference), w
        assert ours.correction(w) == reference.correction(w), w


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("OSAID_NO_CACHE", raising=False)
    return tmp_path / "osaid" / "lexicon-en.marshal"


def test_the_copy_is_written_then_used(cache_home):
    first = lexicon.load()
    assert cache_home.is_file()
    stamp, frequencies = marshal.loads(cache_home.read_bytes())
    assert frequencies == first.frequencies and stamp[1] == lexicon._source()
    # a copy whose stamp matches is what load returns: prove it with a marked copy
    cache_home.write_bytes(marshal.dumps((stamp, {"zzqmarkzz": 1})))
    assert "zzqmarkzz" in lexicon.load()


@pytest.mark.parametrize("damage", [b"", b"not marshal data", marshal.dumps("a string"),
                                    marshal.dumps(((0, "elsewhere", 1, 2), {"zzqmarkzz": 1})),
                                    marshal.dumps(((lexicon._FORMAT, lexicon._source(), 0, 0), {"zzqmarkzz": 1}))],
                         ids=["empty", "garbage", "wrong-shape", "other-source", "stale"])
def test_a_damaged_or_stale_copy_is_ignored_and_replaced(cache_home, damage):
    cache_home.parent.mkdir(parents=True)
    cache_home.write_bytes(damage)
    lex = lexicon.load()
    assert "zzqmarkzz" not in lex and "purpose" in lex and lex.correction("purpsoe") == "purpose"
    assert "zzqmarkzz" not in lexicon.load() and cache_home.read_bytes() != damage


def test_no_copy_when_caching_is_off_or_impossible(cache_home, monkeypatch, tmp_path):
    monkeypatch.setenv("OSAID_NO_CACHE", "1")
    assert "purpose" in lexicon.load()
    assert not cache_home.exists()
    monkeypatch.delenv("OSAID_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder cannot be made
    assert "purpose" in lexicon.load()
    assert os.listdir(tmp_path) == ["file"]


def test_the_rules_are_script_aware_and_leave_names_alone():
    assert words.editorial("It says purpsoe here.", "It says purpose here.")
    assert not words.editorial("It says d\u0430ta here.", "It says data here.")  # Cyrillic a
    for before, after in [("Purpsoe of it.", "Purpose of it."), ("It says PURPSOE here.", "It says PURPOSE here."),
                          ("purpsoe of it", "Purpose of it"), ("Ask Davide now.", "Ask Divide now.")]:
        assert not words.editorial(before, after), before  # a capitalised word may be a name


def test_a_missing_dictionary_is_a_message_not_a_traceback(tmp_path):
    """A Python without site-packages (so without pyspellchecker: a broken install) and osaid's source."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "from osaid.changes import words\n"
            "try:\n"
            "    words.editorial('the dtaa is open', 'the data is open')\n"
            "except Exception as e:\n"
            "    print(type(e).__name__, e)\n")
    tools = str(Path(words.__file__).parents[2])
    r = subprocess.run([sys.executable, "-S", "-c", code, tools], capture_output=True, text=True, cwd=tmp_path)
    assert r.stdout.startswith("OsaidError the English dictionary that decides spelling fixes is missing: osaid needs "
                               "the package pyspellchecker"), r.stdout + r.stderr


def test_a_real_word_for_another_real_word_is_never_editorial():
    """Every pair of dictionary words one edit apart, from a fixed sample of the dictionary."""
    import random

    lex = lexicon.load()
    sample = random.Random(8).sample(sorted(w for w in lex.frequencies if w.isalpha() and len(w) >= 3), 1000)
    pairs = [(w, v) for w in sample for v in sorted(lex.known(_edits(w))) if v != w]
    assert len(pairs) > 500
    editorial = [(w, v) for w, v in pairs if words.editorial(f"It says {w} here.", f"It says {v} here.")]
    assert editorial == []


def _edits(w: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})
