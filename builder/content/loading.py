"""Find a project's content files and read each into front-matter data plus a body."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from builder.content.schema import ID_PATTERN, MAX_ID_LENGTH, slugify
from builder.content.sourcefiles import SourceProblem, decode, read_source, split_front_matter
from builder.content.yamlsafe import YamlDocument, YamlProblem, load_yaml
from builder.diagnostics import Diagnostic

Kind = Literal["article", "topic", "actor"]
CONFIG_FILE = "site_config.yml"
_NEAR_MISS_SUFFIXES = (".markdown", ".mdown", ".mkd", ".txt")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk, not yet read."""

    kind: Kind
    path: str
    """Project-relative POSIX path."""
    stem: str


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A content file read and split, its YAML loaded but not yet validated."""

    source: SourceFile
    meta: YamlDocument
    body: str
    body_first_line: int


def discover(root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """List the project's content files in a stable order, reporting misplaced or unsafe ones."""
    found: list[SourceFile] = []
    problems: list[Diagnostic] = []
    content = root / "content"
    for kind, folder, recursive in (
        ("topic", "topics", False),
        ("actor", "actors", False),
        ("article", "articles", True),
    ):
        base = content / folder
        if base.is_symlink() or content.is_symlink():
            # A folder, like a file, must resolve inside the project (`ln -s /tmp/x content/articles`).
            problem = _outside(base, root)
            if problem is not None:
                problems.append(Diagnostic(_rel(base, root), 1, "error", "symlink", problem))
                continue
        if not base.is_dir():
            continue
        for path in _walk(root, base, recursive, problems):
            relative = path.relative_to(root).as_posix()
            if path.suffix != ".md":
                if path.suffix.lower() in _NEAR_MISS_SUFFIXES:
                    problems.append(
                        Diagnostic(
                            relative,
                            1,
                            "warning",
                            "ignored-file",
                            f"ignored: content files must end in .md (rename to {path.stem}.md)",
                        )
                    )
                continue
            if kind != "article" and (path.stem == "index" or len(path.stem) > MAX_ID_LENGTH):
                problems.append(
                    Diagnostic(
                        relative,
                        1,
                        "error",
                        "invalid-id",
                        f"'{path.stem[:40]}…' is longer than {MAX_ID_LENGTH} characters, the limit for "
                        "an id: shorten the file name"
                        if path.stem != "index"
                        else f"'index' cannot be {'an' if kind == 'actor' else 'a'} {kind} id: "
                        f"the {kind}s' index page uses that name",
                    )
                )
                continue
            if kind != "article" and not ID_PATTERN.fullmatch(path.stem):
                suggestion = slugify(path.stem) or "an-id"
                problems.append(
                    Diagnostic(
                        relative,
                        1,
                        "error",
                        "invalid-id",
                        f"file name '{path.name}' is not a valid {kind} id: ids use lower-case "
                        f"letters, digits and single hyphens; rename it to '{suggestion}.md'",
                    )
                )
                continue
            found.append(SourceFile(kind, relative, path.stem))  # type: ignore[arg-type]
    return found, problems


def _walk(root: Path, base: Path, recursive: bool, problems: list[Diagnostic]) -> list[Path]:
    """Files under `base`, sorted; symlinks that leave the project are reported, not followed."""
    real_root = root.resolve()
    files: list[Path] = []
    seen: set[Path] = set()
    pending = [base]
    while pending:
        folder = pending.pop()
        try:
            real = folder.resolve()
        except (OSError, RuntimeError):  # a symlink loop, reported where it was found
            continue
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Diagnostic(
                    _rel(folder, root), 1, "error", "unreadable", f"cannot read folder: {exc.strerror}"
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
                continue  # editor backups and lock files
            path = Path(entry.path)
            if entry.is_symlink():
                problem = _outside(path, root, real_root)
                if problem is not None:
                    problems.append(Diagnostic(_rel(path, root), 1, "error", "symlink", problem))
                    continue
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as exc:
                problems.append(
                    Diagnostic(_rel(path, root), 1, "error", "unreadable", f"cannot read it: {exc.strerror}")
                )
                continue
            if is_dir:
                if recursive:
                    pending.append(path)
            elif is_file:
                files.append(path)
    return sorted(files)


def _outside(path: Path, root: Path, real_root: Path | None = None) -> str | None:
    """Why the symlink `path` (or one of the folders above it) may not be followed, or None."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "symlink loop: it leads back to itself; remove it or point it at a file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: it leads back to itself; remove it or point it at a file"
        return "broken symlink: its target does not exist"
    if not target.is_relative_to(real_root or root.resolve()):
        return f"symlink points outside the project (to {target}); refusing to read it"
    return None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_document(root: Path, source: SourceFile, data: bytes | None = None) -> RawDocument | Diagnostic:
    """Read one content file (or decode its bytes, already read); return its raw document, or the
    diagnostic that stops it."""
    try:
        text = decode(data) if data is not None else read_source(root, root / source.path)
        split = split_front_matter(text)
        meta = load_yaml(split.meta_text, first_line=split.meta_first_line)
    except SourceProblem as problem:
        return Diagnostic(source.path, problem.line, "error", problem.code, problem.message)
    except YamlProblem as problem:
        return Diagnostic(source.path, problem.line, "error", "yaml", problem.message)
    return RawDocument(source, meta, split.body, split.body_first_line)


def read_config(root: Path) -> YamlDocument | Diagnostic:
    """Read site_config.yml as YAML data with line numbers."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Diagnostic(
            CONFIG_FILE,
            1,
            "error",
            "no-config",
            f"no {CONFIG_FILE} in the project folder; create one with at least "
            "'site_name: ...' (or pass --project DIR)",
        )
    try:
        return load_yaml(read_source(root, path), first_line=1)
    except SourceProblem as problem:
        return Diagnostic(CONFIG_FILE, problem.line, "error", problem.code, problem.message)
    except YamlProblem as problem:
        return Diagnostic(CONFIG_FILE, problem.line, "error", "yaml", problem.message)
