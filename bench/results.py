"""What one benchmark run measured on one corpus: written by bench.run, read by bench.report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.probes import FolderSize, Run


@dataclass(slots=True)
class CorpusResult:
    """Everything measured on one corpus."""

    name: str
    size: int | None
    """N for a generated corpus; None for a real one."""
    article_files: int = 0
    floor: Run | None = None
    build: Run | None = None
    rebuild: Run | None = None
    edit: Run | None = None
    edit_page: float | None = None
    """Seconds from the start of the rebuild to the edited article's page on disk showing the edit."""
    new_article: Run | None = None
    """`briefdesk build` after adding one article (after the edit above)."""
    alias_edit: Run | None = None
    """`briefdesk build` after adding an alias to one topic (after the new article)."""
    serve_page: float | None = None
    """Seconds from saving the edit to `briefdesk serve` serving the updated page."""
    serve_settled: float | None = None
    """Seconds from saving the edit to `briefdesk serve` having updated every page."""
    plain: Run | None = None
    hugo: Run | None = None
    sizes: dict[str, FolderSize | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    code: str = ""
    """Fingerprint of builder/ and templates/ measured ("" when not recorded)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CorpusResult:
        """Rebuild a result written by `--json`, for `--resume`."""

        def run(key: str) -> Run | None:
            value = data.get(key)
            return Run(**value) if value else None

        sizes = {key: FolderSize(**value) if value else None for key, value in data.get("sizes", {}).items()}
        return cls(
            name=data["name"],
            size=data["size"],
            article_files=data.get("article_files", 0),
            floor=run("floor"),
            build=run("build"),
            rebuild=run("rebuild"),
            edit=run("edit"),
            edit_page=data.get("edit_page"),
            new_article=run("new_article"),
            alias_edit=run("alias_edit"),
            serve_page=data.get("serve_page"),
            serve_settled=data.get("serve_settled"),
            plain=run("plain"),
            hugo=run("hugo"),
            sizes=sizes,
            notes=list(data.get("notes", [])),
            code=data.get("code", ""),
        )
