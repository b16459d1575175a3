"""User-facing errors: a message that says what is wrong and what to do, never a traceback."""


class UserError(Exception):
    """A mistake the user can fix (missing folder, config typo, bad file).

    The CLI prints the message alone and exits with status 2.
    """
