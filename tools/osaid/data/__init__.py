"""Reading and checking the data files: strict YAML (load), JSON Schemas (schema), where each kind of
file lives (layout), validation with cross-references (validate), the canonical form (fmt), the
ID-keyed documents built from the data (document)."""
