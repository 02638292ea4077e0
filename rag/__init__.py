"""Offline, cited question answering over Markdown lecture notes.

>>> import rag
>>> rag.build_index("data", "index")            # once; later calls re-embed only changed notes
>>> index = rag.open_index("index")
>>> answer = index.ask("what did 冯佳时 say about shortcuts")
>>> answer.text, answer.citations[0].chunk.section
>>> for event in index.ask_stream("冯佳时讲了什么？"):   # with llm_base_url + llm_model set: streamed, checked
...     print(event if isinstance(event, str) else "", end="")   # the last event is the final Answer
>>> chat = rag.Conversation(index)                     # follow-ups keep the previous speaker
>>> chat.ask("冯佳时讲了什么？"); chat.ask("他还讲了什么？").query.speaker
'冯佳时'
"""

from .api import BuildReport, Embedder, Index, InvalidQuestion, build_index, open_index
from .config import DEFAULT_MODEL, Settings, load_settings, settings_from_env
from .conversation import Conversation, understood
from .errors import IndexCorrupt, IndexNotFound, ModelUnavailable, NotesError, RagError
from .generate import LLMError
from .types import Answer, Chunk, Citation, Hit, Query

__all__ = [
    "DEFAULT_MODEL",
    "Answer",
    "BuildReport",
    "Chunk",
    "Citation",
    "Conversation",
    "Embedder",
    "Hit",
    "Index",
    "IndexCorrupt",
    "IndexNotFound",
    "InvalidQuestion",
    "LLMError",
    "ModelUnavailable",
    "NotesError",
    "Query",
    "RagError",
    "Settings",
    "build_index",
    "load_settings",
    "open_index",
    "settings_from_env",
    "understood",
]
