"""Storage: SQLAlchemy models, engines and sessions, Alembic migrations.

Only :mod:`annotator.services` opens sessions; nothing above it sees SQL.
"""
