"""`briefdesk serve`: build, serve on 127.0.0.1, watch, rebuild only what changed, reload.

session (the wiring), server (HTTP, watching, reload), livebuild (in-place rebuilds and the
background catch-up), preview (the edited article's own page first).
"""
