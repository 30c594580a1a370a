"""A bare version wherever a ref is taken (per document), reversed ranges and dates
that cannot be right: each a usage error (exit 2) that says how to write it."""

from __future__ import annotations

import json


def test_diff_takes_bare_versions_per_document(osaid, history_repo):
    bare = json.loads(osaid("diff", "0.0.7", "0.0.8", "--format", "json", cwd=history_repo).out)
    tags = json.loads(osaid("diff", "v0.0.7", "v0.0.8", "--format", "json", cwd=history_repo).out)
    by = {d["document"]: d for d in bare["documents"]}
    assert by["definition"] == [d for d in tags["documents"] if d["document"] == "definition"][0]
    assert by["definition"]["old"]["state"] == "v0.0.7" and by["governance"]["new"]["state"] == "v0.0.8"
    assert by["checklist"]["skipped"] == ("'0.0.7' is not a released version of the checklist (its release tags: "
                                          "checklist-v0.0.1, checklist-v0.0.2): give one of them, or a version it has")
    # the checklist's own versions name its own tags
    r = osaid("diff", "0.0.1", "0.0.2", "--document", "checklist", cwd=history_repo)
    assert r.code == 0
    assert r.out == osaid("diff", "checklist-v0.0.1", "checklist-v0.0.2", "--document", "checklist",
                          cwd=history_repo).out
    assert r.out.startswith("checklist 0.0.1 (checklist-v0.0.1) → 0.0.2 (checklist-v0.0.2)\n")


def test_a_version_no_document_released_names_the_tags(osaid, history_repo):
    r = osaid("diff", "0.0.7", "0.0.9", cwd=history_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == ("osaid: '0.0.9' is not a released version of the definition (its release tags: v0.0.5, v0.0.6, "
                     "v0.0.7, v0.0.8): give one of them, or a version it has\n")
    r = osaid("diff", "0.0.7", "--document", "checklist", cwd=history_repo)
    assert r.code == 2 and "checklist-v0.0.1, checklist-v0.0.2" in r.err


def test_changelog_range_reversed_or_empty_is_a_usage_error(osaid, history_repo):
    cases = {
        "v0.0.7..v0.0.6": "osaid: 'v0.0.7..v0.0.6' is reversed: A..B lists the definition releases after A up to B, "
                          "and definition 0.0.7 came after 0.0.6: write v0.0.6..v0.0.7\n",
        "0.0.8..0.0.5": "osaid: '0.0.8..0.0.5' is reversed: A..B lists the definition releases after A up to B, "
                        "and definition 0.0.8 came after 0.0.5: write v0.0.5..v0.0.8\n",
        "checklist-v0.0.2..checklist-v0.0.1": "osaid: 'checklist-v0.0.2..checklist-v0.0.1' is reversed: A..B lists the "
                                              "checklist releases after A up to B, and checklist 0.0.2 came after "
                                              "0.0.1: write checklist-v0.0.1..checklist-v0.0.2\n",
        "0.0.6..0.0.6": "osaid: '0.0.6..0.0.6' is empty: A..B lists the definition releases after A up to B, "
                        "and here A and B are both 0.0.6\n",
    }
    for span, err in cases.items():
        r = osaid("changelog", span, cwd=history_repo)
        assert (r.code, r.out, r.err) == (2, "", err), span
    assert osaid("changelog", "0.0.6..0.0.7", cwd=history_repo).code == 0


def test_date_must_be_a_day_and_not_before_the_last_release(osaid, history_repo):
    before = ("osaid: --date {} is before the last release (v0.0.8, dated 2024-03-15): a version cannot be dated "
              "before the one it follows; give 2024-03-15 or later\n")
    for args, err in [(("bump", "draft", "--date", "2024-03-14"), before.format("2024-03-14")),
                      (("release", "--date", "2024-01-01"), before.format("2024-01-01")),
                      (("bump", "draft", "--date", "2024-02-30"), "osaid: --date '2024-02-30' is not a date written "
                                                                  "YYYY-MM-DD: give a day of the calendar\n"),
                      (("release", "--date", "15/03/2024"), "osaid: --date '15/03/2024' is not a date written "
                                                            "YYYY-MM-DD: give a day of the calendar\n")]:
        r = osaid(*args, "--dry-run", cwd=history_repo)
        assert (r.code, r.out, r.err) == (2, "", err), args
    r = osaid("bump", "draft", "--dry-run", "--date", "2024-03-15", cwd=history_repo)
    assert r.code == 0 and "0.0.8 -> 0.0.9" in r.out


def test_verify_range_takes_bare_versions(osaid, history_repo):
    bare, tags = (osaid("verify", "--range", span, cwd=history_repo) for span in ("0.0.7..0.0.8", "v0.0.7..v0.0.8"))
    assert (bare.code, bare.out, bare.err) == (tags.code, tags.out, tags.err)
    assert bare.code in (0, 1) and "cannot read the range" not in bare.err
    r = osaid("verify", "--range", "0.0.7..0.0.9", cwd=history_repo)
    assert (r.code, r.err) == (2, "osaid: '0.0.9' is not a released version of the definition (its release tags: "
                                  "v0.0.5, v0.0.6, v0.0.7, v0.0.8): give one of them, or a version it has\n")
