"""The Qt user interface: widgets, item models, undo commands.

Nothing here writes SQL: every change goes through :class:`ProjectController`,
which calls the services and announces what changed.
"""
