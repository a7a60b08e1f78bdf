"""Alembic migrations of the project schema (``versions/``)."""


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's autogenerate: leave the search index alone (0005: FTS5
    tables named ``search_*``, made by hand, which the models do not describe)."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))
