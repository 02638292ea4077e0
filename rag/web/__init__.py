"""The browser chat's parts below app.py (which holds the layout and respond()): HTML of answers, slide
images, the live index, serving. They use rag's public API only; nothing in rag imports them but `rag serve`
through app.py."""
