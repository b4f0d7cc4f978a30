"""User-facing errors.

Anything a user can cause (a bad folder, a foreign checkpoint, an unwritable path) raises
`UserError` with a one-line message that says what is wrong and what to do. The CLI prints
it and exits with code 2; the window shows it in a banner. Everything else is a bug.
"""


class UserError(Exception):
    """A problem with the user's input, reported as one plain sentence."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message
