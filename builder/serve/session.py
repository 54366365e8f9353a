"""One `briefdesk serve` session: build, serve the site, watch and rebuild, until Ctrl-C.

The wiring of the three parts: the LiveBuilder (what to rebuild), the HTTP server (what the
browser sees) and the watcher thread (when to rebuild). The command line only parses flags.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from builder.briefs.rendering import count
from builder.diagnostics import Diagnostics
from builder.errors import BriefdeskError, ContentError, UsageError
from builder.pipeline.options import BuildOptions
from builder.serve import server as serving
from builder.serve import watching
from builder.serve.livebuild import LiveBuilder


def serve_project(
    options: BuildOptions,
    port: int,
    say: Callable[[str], None],
    show: Callable[[Diagnostics], None],
) -> None:
    """Serve the project on 127.0.0.1:`port` until interrupted; `say` prints a line, `show` diagnostics."""
    counter = serving.BuildCounter()
    try:  # before anything else: a port in use is said at once, not after building the site
        server = serving.make_server(options.site_dir, port, counter)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    builder = LiveBuilder(options, announce=say)

    def rebuild() -> bool:
        diagnostics = Diagnostics()
        try:
            report = builder.rebuild(diagnostics)
        except BriefdeskError as exc:
            show(diagnostics)
            say(f"error: {exc}; still serving the last good site")
            return False
        except Exception as exc:  # not one of ours (a bug): say it in one line and keep serving
            show(diagnostics)
            say(
                f"error: the build failed ({type(exc).__name__}: {exc}); still serving the last good "
                "site, trying again on the next change"
            )
            return False
        show(diagnostics)
        for note in report.notes:
            say(note)
        if report.up_to_date:
            say("nothing changed since the last build: site/ is up to date")
        else:
            say(f"built {count(report.pages, 'page')} in {report.seconds:.2f} s")
        return True

    def after_reload() -> None:
        """Feeds, the saved cache and the search index catch up in the background."""
        builder.start_catching_up()

    sources = watching.snapshot(options.root)  # edits saved during the first build are built after it
    if not rebuild() and not (options.site_dir / "index.html").is_file():
        builder.close()
        server.server_close()
        raise ContentError("nothing to serve yet: fix the errors above and run briefdesk serve again")
    stop = threading.Event()
    watcher = threading.Thread(
        target=watching.watch_and_rebuild,
        args=(
            options.root,
            rebuild,
            counter,
            stop,
            say,
            after_reload,
            builder.preview,
            lambda: builder.shows_more_than_preview,
            sources,
        ),
        daemon=True,
    )
    watcher.start()
    say(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        stop.set()
        builder.close()
        server.server_close()
