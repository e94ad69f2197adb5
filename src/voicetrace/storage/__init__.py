"""Persistence: SQLAlchemy tables, the engine with SQLite pragmas, migrations and repositories.

Only this package imports SQLAlchemy.
"""
from .database import Database, open_database

__all__ = ["Database", "open_database"]
