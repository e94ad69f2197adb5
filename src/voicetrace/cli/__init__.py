"""Command-line interface: thin Typer commands over the service layer."""
from .app import app, main

__all__ = ["app", "main"]
