"""Typed errors: the CLI and the app turn these into one-line messages."""


class RagError(Exception):
    """Base of every error the user can fix; its message is one line saying how."""


class ModelUnavailable(RagError):
    """The configured embedding model cannot be loaded offline."""


class IndexNotFound(RagError):
    """No index at the given folder."""


class IndexCorrupt(RagError):
    """The index on disk is truncated, tampered with or of another format."""


class NotesError(RagError):
    """The notes folder is missing or holds nothing indexable."""
