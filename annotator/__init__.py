"""Annotator: label claims in documents, export datasets, review colleagues' work."""

__version__ = "0.1.0"
