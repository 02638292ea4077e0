"""Slide images: which file a note's image path names, its URL on the page, and the middleware that lets
Gradio's file routes serve nothing else from the images folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

from starlette.responses import PlainTextResponse

RASTER = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".avif"})
FILE_URL = "gradio_api/file="  # relative, so it also works under a proxy's root path
_FILE_ROUTE = re.compile(r"/file[=/](?P<path>.+)$")  # Gradio's file routes: /gradio_api/file=…, /file/…


def image_file(images_root: str | Path | None, name: str) -> Path | None:
    """The image file a note's path names under the images root, or None.

    None when there is no root, the path is a URL, leaves the root (`../..`, symlinks), is not a raster
    image, or does not exist. "/images/x.png" means <root>/images/x.png, never the filesystem root.
    """
    if not images_root or not name or "\x00" in name:
        return None
    name = name.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", name) or name.startswith("//"):
        return None  # http:, data:, file: … are never fetched or served
    relative = unquote(re.split(r"[?#]", name, maxsplit=1)[0]).replace("\\", "/").lstrip("/")
    if not relative:
        return None
    try:
        root = Path(images_root).resolve()
        path = (root / relative).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    if not path.is_relative_to(root) or path.suffix.lower() not in RASTER:
        return None
    try:
        return path if path.is_file() else None
    except OSError:
        return None


def file_url(path: Path) -> str:
    """The page's (relative) URL of an image file that image_file() allowed."""
    return FILE_URL + quote(str(path))


class ImagesOnly:
    """ASGI middleware: of the images root, Gradio's file routes serve only raster images.

    allowed_paths opens the whole folder, which may be a site with HTML pages, SVGs or a .git folder;
    those would be served inline from the chat's origin. The path is resolved as Gradio resolves it.
    """

    def __init__(self, app, images_root: str) -> None:
        self.app = app
        self.root = Path(images_root).resolve()

    async def __call__(self, scope, receive, send) -> None:
        match = _FILE_ROUTE.search(scope["path"]) if scope["type"] == "http" else None
        if match:
            try:
                target = Path(os.path.abspath(match["path"])).resolve()
                refused = target.is_relative_to(self.root) and not (
                    target.suffix.lower() in RASTER and target.is_file()
                )
            except (OSError, ValueError, RuntimeError):
                refused = True
            if refused:
                await PlainTextResponse("Only slide images are served.", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)
