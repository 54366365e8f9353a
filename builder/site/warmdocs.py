"""MkDocs kept loaded between edits, to render the pages an edit under `serve` changed in a moment.

`mkdocs build --dirty` starts an interpreter, loads the theme, walks every file and builds the
navigation before it skips all but the changed pages: about three seconds at 10,000 articles.
This process does that once, then renders named pages on request. Each request is served by a
forked child of the loaded process, so pages populated for one request never leak into the next
and the loaded state stays exactly as a fresh build would have it.

Run as `python -m builder.site.warmdocs CONFIG SITE_DIR`. It prints `{"ready": true}` once loaded, then
answers each line `{"pages": ["articles/2021/x.md"], "epoch": 1700000000, "templates": false}` on
stdin (`templates`: also the theme's pages that list every page, such as sitemap.xml) with
`{"ok": true, "messages": [...]}` on stdout, `messages` being MkDocs' warnings as its command line
would print them ("WARNING - ..."), for `builder.site.mkdocs` to turn into diagnostics.

It renders with MkDocs' own page-building steps (`_populate_page`, `_build_page`), which are
private to MkDocs: pyproject pins MkDocs to the 1.6 series, and tests/test_livebuild.py checks
that a page rendered here is byte-identical to the one `mkdocs build` writes.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.site.loading import LoadedSite


class WarmDocs:
    """A loaded MkDocs for one config and site folder, rendering pages on request (for `serve`).

    Starting it takes as long as MkDocs takes to load the site (seconds at 10,000 articles), so it
    is started in the background after a build and waited for only when first asked for a page.
    """

    def __init__(self, config_path: Path, site_dir: Path, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        """What it loaded (settings and page list): when that changes, a new one is needed."""
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-m", "builder.site.warmdocs", str(config_path), str(site_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # its warnings come back in the answers
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # as builder.site.mkdocs runs MkDocs
        )
        self._ready = False

    def render(
        self, pages: Sequence[str], epoch: int, *, templates: bool = False, workers: int = 1
    ) -> tuple[bool, list[str]]:
        """Render `pages` (docs paths) into the site; whether all went well, and MkDocs' warnings.

        With `templates`, also the theme's own pages (sitemap.xml, 404.html), as `mkdocs build
        --dirty` would: they list every page with the build date, which an edit may change.
        From `SPLIT_FROM` pages on, `workers` forked processes share them, as in a whole build
        (`builder.site.splitbuild`).
        """
        try:
            if not self._ready:
                self._ready = bool(json.loads(self._read()).get("ready"))
            request = {"pages": list(pages), "epoch": epoch, "templates": templates, "workers": workers}
            self._write(json.dumps(request) + "\n")
            answer = json.loads(self._read())
        except (OSError, ValueError) as error:
            return False, [f"ERROR - the page renderer stopped: {error}"]
        return bool(answer.get("ok")), [str(line) for line in answer.get("messages", [])]

    def close(self) -> None:
        """Let the process end (its input closes), killing it if it does not."""
        process = self._process
        try:
            _stream(process.stdin).close()
            process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        _stream(process.stdout).close()

    def _read(self) -> str:
        line = _stream(self._process.stdout).readline()
        if not line:
            raise OSError("no answer")
        return line

    def _write(self, text: str) -> None:
        stream = _stream(self._process.stdin)
        stream.write(text)
        stream.flush()


def _stream(stream: IO[str] | None) -> IO[str]:
    assert stream is not None  # the process was started with pipes
    return stream


class _Collect(logging.Handler):
    """Keep MkDocs' warnings and errors, worded as `mkdocs build` prints them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")


SPLIT_FROM = 50
"""Fewer pages than this render in one process: forking and splitting would cost more than it saves."""


def _render_split(
    site: LoadedSite, numbers: list[int], request: dict[str, Any], collect: _Collect
) -> list[Any]:
    """Render the pages numbered `numbers` in forked workers (the theme's pages meanwhile, if the
    request asks); return the pages, each with its anchors, for the anchor check."""
    from mkdocs.commands import build as mkbuild

    from builder.site import splitbuild

    splitbuild.read_navigation(site)
    running = splitbuild.start_workers(site, numbers, int(request["workers"]))
    read = len(collect.lines)
    if request.get("templates"):
        for template in site.config.theme.static_templates:
            mkbuild._build_theme_template(template, site.env, site.files, site.config, site.nav)
    messages, failure = splitbuild.finish_workers(site, running)
    warnings = [m for m in messages if m.level >= logging.WARNING]

    def line(message: splitbuild.Message) -> str:
        return f"{logging.getLevelName(message.level)} - {message.text}"

    # as one process logs them: reading the pages, the theme's pages, writing the pages
    collect.lines[read:read] = [line(m) for m in warnings if m.key[0] == splitbuild.READ]
    collect.lines += [line(m) for m in warnings if m.key[0] != splitbuild.READ]
    if failure is not None:
        raise RuntimeError(failure.text)
    return [site.doc_files[number].page for number in numbers]


def main(argv: Sequence[str]) -> int:
    from mkdocs.commands import build as mkbuild
    from mkdocs.utils import get_build_date

    from builder.site.loading import load_site

    config_file, site_dir = argv
    logging.getLogger("mkdocs").addHandler(logging.NullHandler())
    loaded = load_site(config_file, site_dir, strict=False, clean=False)
    config, files, env, nav, doc_files = loaded.config, loaded.files, loaded.env, loaded.nav, loaded.doc_files
    number_of = {file.src_uri: number for number, file in enumerate(doc_files)}
    _answer({"ready": True})

    def render(request: dict[str, Any]) -> dict[str, Any]:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(request["epoch"]))
        for doc in doc_files:  # stamped when loaded; the sitemap's archive is dated by them
            assert doc.page is not None
            doc.page.update_date = get_build_date()
        collect = _Collect()
        logging.getLogger("mkdocs").addHandler(collect)
        numbers = []
        for uri in request["pages"]:
            if uri not in number_of:
                return {"ok": False, "messages": [f"ERROR - no page {uri!r} in the loaded site"]}
            numbers.append(number_of[uri])
        if int(request.get("workers", 1)) > 1 and len(numbers) >= SPLIT_FROM:
            try:
                pages = _render_split(loaded, numbers, request, collect)
            except RuntimeError:  # MkDocs logged why
                return {"ok": False, "messages": collect.lines}
        else:
            pages = [doc_files[number].page for number in numbers]
            for page in pages:
                mkbuild._populate_page(page, config, files)
            if request.get("templates"):
                for template in config.theme.static_templates:
                    mkbuild._build_theme_template(template, env, files, config, nav)
            for page in pages:
                mkbuild._build_page(page, config, doc_files, nav, env)
        # A whole build has every page's anchors when it checks the links: the pages these link
        # to with an anchor are read here, or a link to an anchor that is gone would go unseen.
        for page in pages:
            for target in page.links_to_anchors or {}:
                if target.page is not None and target.page.present_anchor_ids is None:
                    mkbuild._populate_page(target.page, config, files)
        for page in pages:  # as `mkdocs build` does once every page is built
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        return {"ok": not any(line.startswith("ERROR") for line in collect.lines), "messages": collect.lines}

    for line in sys.stdin:
        if line.strip():
            _answer(_in_child(render, json.loads(line)))
    return 0


def _in_child(work: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run `work(request)` in a forked child, so whatever it changes dies with it."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the answer, and leave without cleanup handlers
        os.close(reading)
        try:
            answer = work(request)
        except Exception as error:  # reported to serve, which falls back to a full update
            answer = {"ok": False, "messages": [f"ERROR - {type(error).__name__}: {error}"]}
        with os.fdopen(writing, "w", encoding="utf-8") as pipe:
            json.dump(answer, pipe)
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, encoding="utf-8") as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    try:
        return dict(json.loads(text))
    except ValueError:
        return {"ok": False, "messages": ["ERROR - the page renderer stopped without an answer"]}


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
