"""Characters that can hide a change, found and made visible.

Control characters (C0 but newline and tab, DEL, the C1 range), invisible
format characters (bidi embeddings, overrides and isolates, zero-width
spaces and joiners, the BOM, tag characters...), the line and paragraph
separators and lone surrogates: a terminal, a browser or GitHub acts on them
instead of showing them, so `"\\e[8m...\\r\\e[2K"` or U+202E can make a
change look like something else. Validation rejects them in the data (GOV-2);
every output escapes them anyway, as `\\x1b`, `\\u202e` or `\\U000e0041`.

No imports beyond re: validate, the renderers and the hooks all use it.
"""

from __future__ import annotations

import re

# Unicode categories Cc (but \t and \n), Cf, Zl, Zp and Cs, as of Unicode 14
# (tests/test_render_escaping.py checks this list against the running Python's unicodedata).
HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)

# unicodedata has no names for control characters: the usual ones
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def code(ch: str) -> str:
    """The escape a character is shown as: \\x1b, \\u202e, \\U000e0041."""
    n = ord(ch)
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def describe(ch: str) -> str:
    """U+001B ESCAPE, U+202E RIGHT-TO-LEFT OVERRIDE."""
    import unicodedata

    n = ord(ch)
    name = _CONTROL_NAMES.get(n) or unicodedata.name(ch, "")
    if not name:
        name = "a control character" if unicodedata.category(ch) == "Cc" else "an unnamed character"
    return f"U+{n:04X} {name}"


def first(text: str) -> tuple[int, str] | None:
    """The first hidden character of text and its index, or None."""
    m = HIDDEN.search(text)
    return (m.start(), m.group()) if m else None


def none_in(text: str) -> bool:
    """Whether text holds no hidden character: for ASCII text, whether it is printable but for
    line feeds and tabs (str methods: six times faster than the search over HIDDEN's class)."""
    if text.isascii():
        return text.replace("\n", "").replace("\t", "").isprintable()
    return HIDDEN.search(text) is None


def escape(text: str, extra: str = "") -> str:
    """text with every hidden character (and every character of extra) escaped."""
    pattern = HIDDEN if not extra else re.compile(f"{HIDDEN.pattern}|[{re.escape(extra)}]")
    return pattern.sub(lambda m: code(m.group()), text)


def json_text(document: str) -> str:
    """A JSON document with the hidden characters inside its strings written as \\uXXXX
    (surrogate pairs above U+FFFF): the same data, safe to print."""

    def sub(m: re.Match) -> str:
        n = ord(m.group())
        if n < 0x10000:
            return f"\\u{n:04x}"
        n -= 0x10000
        return f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}"

    return HIDDEN.sub(sub, document)
