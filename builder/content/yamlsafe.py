"""Load YAML as data only, with line numbers, and close PyYAML's surprises.

PyYAML's safe loader still follows YAML 1.1: `NO` becomes `False` (the
Norway problem), `2021-02-30` raises before we can say which key is wrong,
and a date with a time zone becomes a datetime. This loader composes the
node tree and converts it itself, so that:

* only `true`/`false` are booleans (YAML 1.2); `yes`, `NO`, `on` stay text;
* timestamps stay text and are validated by the schema with a clear message;
* any explicit tag outside the plain data types (`!!python/object`,
  `!!binary`, `!custom`) is refused, never constructed;
* duplicate keys are reported instead of silently overwritten;
* alias expansion is bounded, so a "billion laughs" document cannot exhaust memory;
* every mapping key and list item keeps the line it was written on;
* a syntax error is reported where the editor's slip starts, with what to write (yamlhints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from builder.content.yamlhints import explain

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
MAX_VALUES = 20_000
"""How many values one YAML document may expand to (aliases included)."""


class _Resolver(yaml.resolver.Resolver):
    """The YAML 1.1 resolver without timestamps and with YAML 1.2 booleans."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (f"{_TAG}bool", f"{_TAG}timestamp")]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    f"{_TAG}bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


if yaml.__with_libyaml__:  # libyaml composes much faster; it still resolves through us
    from yaml._yaml import CParser

    class _Composer(CParser, _Resolver):
        """Parse and compose only: nothing is ever constructed by PyYAML itself."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver
    ):
        """Parse and compose only: nothing is ever constructed by PyYAML itself."""

        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


class YamlProblem(Exception):
    """The text is not acceptable YAML data; `line` is 1-based within the YAML text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class YamlDocument:
    """A loaded document and where each part of it was written."""

    value: Any
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """Line (1-based, in the file) of each key path, e.g. `("topics", 2)`."""
    duplicate_keys: list[tuple[str, int, int]] = field(default_factory=list)
    """(key, line, first line) of every key written twice in one mapping."""
    root_line: int = 1
    """Line where the document's value starts."""

    def line_of(self, *path: str | int, default: int = 1) -> int:
        """Return the line of the deepest known prefix of `path`."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return default


def load_yaml(text: str, *, first_line: int = 1) -> YamlDocument:
    """Load one YAML document as plain data; raise YamlProblem with a line on any refusal."""
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(*explain(text, exc, first_line)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(first_line, "YAML is nested too deeply") from None
    finally:
        composer.dispose()
    document = YamlDocument(value=None, root_line=first_line)
    if node is None:
        return document
    document.root_line = int(node.start_mark.line) + first_line
    converter = _Converter(document, first_line)
    try:
        document.value = converter.convert(node, ())
    except RecursionError:
        raise YamlProblem(first_line, "YAML is nested too deeply") from None
    return document


class _Converter:
    """Turn composed nodes into dicts, lists and scalars, recording lines."""

    def __init__(self, document: YamlDocument, first_line: int) -> None:
        self.document = document
        self.first_line = first_line
        self.values = 0
        self.scalars = SafeConstructor()

    def line(self, node: Node) -> int:
        return int(node.start_mark.line) + self.first_line

    def convert(self, node: Node, path: tuple[str | int, ...]) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise YamlProblem(
                self.line(node),
                f"YAML expands to more than {MAX_VALUES:,} values (aliases included); "
                "front matter should be a short list of keys",
            )
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                self.line(node),
                f"YAML tag '{node.tag.replace(_TAG, '!!')}' is not allowed: "
                "front matter holds plain text, numbers, lists and mappings only",
            )
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.document.lines.setdefault((*path, index), self.line(item))
                items.append(self.convert(item, (*path, index)))
            return items
        assert isinstance(node, ScalarNode)
        try:
            return self.scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise YamlProblem(self.line(node), f"malformed YAML value: {exc}") from None

    def mapping(self, node: MappingNode, path: tuple[str | int, ...]) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(self.line(key_node), "a mapping key must be plain text")
            key = self.convert(key_node, path)
            key_text = str(key) if not isinstance(key, str) else key
            line = self.line(key_node)
            if key_text in first_seen:
                self.document.duplicate_keys.append((key_text, line, first_seen[key_text]))
            else:
                first_seen[key_text] = line
            self.document.lines[(*path, key_text)] = line
            result[key_text] = self.convert(value_node, (*path, key_text))
        return result
