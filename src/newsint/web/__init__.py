"""The web UI and HTTP API over a corpus store (`newsint serve`)."""

from newsint.web.app import create_app

__all__ = ["create_app"]
