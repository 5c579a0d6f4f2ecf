"""The one error processing raises: the message is Mastodon's wording, shown to the uploader."""


class MediaRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
