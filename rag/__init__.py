"""Offline, cited question answering over Markdown lecture notes.

>>> import rag
>>> rag.build_index("data", "index")            # once; later calls re-embed only changed notes
>>> index = rag.open_index("index")
>>> answer = index.ask("what did 冯佳时 say about shortcuts")
>>> answer.text, answer.citations[0].chunk.section
"""

from .api import BuildReport, Embedder, Index, InvalidQuestion, build_index, open_index
from .config import DEFAULT_MODEL, Settings, load_settings
from .errors import IndexCorrupt, IndexNotFound, ModelUnavailable, NotesError, RagError
from .types import Answer, Chunk, Citation, Hit, Query

__all__ = [
    "DEFAULT_MODEL",
    "Answer",
    "BuildReport",
    "Chunk",
    "Citation",
    "Embedder",
    "Hit",
    "Index",
    "IndexCorrupt",
    "IndexNotFound",
    "InvalidQuestion",
    "ModelUnavailable",
    "NotesError",
    "Query",
    "RagError",
    "Settings",
    "build_index",
    "load_settings",
    "open_index",
]
