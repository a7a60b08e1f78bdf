"""Import and export: reading files into documents, writing claims out.

Formats are pure functions over domain values plus atomic file writing; the
orchestration that touches a project lives in :mod:`annotator.services.transfer`.
"""
