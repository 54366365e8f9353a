"""Write front matter that our own loader reads back exactly as it was meant.

Scaffolds and imported drafts carry text from the web: titles such as `NO`, `2013`, `null`,
`Yes: the vote` or `- a dash` that YAML would misread. A value is written plain only when the
project's loader (`builder.content.yamlsafe`) and a stock YAML 1.1 loader both read the plain form back
as the same text; everything else is double-quoted with escapes, so no title can change type or
break the document, in Briefdesk or in any other tool that reads the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import yaml

from builder.content.yamlsafe import YamlProblem, load_yaml

# Characters PyYAML's reader refuses anywhere in a stream, even inside quotes, plus the Unicode
# line and paragraph separators that YAML folds: these are written as escapes.
_UNSAFE = re.compile(
    "[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
FrontMatterValue = str | bool | dt.date | Sequence[str] | None


def quote(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar that loads back as exactly `text`."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _UNSAFE.match(char):
            code = ord(char)
            out.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar(text: str) -> str:
    """Return `text` plain when every YAML reader reads it back unchanged, else double-quoted.

    "Every reader" is ours (YAML 1.2 booleans, no timestamps) and PyYAML's stock YAML 1.1 safe
    loader, which editors' other tools use: `NO`, `yes` and `on` are booleans there.
    """
    if text and text == text.strip() and "\n" not in text and not _UNSAFE.search(text):
        document = f"value: {text}\n"
        try:
            ours = load_yaml(document).value
            stock = yaml.safe_load(document)
        except (YamlProblem, yaml.YAMLError):
            return quote(text)
        if ours == {"value": text} and stock == {"value": text}:
            return text
    return quote(text)


def front_matter(fields: Mapping[str, FrontMatterValue]) -> str:
    """Render `fields` in order as a `---`-delimited front-matter block; None values are left out."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, dt.date):
            # Unquoted on purpose: it is how editors write dates, and our loader keeps it text.
            lines.append(f"{key}: {value.isoformat()}")
        elif isinstance(value, str):
            lines.append(f"{key}: {scalar(value)}")
        elif not value:
            lines.append(f"{key}: []")
        else:
            lines.append(f"{key}:")
            lines.extend(f"  - {scalar(item)}" for item in value)
    lines.append("---")
    return "\n".join(lines) + "\n"
