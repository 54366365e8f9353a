"""`mkdocs build --strict` with the pages rendered by forked worker processes, one per core.

MkDocs renders every page in one process and keeps each page's HTML until the build ends. Here
one process loads the settings, files and navigation once (`builder.site.loading`, the steps of
`mkdocs build`), copies the static files, and forks workers that inherit all of it. Each worker
renders its share of the pages (split by Markdown size) with MkDocs' own page steps
(`_populate_page`, `_build_page`), writes each page's HTML into the site and lets it go, keeping
only what the anchor check needs: the ids each page holds and the anchors its links name. The
parent renders the theme's own pages (404.html) meanwhile, then checks every page's links to
anchors with MkDocs' `validate_anchor_links` against all workers' ids, as `mkdocs build` does
once every page is built.

MkDocs' messages come back from the workers and are printed in the order one `mkdocs build`
prints them (each page's reading, the theme's pages, each page's building, the anchor check),
through MkDocs' own loggers, so its duplicate filter and its strict count see what they would
see. Any warning fails the build, as `--strict` does, after all of them are printed.

Run as `python -m builder.site.splitbuild CONFIG SITE_DIR WORKERS` (with SOURCE_DATE_EPOCH and
PYTHONHASHSEED set, as `builder.site.mkdocs` runs MkDocs). The page steps are private to MkDocs:
pyproject pins MkDocs to the 1.6 series, and tests/test_splitbuild.py checks that every file
written is byte-identical to what `mkdocs build --strict` writes.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from builder.site.loading import LoadedSite, load_site

if TYPE_CHECKING:
    from mkdocs.structure.files import File

Key = tuple[int, int]
"""Where a message falls in one `mkdocs build`: (step, page number in MkDocs' order)."""
READ, THEME, WRITE, ANCHORS = range(4)
"""The steps of `mkdocs build` after loading, in its order."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message MkDocs logged, with where a single build would have logged it."""

    key: Key
    logger: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Failure:
    """The exception that stopped a worker (MkDocs has logged its message already)."""

    key: Key
    build_error: bool
    """An `mkdocs.exceptions.BuildError`, which `mkdocs build` reports as an abort, not a crash."""
    text: str
    trace: str


@dataclass(slots=True)
class ShareResult:
    """What a worker sends back: its messages, each page's anchors, and its failure if any."""

    messages: list[Message] = field(default_factory=list)
    anchor_ids: dict[int, set[str]] = field(default_factory=dict)
    """Per page number, the anchor ids on the page (`Page.present_anchor_ids`)."""
    links_to_anchors: dict[int, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)
    """Per page number, its links to anchors (`Page.links_to_anchors`, by the target's src_uri)."""
    failure: Failure | None = None


class _Collect(logging.Handler):
    """Keep MkDocs' messages with the step they belong to, to print them in a single build's order."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.key: Key = (READ, 0)
        self.messages: list[Message] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(Message(self.key, record.name, record.levelno, record.getMessage()))


@contextmanager
def _collecting(collect: _Collect) -> Iterator[None]:
    """Send the `mkdocs` logger's records to `collect` only (not printed, not yet counted)."""
    logger = logging.getLogger("mkdocs")
    handlers = list(logger.handlers)
    logger.handlers = [collect]
    try:
        yield
    finally:
        logger.handlers = handlers


def shares(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """Split the pages (their Markdown sizes, in MkDocs' order) into `workers` shares of about equal
    size: the largest page first to the least loaded share, ties to the lower page and share, each
    share then in MkDocs' order. The same sizes always give the same split."""
    loads = [0] * workers
    split: list[list[int]] = [[] for _ in range(workers)]
    for number in sorted(range(len(sizes)), key=lambda n: (-sizes[n], n)):
        share = min(range(workers), key=lambda s: (loads[s], s))
        loads[share] += sizes[number]
        split[share].append(number)
    return [sorted(share) for share in split if share]


def render_share(site: LoadedSite, share: Sequence[int]) -> ShareResult:
    """Render the pages numbered `share` into the site as `mkdocs build` does, letting each page's
    HTML go once written; return their messages and anchors."""
    from mkdocs.commands import build as mkbuild
    from mkdocs.exceptions import BuildError

    result = ShareResult()
    collect = _Collect()
    with _collecting(collect):
        for number in share:
            file = site.doc_files[number]
            page = file.page
            assert page is not None
            try:
                collect.key = (READ, number)
                mkbuild._populate_page(page, site.config, site.files)
                collect.key = (WRITE, number)
                excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
                mkbuild._build_page(page, site.config, site.doc_files, site.nav, site.env, excluded=excluded)
            except Exception as error:  # MkDocs logged it; a single build stops at it too
                result.failure = Failure(
                    collect.key, isinstance(error, BuildError), str(error), traceback.format_exc()
                )
                break
            result.anchor_ids[number] = set(page.present_anchor_ids or ())
            if page.links_to_anchors:
                result.links_to_anchors[number] = [
                    (target.src_uri, links) for target, links in page.links_to_anchors.items()
                ]
            _let_go(page)
    result.messages = collect.messages
    return result


def _let_go(page: Any) -> None:
    """Drop a written page's HTML, table of contents and Markdown; its title (fixed first, as it
    falls back on the Markdown) and metadata stay, as other pages' navigation may show them."""
    page.title = page.title
    page.markdown = page.content = None
    page.toc = []
    page.links_to_anchors = None


def read_navigation(site: LoadedSite) -> None:
    """Read the metadata of every page in the navigation, as every page's sidebar shows it (an
    icon, a status), and render those whose title comes from their first heading.

    A single build has read every page before it writes one; each worker reads only its own.
    Whatever goes wrong here is left for the worker that renders the page to report.
    """
    from mkdocs.commands import build as mkbuild

    with _collecting(_Collect()):  # the worker rendering the page logs the same messages
        for page in site.nav.pages:
            try:
                if "title" in vars(page):  # given in the navigation
                    page.read_source(site.config)
                else:
                    mkbuild._populate_page(page, site.config, site.files)
                    page.title = page.title  # fixed, as its HTML is let go
                    page.content, page.toc = None, []  # type: ignore[assignment]
            except Exception:  # reported by the page's worker
                continue
            finally:
                page.present_anchor_ids, page.links_to_anchors = None, None


def _fork(site: LoadedSite, share: Sequence[int]) -> tuple[int, int]:
    """Start a worker rendering `share`; return its process id and the pipe its result comes on."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: render, send the result, and leave without cleanup handlers
        os.close(reading)
        code = 0
        try:
            result = render_share(site, share)
            with os.fdopen(writing, "wb") as pipe:
                pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # reported by the parent as a worker that stopped
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(writing)
    return pid, reading


def _wait(pid: int, reading: int) -> ShareResult | None:
    """The worker's result, or None if it stopped without one."""
    with os.fdopen(reading, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        result = pickle.loads(data)
    except Exception:  # a worker killed mid-write
        return None
    return result if isinstance(result, ShareResult) else None


def start_workers(site: LoadedSite, numbers: Sequence[int], workers: int) -> list[tuple[int, int]]:
    """Fork up to `workers` processes rendering the pages numbered `numbers` (see `render_share`),
    split by Markdown size; return their process ids and pipes, for `finish_workers`."""
    numbers = sorted(numbers)
    sizes = [_size(site.doc_files[number]) for number in numbers]
    gc.collect()
    gc.freeze()  # the loaded site is shared with the workers: the collector must not copy it
    split = shares(sizes, max(1, workers))
    return [_fork(site, [numbers[index] for index in share]) for share in split]


def finish_workers(
    site: LoadedSite, running: Sequence[tuple[int, int]]
) -> tuple[list[Message], Failure | None]:
    """Wait for the workers; give each page they rendered its anchors (for `validate_anchor_links`);
    return their messages in a single build's order, up to the first failure, and that failure."""
    results = [_wait(pid, reading) for pid, reading in running]
    gc.unfreeze()
    messages: list[Message] = []
    failures = []
    for result in results:
        if result is None:
            failures.append(Failure((READ, -1), False, "a page-rendering worker stopped", ""))
            continue
        messages += result.messages
        if result.failure is not None:
            failures.append(result.failure)
        for number, ids in result.anchor_ids.items():
            page = site.doc_files[number].page
            assert page is not None
            page.present_anchor_ids = ids
            page.links_to_anchors = {
                _file(site, uri): links for uri, links in result.links_to_anchors.get(number, [])
            }
    first = min(failures, key=lambda f: f.key, default=None)
    return in_order(messages, first), first


def in_order(messages: Sequence[Message], failure: Failure | None = None) -> list[Message]:
    """`messages` in the order one build logs them, up to `failure` (where a single build stops)."""
    kept = (m for m in messages if failure is None or m.key <= failure.key)
    return sorted(kept, key=lambda m: m.key)  # stable: a page's own messages keep their order


def build(site: LoadedSite, workers: int) -> Failure | None:
    """Write the site as `mkdocs build` does after loading, the pages by `workers` forked
    processes; log MkDocs' messages in a single build's order; return what stopped it, if anything."""
    from mkdocs import utils
    from mkdocs.commands import build as mkbuild

    config, files = site.config, site.files
    files.copy_static_files(dirty=False)
    # The strict build's duplicate filter sees each message once, when it is printed in order.
    once = [f for f in mkbuild.log.filters if isinstance(f, utils.DuplicateFilter)]
    for f in once:
        mkbuild.log.removeFilter(f)
    read_navigation(site)
    running = start_workers(site, range(len(site.doc_files)), workers)
    collect = _Collect()
    with _collecting(collect):
        collect.key = (THEME, 0)
        for template in config.theme.static_templates:
            mkbuild._build_theme_template(template, site.env, files, config, site.nav)
        for template in config.extra_templates:
            mkbuild._build_extra_template(template, files, config, site.nav)
    rendered, first = finish_workers(site, running)
    for f in once:
        mkbuild.log.addFilter(f)
    for message in in_order([*collect.messages, *rendered], first):
        logging.getLogger(message.logger).log(message.level, message.text)
    if first is not None:
        return first
    for file in site.doc_files:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    config.plugins.on_post_build(config=config)
    return None


def _size(file: File) -> int:
    try:
        return os.path.getsize(file.abs_src_path or "")
    except OSError:
        return 0


def _file(site: LoadedSite, src_uri: str) -> File:
    file = site.files.get_file_from_path(src_uri)
    assert file is not None  # a link's target is one of the site's files
    return file


def main(argv: Sequence[str]) -> int:
    """Build the site of `CONFIG` into `SITE_DIR` with `WORKERS` workers; 1 if it failed."""
    from mkdocs import utils
    from mkdocs.commands import build as mkbuild
    from mkdocs.exceptions import Abort, BuildError

    config_file, site_dir, workers = argv[0], argv[1], int(argv[2])
    logger = logging.getLogger("mkdocs")  # as the `mkdocs` command sets it up
    logger.setLevel(logging.INFO)
    logger.propagate = False
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    logger.handlers = [stream, counter]
    mkbuild.log.addFilter(utils.DuplicateFilter())
    try:
        site = load_site(config_file, site_dir, strict=True, clean=True)
    except Abort as abort:
        print("\n" + abort.format_message())
        return 1
    try:
        failure = build(site, workers)
        if failure is not None:
            error: Exception = BuildError(failure.text) if failure.build_error else RuntimeError(failure.text)
            site.config.plugins.on_build_error(error=error)
            if not failure.build_error:
                sys.stderr.write(failure.trace or f"ERROR    -  {failure.text}\n")
                return 1
            logger.error(failure.text)
            raise Abort("Aborted with a BuildError!")
        if counts := counter.get_counts():
            message = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {message} in strict mode!")
    except Abort as abort:
        print("\n" + abort.format_message())
        return 1
    finally:
        site.config.plugins.on_shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
