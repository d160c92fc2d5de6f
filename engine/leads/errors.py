"""The one error a lead file can cause: its message names the file and says what to do."""

from __future__ import annotations


class LeadDataError(Exception):
    """A lead file that cannot be read: missing, of an unknown kind, corrupt, or without ids."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
