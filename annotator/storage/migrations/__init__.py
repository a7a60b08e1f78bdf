"""Alembic migrations of the project schema (``versions/``)."""


#: The search index's GIN indexes on PostgreSQL (0005; 0008 the gold layer's).
SEARCH_INDEXES = {"ix_documents_search", "ix_claims_search", "ix_sources_search",
                  "ix_gold_claims_search"}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's autogenerate: leave the search index alone (0005, 0008: on SQLite
    FTS5 tables named ``search_*``, on PostgreSQL GIN expression indexes, made by
    hand, which the models do not describe)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("search_")
    return not (type_ == "index" and name in SEARCH_INDEXES)
