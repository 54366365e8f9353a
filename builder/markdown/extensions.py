"""The one list of Python-Markdown extensions Briefdesk renders with.

The site (through MkDocs' `markdown_extensions`), the sanitiser's check that a block renders to
clean HTML, and the feeds all read it here, so a passage renders the same wherever it is shown.
No `attr_list`: `{onclick=...}` in an article would become an HTML attribute.
"""

from __future__ import annotations

import threading
from typing import Any

import markdown

NAMES = ("tables", "md_in_html", "admonition", "toc")
"""The extensions, by Python-Markdown's names."""


def for_mkdocs(toc: dict[str, Any]) -> list[str | dict[str, Any]]:
    """The list as MkDocs' `markdown_extensions` takes it, with the site's `toc` settings."""
    return [name if name != "toc" else {"toc": toc} for name in NAMES]


def renderer() -> markdown.Markdown:
    """A Python-Markdown converter with the site's extensions (call `reset()` between documents)."""
    return markdown.Markdown(extensions=list(NAMES), output_format="html")


_per_thread = threading.local()


def to_html(source: str) -> str:
    """`source` rendered to HTML with the site's extensions.

    One converter per thread, reset between documents: building one costs more than converting
    a passage, and feeds convert tens of thousands of them.
    """
    converter: markdown.Markdown | None = getattr(_per_thread, "converter", None)
    if converter is None:
        converter = _per_thread.converter = renderer()
    html: str = converter.reset().convert(source)
    return html
