"""The published site: the builder (build) and its pages."""
