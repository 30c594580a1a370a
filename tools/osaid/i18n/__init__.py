"""Translations as gettext catalogs, tracked clause by clause (translations)."""
