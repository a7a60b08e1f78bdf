"""Import and export: reading files into documents, writing claims out.

Which importer reads which file (text, Markdown, HTML, PDF, DOCX), the size
caps and how to add an importer: :mod:`annotator.formats.registry`.

Formats are pure functions over domain values plus atomic file writing; the
orchestration that touches a project lives in :mod:`annotator.services.transfer`.
"""
