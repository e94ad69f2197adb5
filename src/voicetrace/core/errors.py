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


BUSY_MESSAGE = "Project is busy (another voicetrace is writing); try again"


class ProjectBusy(VoicetraceError):
    """Another process held the write lock longer than we are willing to wait.

    A separate class so the web app can answer 503 with Retry-After instead of a 400.
    """

    def __init__(self, location: str = "") -> None:
        self.location = location
        super().__init__(BUSY_MESSAGE)
