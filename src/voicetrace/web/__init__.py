"""The local web app: FastAPI pages with JSON twins over the service layer."""
from .app import create_app

__all__ = ["create_app"]
