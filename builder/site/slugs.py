"""Heading ids that cannot collide with the ids the theme and our pages rely on.

MkDocs' table-of-contents extension turns a heading into an id; a heading "__config" in an article
would take the id of Material's configuration block (and break its scripts on that page), and a
heading "p-3" or "source-2" would shadow a passage or source anchor. MkDocs imports this function
by name from build/mkdocs.yml.
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify_unicode

_RESERVED = re.compile(r"^(?:_|p-\d+$|source-\d+$)")


def heading_id(value: str, separator: str) -> str:
    """The usual Unicode slug, prefixed with `h-` where it would collide with a reserved id."""
    slug = slugify_unicode(value, separator)
    if not slug or _RESERVED.match(slug):
        return f"h-{slug.lstrip('_')}" if slug.strip("_") else "h"
    return slug
