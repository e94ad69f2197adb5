"""One error family so every interface can print a single clear line and exit non-zero."""
from __future__ import annotations


class VoicetraceError(Exception):
    """Base for errors a user can act on; ``str(err)`` is the one-line message."""


class InputError(VoicetraceError):
    """A file or argument given by the user cannot be used; names the thing and the reason."""

    def __init__(self, subject: str, reason: str) -> None:
        self.subject = subject
        self.reason = reason
        super().__init__(f"{subject}: {reason}")


class NotFound(VoicetraceError):
    """An id or name that does not exist in the project."""
