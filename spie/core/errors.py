class DomainError(Exception):
    """A business rule refused the operation; the message is French and safe to show."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
