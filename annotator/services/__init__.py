"""Services: the only code that opens database sessions.

They take and return domain values (:mod:`annotator.domain.model`); each
method that changes data commits before it returns.
"""
