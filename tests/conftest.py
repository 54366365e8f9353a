"""Shared test helpers: small projects built in tmp_path from dicts of dedented strings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

BASE_FILES: dict[str, str] = {
    "site_config.yml": "site_name: Test desk\n",
    "content/topics/afghanistan.md": """\
        ---
        title: Afghanistan
        aliases: [Afghanistan, Afghan, Kabul]
        region: Asia
        ---
        The Afghan peace process.
        """,
    "content/topics/myanmar.md": """\
        ---
        title: Myanmar
        aliases: [Myanmar, Burma]
        region: Asia
        ---
        Myanmar after the coup.
        """,
    "content/actors/china.md": """\
        ---
        name: China
        aliases: [China, Beijing, Chinese]
        kind: state
        ---
        """,
    "content/articles/2021/talks.md": """\
        ---
        title: Talks in Guilin
        date: 2021-03-22
        source: CGTN
        url: https://example.org/talks
        topics: [afghanistan]
        actors: [china]
        ---
        The two sides discussed Afghanistan.

        They also discussed Myanmar.
        """,
}


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail under CI=true, where a skip would hide lost coverage.

    CI always has ../shared, Chromium and the test extras (.ci/run installs them).
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must have it, so this fails instead of skipping", pytrace=False)
    pytest.skip(reason)


def shared(*parts: str) -> Path:
    """Path into ../shared; skip with a reason when it is absent (fail under CI=true)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_unless_ci(f"../shared/{'/'.join(parts)} is absent (test data lives beside the checkout)")
    return path


def copy_demo(target: Path, *, site_url: str | None = None, templates: bool = False) -> Path:
    """A copy of the demo project (content and config; its templates too with `templates`, as
    project templates to edit), to build without touching the repository; optionally with another
    site_url."""
    target.mkdir(parents=True)
    shutil.copytree(REPO / "content", target / "content")
    if templates:
        shutil.copytree(REPO / "templates", target / "templates")
    config = (REPO / "site_config.yml").read_text(encoding="utf-8")
    if site_url is not None:
        lines = [f"site_url: {site_url}" if line.startswith("site_url:") else line for line in config.splitlines()]
        config = "\n".join(lines) + "\n"
    (target / "site_config.yml").write_text(config, encoding="utf-8")
    return target


_WITHOUT_PACKAGE = """\
import sys
from importlib.abc import MetaPathFinder

MISSING = sys.argv[1]

class Missing(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == MISSING:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Missing())
from builder.cli import main
sys.argv = ["briefdesk", *sys.argv[2:]]
main()
"""


def run_without(package: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess where `package` (and its submodules) cannot be imported, as on
    a machine without that optional package."""
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_PACKAGE, package, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write `files` (relative path -> dedented text, raw bytes, or None to delete) under root."""
    for name, content in files.items():
        path = root / name
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


ProjectFactory = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Build a project: the base files, overridden or extended by the given ones."""

    def factory(files: Mapping[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        merged: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
        merged.update(files or {})
        return write_files(root, merged)

    return factory


@pytest.fixture(scope="session", autouse=True)
def _own_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the machine's cache key (builder.cachekey) of the test run out of the home
    folder, and out of any BRIEFDESK_CACHE_KEY the shell has: tests that need one set it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        patch.delenv("BRIEFDESK_CACHE_KEY", raising=False)
        yield


def run(*args: str | Path) -> Result:
    """Run the CLI in-process and return its result (exit code, stdout, stderr)."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing against it.",
    )
